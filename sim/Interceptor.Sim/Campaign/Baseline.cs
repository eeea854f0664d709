using System.Globalization;
using Interceptor.Sim.Scenarios;

namespace Interceptor.Sim.Campaign;

/// <summary>One regression threshold: for (scenario, law), Pk at <see cref="PkRadiusM"/> must be at least
/// <see cref="MinPk"/> and the median miss at most <see cref="MaxMissMedianM"/> (either may be absent).</summary>
public sealed record BaselineCheck(string Scenario, string Law, double PkRadiusM, double? MinPk, double? MaxMissMedianM, int Line)
{
    /// <summary>Autopilot the check applies to ("none", "px4", "ardupilot"); null = campaigns of any autopilot.</summary>
    public string? Autopilot { get; init; }
}

/// <summary>Outcome of one check against a campaign summary.</summary>
public sealed record BaselineVerdict(BaselineCheck Check, ScenarioSummary? Summary, bool Passed, string Message)
{
    public bool Skipped => Summary is null;
}

/// <summary>Committed thresholds per scenario and law (e.g. sim/suites/standard/baseline.yaml):
/// <code>
/// checks:
///   - scenario: shahed-straight
///     law: zem
///     pkRadiusM: 1.0      # one of 0.5, 1, 1.5, 2, 3
///     minPk: 0.90
///     maxMissMedianM: 0.35
///     autopilot: px4     # optional: only campaigns flown by this autopilot (none, px4, ardupilot); absent = any
/// </code></summary>
public sealed record Baseline(string Path, IReadOnlyList<BaselineCheck> Checks)
{
    public static Baseline Load(string path)
    {
        var file = YamlFile.Load(path);
        var checks = new List<BaselineCheck>();
        foreach (var c in file.Root.SectionList("checks"))
        {
            string scenario = c.String("scenario");
            string law = c.String("law");
            double radius = c.Double("pkRadiusM", 1.0);
            if (Array.IndexOf(CampaignSummary.PkRadiiM, radius) < 0) throw c.Invalid("pkRadiusM", "must be one of 0.5, 1, 1.5, 2, 3 (the radii summary.json reports)");
            double? minPk = c.OptionalDouble("minPk");
            if (minPk is { } p && (p < 0 || p > 1)) throw c.Invalid("minPk", "must be in [0, 1]");
            double? maxMedian = c.OptionalDouble("maxMissMedianM");
            if (maxMedian is { } mm && mm <= 0) throw c.Invalid("maxMissMedianM", "must be > 0");
            if (minPk is null && maxMedian is null) throw new ScenarioFileException($"{path}:{c.Line}: {c.Path}: needs minPk and/or maxMissMedianM");
            string? autopilot = c.OptionalString("autopilot")?.Trim().ToLowerInvariant();
            if (autopilot is not (null or CampaignManifest.NoAutopilot or "px4" or "ardupilot")) throw c.Invalid("autopilot", "must be none, px4 or ardupilot");
            c.RejectUnknownKeys();
            checks.Add(new BaselineCheck(scenario, law, radius, minPk, maxMedian, c.Line) { Autopilot = autopilot });
        }
        file.Root.RejectUnknownKeys();
        if (checks.Count == 0) throw new ScenarioFileException($"{path}:{file.Root.Line}: checks: the baseline has no checks");
        return new Baseline(path, checks);
    }

    /// <summary>Evaluates every check against <paramref name="summaries"/>. Checks for pairs the campaign did
    /// not run are skipped (not failed).</summary>
    public List<BaselineVerdict> Evaluate(IReadOnlyList<ScenarioSummary> summaries)
    {
        var ic = CultureInfo.InvariantCulture;
        var verdicts = new List<BaselineVerdict>(Checks.Count);
        foreach (var c in Checks)
        {
            var s = summaries.FirstOrDefault(x => x.Name == c.Scenario && x.Law == c.Law && x.Runs > 0 && (c.Autopilot is null || c.Autopilot == x.Autopilot));
            if (s is null)
            {
                verdicts.Add(new BaselineVerdict(c, null, true, $"{c.Scenario}/{c.Law}{(c.Autopilot is null ? "" : $" [{c.Autopilot}]")}: not in this campaign, skipped"));
                continue;
            }
            var problems = new List<string>();
            var parts = new List<string>();
            if (c.MinPk is { } minPk)
            {
                double pk = s.PkAt(c.PkRadiusM);
                parts.Add(string.Create(ic, $"Pk({c.PkRadiusM:0.0#} m) {pk:0.000} (min {minPk:0.000})"));
                if (pk < minPk) problems.Add(string.Create(ic, $"Pk({c.PkRadiusM:0.0#} m) = {pk:0.000} < {minPk:0.000}"));
            }
            if (c.MaxMissMedianM is { } maxMed)
            {
                parts.Add(string.Create(ic, $"median miss {s.MissMedianM:0.000} m (max {maxMed:0.000})"));
                if (s.MissMedianM > maxMed) problems.Add(string.Create(ic, $"median miss = {s.MissMedianM:0.000} m > {maxMed:0.000} m"));
            }
            bool ok = problems.Count == 0;
            verdicts.Add(new BaselineVerdict(c, s, ok,
                $"{c.Scenario}/{c.Law} ({s.Runs} runs): " + (ok ? string.Join(", ", parts) : "REGRESSION: " + string.Join("; ", problems) + $" ({Path}:{c.Line})")));
        }
        return verdicts;
    }
}
