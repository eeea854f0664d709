using Interceptor.Core;
using Interceptor.Sim.Reports;

namespace Interceptor.Sim.Campaign;

/// <summary>Writes and reads campaign results folders: campaign.json (plan), runs.csv, trajectories.csv,
/// summary.json, report.html. Unsharded runs and merged shards go through the same writer, so they
/// produce identical bytes.</summary>
public static class CampaignResults
{
    public const string ReportFileName = "report.html";

    /// <summary>Writes every file of <paramref name="result"/> into <paramref name="folder"/> (created if needed)
    /// and returns the summaries.</summary>
    public static List<ScenarioSummary> Write(string folder, CampaignResult result)
    {
        Directory.CreateDirectory(folder);
        var summaries = result.Summaries();
        WriteText(Path.Combine(folder, CampaignManifest.FileName), result.Manifest.ToJson());
        WriteText(Path.Combine(folder, RunsCsv.FileName), RunsCsv.Format(result.Records));
        WriteText(Path.Combine(folder, TrajectoriesCsv.FileName), TrajectoriesCsv.Format(result.Trajectories));
        WriteText(Path.Combine(folder, CampaignSummary.FileName), CampaignSummary.ToJson(summaries));
        WriteText(Path.Combine(folder, ReportFileName), CampaignReport.Render(result, summaries));
        return summaries;
    }

    private static void WriteText(string path, string text)
    {
        // Atomic replace: a reader (or a crashed run) never sees half a file.
        string tmp = path + ".tmp";
        File.WriteAllText(tmp, text);
        File.Move(tmp, path, overwrite: true);
    }

    /// <summary>Reads a results folder written by <see cref="Write"/>.</summary>
    public static CampaignResult Read(string folder)
    {
        if (!Directory.Exists(folder)) throw new ValidationException($"{folder}: no such results folder");
        var manifest = CampaignManifest.Read(Path.Combine(folder, CampaignManifest.FileName));
        string runs = Path.Combine(folder, RunsCsv.FileName);
        if (!File.Exists(runs)) throw new ValidationException($"{runs}: missing (not a campaign results folder?)");
        var records = RunsCsv.Read(runs);
        string traj = Path.Combine(folder, TrajectoriesCsv.FileName);
        var traces = File.Exists(traj) ? TrajectoriesCsv.Read(traj) : new List<TrajectoryTrace>();
        return new CampaignResult(manifest, records, traces);
    }

    /// <summary>Combines the folders of all shards of one campaign into the result an unsharded run produces.
    /// Fails unless the folders hold the same plan and every shard 0..N-1 exactly once.</summary>
    public static CampaignResult Merge(IReadOnlyList<string> folders)
    {
        if (folders.Count == 0) throw new ValidationException("campaign merge: no shard folders given");
        var parts = folders.Select(f => (Folder: f, Result: Read(f))).ToList();
        var first = parts[0].Result.Manifest;
        int count = first.Shard.Count;
        var seen = new string?[count];
        foreach (var (folder, r) in parts)
        {
            var m = r.Manifest;
            if (!m.SamePlanAs(first))
                throw new ValidationException($"{folder}: {CampaignManifest.FileName} describes a different campaign than {parts[0].Folder} (scenarios, laws, runs, seed, trajectory runs or autopilot differ)");
            if (m.Shard.Count != count)
                throw new ValidationException($"{folder}: shard = {m.Shard}: expected a shard of {count} like {parts[0].Folder}");
            if (seen[m.Shard.Index] is { } dup)
                throw new ValidationException($"{folder}: shard = {m.Shard}: the same shard is also in {dup}");
            seen[m.Shard.Index] = folder;
        }
        var missing = Enumerable.Range(0, count).Where(i => seen[i] is null).ToList();
        if (missing.Count > 0)
            throw new ValidationException($"campaign merge: shard(s) {string.Join(", ", missing.Select(i => $"{i}/{count}"))} missing");

        var plan = first with { Shard = ShardSpec.All };
        var sIndex = plan.Scenarios.Select((s, i) => (s.Name, i)).ToDictionary(x => x.Name, x => x.i, StringComparer.Ordinal);
        var lIndex = plan.Laws.Select((l, i) => (l, i)).ToDictionary(x => x.l, x => x.i, StringComparer.Ordinal);
        long JobOf(string folder, string scenario, string law, int run)
        {
            if (!sIndex.TryGetValue(scenario, out int s)) throw new ValidationException($"{folder}: scenario = {scenario}: not in the campaign plan");
            if (!lIndex.TryGetValue(law, out int l)) throw new ValidationException($"{folder}: law = {law}: not in the campaign plan");
            if (run < 0 || run >= plan.RunsPerScenario) throw new ValidationException($"{folder}: run = {run}: outside 0..{plan.RunsPerScenario - 1}");
            return plan.JobIndex(s, l, run);
        }

        var records = new RunRecord?[plan.TotalJobs];
        var traces = new SortedDictionary<long, TrajectoryTrace>();
        foreach (var (folder, r) in parts)
        {
            foreach (var rec in r.Records)
            {
                long job = JobOf(folder, rec.Scenario, rec.Law, rec.Run);
                if (!r.Manifest.Shard.Contains(job))
                    throw new ValidationException($"{folder}: run {rec.Scenario}/{rec.Law}/{rec.Run} does not belong to shard {r.Manifest.Shard}");
                if (records[job] is not null) throw new ValidationException($"{folder}: run {rec.Scenario}/{rec.Law}/{rec.Run} appears twice");
                records[job] = rec;
            }
            foreach (var t in r.Trajectories) traces[JobOf(folder, t.Scenario, t.Law, t.Run)] = t;
        }
        for (long j = 0; j < records.LongLength; j++)
        {
            if (records[j] is null)
            {
                int s = (int)(j / (plan.Laws.Count * (long)plan.RunsPerScenario));
                int l = (int)(j / plan.RunsPerScenario % plan.Laws.Count);
                int run = (int)(j % plan.RunsPerScenario);
                throw new ValidationException($"campaign merge: run {plan.Scenarios[s].Name}/{plan.Laws[l]}/{run} missing from shard {j % count}/{count} ({seen[j % count]})");
            }
        }
        return new CampaignResult(plan, records.Select(r => r!).ToList(), traces.Values.ToList());
    }
}
