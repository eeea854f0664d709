using System.Buffers;
using System.Text;
using System.Text.Json;
using Interceptor.Core;

namespace Interceptor.Sim.Campaign;

/// <summary>What the campaign needs to know about a scenario after the runs (for summaries and reports).</summary>
public sealed record ScenarioInfo(string Name, string File, string Description, double KillRadiusM, double UnitCostUsd, double TargetCostUsd);

/// <summary>The plan of a campaign (campaign.json in every results folder). Two shards belong to the same
/// campaign when their manifests are equal except for <see cref="Shard"/>.</summary>
public sealed record CampaignManifest(
    IReadOnlyList<ScenarioInfo> Scenarios,
    IReadOnlyList<string> Laws,
    int RunsPerScenario,
    ulong BaseSeed,
    int TrajectoryRuns,
    ShardSpec Shard)
{
    public const string FileName = "campaign.json";
    public const string Format = "interceptor-campaign/1";
    /// <summary><see cref="Autopilot"/> of a pure-simulator campaign.</summary>
    public const string NoAutopilot = "none";

    /// <summary>Who flew the runs: "none" (pure simulator), "px4" or "ardupilot" (whole stack over MAVLink
    /// against that virtual autopilot persona). Written as "autopilot"; absent in older files = "none".</summary>
    public string Autopilot { get; init; } = NoAutopilot;

    /// <summary>Total jobs (scenario x law x run) of the whole campaign, all shards together.</summary>
    public long TotalJobs => (long)Scenarios.Count * Laws.Count * RunsPerScenario;

    /// <summary>Index of a job in plan order: scenario-major, then law, then run.</summary>
    public long JobIndex(int scenario, int law, int run) => ((long)scenario * Laws.Count + law) * RunsPerScenario + run;

    public bool SamePlanAs(CampaignManifest other) =>
        RunsPerScenario == other.RunsPerScenario && Autopilot == other.Autopilot && BaseSeed == other.BaseSeed && TrajectoryRuns == other.TrajectoryRuns
        && Laws.SequenceEqual(other.Laws) && Scenarios.SequenceEqual(other.Scenarios);

    public string ToJson()
    {
        var buffer = new ArrayBufferWriter<byte>(2048);
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("format", Format);
            w.WriteString("autopilot", Autopilot);
            w.WriteNumber("baseSeed", BaseSeed);
            w.WriteNumber("runsPerScenario", RunsPerScenario);
            w.WriteNumber("trajectoryRuns", TrajectoryRuns);
            w.WriteString("shard", Shard.ToString());
            w.WriteStartArray("laws");
            foreach (var l in Laws) w.WriteStringValue(l);
            w.WriteEndArray();
            w.WriteStartArray("scenarios");
            foreach (var s in Scenarios)
            {
                w.WriteStartObject();
                w.WriteString("name", s.Name);
                w.WriteString("file", s.File);
                w.WriteString("description", s.Description);
                w.WriteNumber("killRadiusM", s.KillRadiusM);
                w.WriteNumber("unitCostUsd", s.UnitCostUsd);
                w.WriteNumber("targetCostUsd", s.TargetCostUsd);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan) + "\n";
    }

    public static CampaignManifest Read(string path)
    {
        string text;
        try { text = File.ReadAllText(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ValidationException($"{path}: cannot read campaign manifest: {e.Message}");
        }
        try
        {
            using var doc = JsonDocument.Parse(text);
            var r = doc.RootElement;
            string format = r.GetProperty("format").GetString() ?? "";
            if (format != Format) throw new ValidationException($"{path}: format = '{format}': expected '{Format}'");
            var scenarios = new List<ScenarioInfo>();
            foreach (var s in r.GetProperty("scenarios").EnumerateArray())
            {
                scenarios.Add(new ScenarioInfo(
                    s.GetProperty("name").GetString() ?? "",
                    s.GetProperty("file").GetString() ?? "",
                    s.GetProperty("description").GetString() ?? "",
                    s.GetProperty("killRadiusM").GetDouble(),
                    s.GetProperty("unitCostUsd").GetDouble(),
                    s.GetProperty("targetCostUsd").GetDouble()));
            }
            var laws = r.GetProperty("laws").EnumerateArray().Select(e => e.GetString() ?? "").ToList();
            ShardSpec shard;
            try { shard = ShardSpec.Parse(r.GetProperty("shard").GetString() ?? ""); }
            catch (ValidationException e) { throw new ValidationException($"{path}: {e.Message}"); }
            int runs = r.GetProperty("runsPerScenario").GetInt32();
            if (runs < 1) throw new ValidationException($"{path}: runsPerScenario = {runs}: must be >= 1");
            string autopilot = r.TryGetProperty("autopilot", out var ap) ? ap.GetString() ?? "" : NoAutopilot;
            if (autopilot is not (NoAutopilot or "px4" or "ardupilot"))
                throw new ValidationException($"{path}: autopilot = '{autopilot}': expected none, px4 or ardupilot");
            return new CampaignManifest(scenarios, laws, runs, r.GetProperty("baseSeed").GetUInt64(), r.GetProperty("trajectoryRuns").GetInt32(), shard) { Autopilot = autopilot };
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new ValidationException($"{path}: not a valid campaign manifest: {e.Message}");
        }
    }
}
