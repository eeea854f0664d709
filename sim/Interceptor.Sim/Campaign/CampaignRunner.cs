using Interceptor.Autopilot;
using Interceptor.Sim.ClosedLoop;
using Interceptor.Sim.Scenarios;

namespace Interceptor.Sim.Campaign;

/// <summary>Campaign settings.</summary>
/// <param name="RunsPerScenario">Monte-Carlo runs of every (scenario, law) pair.</param>
/// <param name="BaseSeed">Run i of scenario s uses <see cref="RunSeeds.For"/>(BaseSeed, s, i).</param>
/// <param name="Laws">Concrete law names; every scenario is flown with each.</param>
/// <param name="Shard">Which slice of the jobs this process runs.</param>
/// <param name="MaxDegreeOfParallelism">Worker threads (default: all cores).</param>
/// <param name="TrajectoryRuns">The first this many runs of each pair record a trajectory for the report.</param>
public sealed record CampaignOptions(
    int RunsPerScenario,
    ulong BaseSeed,
    IReadOnlyList<string> Laws,
    ShardSpec Shard,
    int MaxDegreeOfParallelism = 0,
    int TrajectoryRuns = 3)
{
    /// <summary>Interval of recorded trajectory samples [s].</summary>
    public double TrajectoryIntervalS { get; init; } = 0.1;
    /// <summary>Autopilot persona that flies every run through the whole stack over MAVLink (lockstep
    /// <see cref="ClosedLoopRunner"/> against the virtual autopilot); null = the pure simulator.</summary>
    public AutopilotKind? Autopilot { get; init; }
}

/// <summary>What a campaign (or one shard of it) produced, in plan order.</summary>
public sealed record CampaignResult(CampaignManifest Manifest, IReadOnlyList<RunRecord> Records, IReadOnlyList<TrajectoryTrace> Trajectories)
{
    /// <summary>Summaries per (scenario, law) in plan order, over the records present.</summary>
    public List<ScenarioSummary> Summaries()
    {
        var m = Manifest;
        var groups = new List<RunRecord>[m.Scenarios.Count * m.Laws.Count];
        for (int i = 0; i < groups.Length; i++) groups[i] = new List<RunRecord>();
        var sIndex = m.Scenarios.Select((s, i) => (s.Name, i)).ToDictionary(x => x.Name, x => x.i, StringComparer.Ordinal);
        var lIndex = m.Laws.Select((l, i) => (l, i)).ToDictionary(x => x.l, x => x.i, StringComparer.Ordinal);
        foreach (var r in Records) groups[sIndex[r.Scenario] * m.Laws.Count + lIndex[r.Law]].Add(r);
        var list = new List<ScenarioSummary>(groups.Length);
        for (int s = 0; s < m.Scenarios.Count; s++)
            for (int l = 0; l < m.Laws.Count; l++)
                list.Add(CampaignSummary.Compute(m.Scenarios[s], m.Laws[l], groups[s * m.Laws.Count + l]) with { Autopilot = m.Autopilot });
        return list;
    }
}

/// <summary>Runs Monte-Carlo campaigns over scenarios and laws on all cores. Results are stored by job
/// index, so their order and values depend only on the plan and the seeds, never on scheduling or sharding.</summary>
public static class CampaignRunner
{
    public static CampaignManifest Plan(IReadOnlyList<LoadedScenario> scenarios, CampaignOptions options)
    {
        ArgumentNullException.ThrowIfNull(scenarios);
        ArgumentNullException.ThrowIfNull(options);
        if (scenarios.Count == 0) throw new ArgumentException("no scenarios", nameof(scenarios));
        if (options.Laws.Count == 0) throw new ArgumentException("no laws", nameof(options));
        if (options.RunsPerScenario < 1) throw new ArgumentOutOfRangeException(nameof(options), options.RunsPerScenario, "RunsPerScenario must be >= 1");
        var infos = scenarios.Select(s => new ScenarioInfo(s.Name, s.Path.Replace('\\', '/'), s.Spec.Description, s.KillRadiusM, s.Spec.UnitCostUsd, s.Spec.TargetCostUsd)).ToList();
        return new CampaignManifest(infos, options.Laws.ToList(), options.RunsPerScenario, options.BaseSeed,
            Math.Clamp(options.TrajectoryRuns, 0, options.RunsPerScenario), options.Shard)
        { Autopilot = AutopilotName(options.Autopilot) };
    }

