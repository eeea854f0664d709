using BenchmarkDotNet.Attributes;
using Interceptor.Core;
using Interceptor.Sim;

namespace Interceptor.Benchmarks;

/// <summary>Simulator cost. <c>Step</c>: one RK4 step of the closed loop, amortised over the guidance ticks
/// (every 4th step at 2.5 ms / 100 Hz: estimator query, law, shaper, gate) and the 30 Hz seeker frames
/// with the real IMM estimator; goal 0 B. <c>FullEngagement*</c>: whole runs.
/// Run: dotnet run -c Release --project tests/Interceptor.Benchmarks -- --filter '*SimBenchmarks*' --job short</summary>
[MemoryDiagnoser]
public class SimBenchmarks
{
    /// <summary>A target the fast quad cannot catch (120 m/s, opening) so a run lasts an hour of sim time:
    /// steady-state stepping with cues, seeker frames and guidance, never the end-of-run path.</summary>
    private static readonly ScenarioSpec Endless = new()
    {
        Name = "bench-endless",
        Interceptor = new InterceptorSpec { Preset = MultirotorPresets.FastQuad, StartPosNedM = new(0, 0, -300) },
        Target = new TargetSpec { Kind = TargetSpec.ConstantVelocity, StartPosNedM = new(1500, 0, -300), SpeedMs = 120, HeadingDeg = 0 },
        Seeker = new SeekerSpec { MountPitchDeg = 45, DetectionRange50M = 1e5 },
        Cue = new CueSpec { RateHz = 2, LatencyS = 0.3 },
        Safety = new SafetySpec { GeofenceRadiusM = 1e6 },
        Sim = new SimSpec { DtS = 0.0025, MaxTimeS = 3600 },
    };

    private static readonly ScenarioSpec ShahedStraight = new()
    {
        Name = "bench-shahed-straight",
        Interceptor = new InterceptorSpec { Preset = MultirotorPresets.FastQuad, StartPosNedM = new(0, 0, -100) },
        Target = new TargetSpec { Kind = TargetSpec.Shahed, StartPosNedM = new(5000, 1000, -300), SpeedMs = 48, HeadingDeg = 180 },
        Seeker = new SeekerSpec { MountPitchDeg = 50, DetectionRange50M = 2000, DetectionRangeWidthM = 200 },
        Cue = new CueSpec { PositionNoiseM = 15, RateHz = 1, LatencyS = 1 },
        Sim = new SimSpec { DtS = 0.0025, MaxTimeS = 120 },
    };

    private static readonly ScenarioSpec CrossingQuad = new()
    {
        Name = "bench-crossing-quad",
        Interceptor = new InterceptorSpec { Preset = MultirotorPresets.X500, StartPosNedM = new(0, 0, -30), StartYawDeg = 0 },
        Target = new TargetSpec { Kind = TargetSpec.ConstantVelocity, StartPosNedM = new(120, -60, -40), SpeedMs = 6, HeadingDeg = 90 },
        Seeker = new SeekerSpec { MountPitchDeg = 30, DetectionRange50M = 400, DetectionRangeWidthM = 50 },
        Cue = new CueSpec { PositionNoiseM = 3, RateHz = 2, LatencyS = 0.3 },
        Guidance = new GuidanceSpec { GuidanceRateHz = 50 },
        Sim = new SimSpec { DtS = 0.0025, MaxTimeS = 60 },
    };

    private EngagementSimulation _sim = null!;

    [GlobalSetup]
    public void Setup()
    {
        _sim = new EngagementSimulation(Endless, "zem", 1);
        for (int i = 0; i < 4000; i++) _sim.Step(); // past track start and first seeker frames
    }

    [Benchmark]
    public bool Step()
    {
        if (!_sim.Step()) _sim = new EngagementSimulation(Endless, "zem", 1); // after 1.44 M steps only
        return _sim.IsFinished;
    }

    [Benchmark]
    public double FullEngagementShahedStraight() => EngagementRunner.Run(ShahedStraight, "zem", 7).MissDistanceM;

    [Benchmark]
    public double FullEngagementCrossingQuadX500() => EngagementRunner.Run(CrossingQuad, "zem", 7).MissDistanceM;
}
