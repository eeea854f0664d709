using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Interceptor.Sim.Campaign;

/// <summary>Statistics of one (scenario, law) pair over its runs, as written to summary.json.</summary>
/// <param name="Pk">Probability of kill at each of <see cref="CampaignSummary.PkRadiiM"/>: the fraction of runs
/// that reached a closest approach (outcome closest-approach) with a miss distance at or below the radius.</param>
/// <param name="MissMedianM">Median miss distance over all runs (type-7 quantile).</param>
/// <param name="MissP90M">90th percentile of the miss distance.</param>
/// <param name="CepM">Circular error probable of a circular-normal miss distribution with the same mean
/// squared miss: sqrt(ln 2 * mean(miss^2)) = 0.8326 * RMS miss. Far above the median = a heavy tail of gross misses.</param>
/// <param name="CostPerKillUsd">Interceptor unit cost / Pk at the scenario's kill radius; null when no run killed.</param>
public sealed record ScenarioSummary(
    string Name,
    string Law,
    int Runs,
    IReadOnlyList<double> Pk,
    double MissMedianM,
    double MissP90M,
    double CepM,
    double? CostPerKillUsd,
    double PkAtKillRadius,
    double KillRadiusM,
    double UnitCostUsd,
    double TargetCostUsd)
{
    /// <summary>Who flew the runs: "none" (pure simulator), "px4" or "ardupilot" (see <see cref="CampaignManifest.Autopilot"/>).</summary>
    public string Autopilot { get; init; } = CampaignManifest.NoAutopilot;

    /// <summary>Pk at one of the standard radii (0.5, 1, 1.5, 2, 3 m); throws for other radii.</summary>
    public double PkAt(double radiusM)
    {
        int i = Array.IndexOf(CampaignSummary.PkRadiiM, radiusM);
        if (i < 0) throw new ArgumentOutOfRangeException(nameof(radiusM), radiusM, "Pk is summarised at 0.5, 1, 1.5, 2 and 3 m only");
        return Pk[i];
    }
}

/// <summary>Computes summaries and writes summary.json (Utf8JsonWriter: no reflection, AOT-safe, byte-stable).</summary>
public static class CampaignSummary
{
    public const string FileName = "summary.json";
    public const string KillOutcome = "closest-approach";
    public static readonly double[] PkRadiiM = [0.5, 1.0, 1.5, 2.0, 3.0];
    private static readonly string[] PkKeys = ["0.5", "1.0", "1.5", "2.0", "3.0"];

    public static ScenarioSummary Compute(ScenarioInfo scenario, string law, IReadOnlyList<RunRecord> runs)
    {
        int n = runs.Count;
        if (n == 0)
            return new ScenarioSummary(scenario.Name, law, 0, new double[PkRadiiM.Length], 0, 0, 0, null, 0, scenario.KillRadiusM, scenario.UnitCostUsd, scenario.TargetCostUsd);
        var all = new double[n];
        var kills = new List<double>(n);
        double sumSq = 0;
        for (int i = 0; i < n; i++)
        {
            all[i] = runs[i].MissM;
            sumSq += runs[i].MissM * runs[i].MissM;
            if (runs[i].Outcome == KillOutcome) kills.Add(runs[i].MissM);
        }
        Array.Sort(all);
        kills.Sort();
        var pk = new double[PkRadiiM.Length];
        for (int k = 0; k < pk.Length; k++) pk[k] = CountAtOrBelow(kills, PkRadiiM[k]) / (double)n;
        double pkKill = CountAtOrBelow(kills, scenario.KillRadiusM) / (double)n;
        double? costPerKill = pkKill > 0 ? scenario.UnitCostUsd / pkKill : null;
        return new ScenarioSummary(scenario.Name, law, n, pk,
            Statistics.Quantile(all, 0.5), Statistics.Quantile(all, 0.9), Math.Sqrt(Math.Log(2) * sumSq / n),
            costPerKill, pkKill, scenario.KillRadiusM, scenario.UnitCostUsd, scenario.TargetCostUsd);
    }

    private static int CountAtOrBelow(List<double> sorted, double r)
    {
        int c = 0;
        while (c < sorted.Count && sorted[c] <= r) c++;
        return c;
    }

    /// <summary>summary.json: {"scenarios":[{"name","law","autopilot","runs","pk":{"0.5":..},"missMedianM","missP90M","cepM",
    /// "costPerKillUsd", then "killRadiusM","pkAtKillRadius","unitCostUsd","targetCostUsd"}]}. Numbers rounded
    /// (Pk 4 decimals, metres 4 decimals, dollars to the cent) so the file is stable and readable.</summary>
    public static string ToJson(IReadOnlyList<ScenarioSummary> summaries)
    {
        var buffer = new ArrayBufferWriter<byte>(4096);
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteStartArray("scenarios");
            foreach (var s in summaries)
            {
                w.WriteStartObject();
                w.WriteString("name", s.Name);
                w.WriteString("law", s.Law);
                w.WriteString("autopilot", s.Autopilot);
                w.WriteNumber("runs", s.Runs);
                w.WriteStartObject("pk");
                for (int k = 0; k < PkKeys.Length; k++) w.WriteNumber(PkKeys[k], Math.Round(s.Pk[k], 4));
                w.WriteEndObject();
                w.WriteNumber("missMedianM", Math.Round(s.MissMedianM, 4));
                w.WriteNumber("missP90M", Math.Round(s.MissP90M, 4));
                w.WriteNumber("cepM", Math.Round(s.CepM, 4));
                if (s.CostPerKillUsd is { } c) w.WriteNumber("costPerKillUsd", Math.Round(c, 2));
                else w.WriteNull("costPerKillUsd");
                w.WriteNumber("killRadiusM", s.KillRadiusM);
                w.WriteNumber("pkAtKillRadius", Math.Round(s.PkAtKillRadius, 4));
                w.WriteNumber("unitCostUsd", s.UnitCostUsd);
                w.WriteNumber("targetCostUsd", s.TargetCostUsd);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan) + "\n";
    }

    /// <summary>One-line human summary, e.g. for the CLI.</summary>
    public static string Describe(ScenarioSummary s)
    {
        var ic = CultureInfo.InvariantCulture;
        string cost = s.CostPerKillUsd is { } c ? c.ToString("N0", ic) : "n/a (no kill)";
        string who = s.Autopilot == CampaignManifest.NoAutopilot ? "" : $" [{s.Autopilot}]";
        return string.Create(ic, $"{s.Name,-24} {s.Law,-8}{who} runs {s.Runs,5}  Pk(0.5/1/1.5/2/3 m) {s.Pk[0]:F2} {s.Pk[1]:F2} {s.Pk[2]:F2} {s.Pk[3]:F2} {s.Pk[4]:F2}  median {s.MissMedianM:F2} m  P90 {s.MissP90M:F2} m  CEP {s.CepM:F2} m  $/kill {cost} (target ${s.TargetCostUsd.ToString("N0", ic)})");
    }
}