    /// <param name="progress">Called after each finished run with (finished, total of this shard); from worker threads.</param>
    public static CampaignResult Run(IReadOnlyList<LoadedScenario> scenarios, CampaignOptions options, Action<int, int>? progress = null, CancellationToken cancel = default)
    {
        var manifest = Plan(scenarios, options);
        var jobs = new List<(int S, int L, int R)>();
        for (int s = 0; s < scenarios.Count; s++)
            for (int l = 0; l < manifest.Laws.Count; l++)
                for (int r = 0; r < manifest.RunsPerScenario; r++)
                    if (options.Shard.Contains(manifest.JobIndex(s, l, r))) jobs.Add((s, l, r));

        var records = new RunRecord[jobs.Count];
        var traces = new TrajectoryTrace?[jobs.Count];
        var plain = RunOptions.Default;
        var recording = new RunOptions { RecordTrajectory = true, TrajectoryIntervalS = options.TrajectoryIntervalS };
        int finished = 0;
        var po = new ParallelOptions
        {
            MaxDegreeOfParallelism = options.MaxDegreeOfParallelism > 0 ? options.MaxDegreeOfParallelism : Environment.ProcessorCount,
            CancellationToken = cancel,
        };
        Parallel.For(0, jobs.Count, po, j =>
        {
            var (s, l, r) = jobs[j];
            var sc = scenarios[s];
            string law = manifest.Laws[l];
            ulong seed = RunSeeds.For(manifest.BaseSeed, sc.Name, r);
            bool record = r < manifest.TrajectoryRuns;
            var result = options.Autopilot is { } ap
                ? ClosedLoopRunner.Run(sc.Spec, ap, seed, new ClosedLoopOptions { Law = law, RecordTrajectory = record, TrajectoryIntervalS = options.TrajectoryIntervalS }).Engagement
                : EngagementRunner.Run(sc.Spec, law, seed, record ? recording : plain);
            records[j] = RunRecord.Create(sc.Name, law, r, seed, result.MissDistanceM, result.TimeOfClosestApproachS, result.PeakAccelMs2, OutcomeName(result.Outcome));
            if (record) traces[j] = TrajectoryTrace.FromResult(sc.Name, law, r, result.Trajectory);
            int done = Interlocked.Increment(ref finished);
            progress?.Invoke(done, jobs.Count);
        });
        return new CampaignResult(manifest, records, traces.Where(t => t is not null).Select(t => t!).ToList());
    }

    /// <summary>Name of the autopilot in campaign.json, summary.json and baselines: "none" (pure simulator),
    /// "px4" or "ardupilot".</summary>
    public static string AutopilotName(AutopilotKind? kind) => kind switch
    {
        null => CampaignManifest.NoAutopilot,
        AutopilotKind.Px4 => "px4",
        AutopilotKind.ArduPilot => "ardupilot",
        _ => kind.Value.ToString().ToLowerInvariant(),
    };

    /// <summary>Parses an autopilot name (case-insensitive): null for "none", else the persona.</summary>
    public static AutopilotKind? ParseAutopilot(string text, string field) => text.Trim().ToLowerInvariant() switch
    {
        "none" => null,
        "px4" => AutopilotKind.Px4,
        "ardupilot" => AutopilotKind.ArduPilot,
        _ => throw new Interceptor.Core.ValidationException($"{field} = '{text}': unknown autopilot; valid: none, px4, ardupilot"),
    };

    /// <summary>Outcome as written to runs.csv (kebab-case).</summary>
    public static string OutcomeName(EngagementOutcome outcome) => outcome switch
    {
        EngagementOutcome.ClosestApproach => CampaignSummary.KillOutcome,
        EngagementOutcome.TargetLost => "target-lost",
        EngagementOutcome.Timeout => "timeout",
        EngagementOutcome.Aborted => "aborted",
        EngagementOutcome.GroundCollision => "ground-collision",
        EngagementOutcome.TargetReachedGround => "target-reached-ground",
        _ => outcome.ToString().ToLowerInvariant(),
    };
}
