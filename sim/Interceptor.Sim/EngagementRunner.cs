namespace Interceptor.Sim;

/// <summary>Runs one closed-loop engagement: true world (interceptor multirotor, target) integrated with
/// fixed-step RK4, seeker and cue measurements with noise and latency, the InterceptPipeline
/// (estimator -> law -> shaper -> safety gate) at Guidance.GuidanceRateHz. Deterministic: the seed
/// selects the dispersion draw and every noise sample, so the same (spec, law, seed, options) gives the
/// same result bit for bit on any thread. Thread-safe: runs share nothing.</summary>
public static class EngagementRunner
{
    /// <summary>Runs <paramref name="spec"/> with guidance law <paramref name="lawName"/> ("default" = the
    /// scenario's Guidance.Law, whose "default" is the Guidance project's default law). Throws
    /// ValidationException for an invalid spec or unknown law.</summary>
    public static EngagementResult Run(ScenarioSpec spec, string lawName, ulong seed, RunOptions? opts = null)
    {
        var sim = new EngagementSimulation(spec, lawName, seed, opts);
        while (sim.Step()) { }
        return sim.BuildResult();
    }
}
