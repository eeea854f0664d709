using Interceptor.Core;
using Interceptor.Estimation;

namespace Interceptor.Sim.Tests;

internal static class TestScenarios
{
    /// <summary>Fast quad hovering at 100 m vs a constant-velocity target crossing 600 m ahead.</summary>
    public static ScenarioSpec Crossing(double dtS = 0.0025) => new()
    {
        Name = "test-crossing",
        Interceptor = new InterceptorSpec { Preset = MultirotorPresets.FastQuad, StartPosNedM = new(0, 0, -100) },
        Target = new TargetSpec { Kind = TargetSpec.ConstantVelocity, StartPosNedM = new(600, 200, -120), SpeedMs = 10, HeadingDeg = 270 },
        Seeker = new SeekerSpec { MountPitchDeg = 50 },
        Sim = new SimSpec { DtS = dtS, MaxTimeS = 60 },
    };
}

/// <summary>An estimator that never produces a track: the interceptor brakes and hovers.</summary>
internal sealed class NeverTracks : ITargetEstimator
{
    public void AddPositionCue(double timeS, Vector3d targetPosNed, double sigmaM) { }
    public void AddBearing(double timeS, Vector3d ownPosNed, Vector3d losUnitNed, double sigmaRad) { }
    public bool TryGetEstimate(double timeS, out TargetEstimate estimate) { estimate = default; return false; }
    public void Reset() { }
}

/// <summary>Wraps the real estimator and records when each measurement reached it: a measurement added
/// before the query at time t (in the same pipeline step) arrived at t.</summary>
internal sealed class RecordingEstimator : ITargetEstimator
{
    private readonly TargetEstimator _inner = new();
    private readonly List<(bool IsCue, double StampS)> _sinceLastQuery = [];
    public List<(double ArrivalS, double StampS)> Bearings { get; } = [];
    public List<(double ArrivalS, double StampS)> Cues { get; } = [];

    public void AddPositionCue(double timeS, Vector3d targetPosNed, double sigmaM)
    {
        _sinceLastQuery.Add((true, timeS));
        ((ITargetEstimator)_inner).AddPositionCue(timeS, targetPosNed, sigmaM);
    }

    public void AddBearing(double timeS, Vector3d ownPosNed, Vector3d losUnitNed, double sigmaRad)
    {
        _sinceLastQuery.Add((false, timeS));
        ((ITargetEstimator)_inner).AddBearing(timeS, ownPosNed, losUnitNed, sigmaRad);
    }

    public bool TryGetEstimate(double timeS, out TargetEstimate estimate)
    {
        foreach (var (isCue, stamp) in _sinceLastQuery) (isCue ? Cues : Bearings).Add((timeS, stamp));
        _sinceLastQuery.Clear();
        return _inner.TryGetEstimate(timeS, out estimate);
    }

    public void Reset() => _inner.Reset();
}
