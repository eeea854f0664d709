using Interceptor.Core;

namespace Interceptor.Sim;

/// <summary>How a run ended. Hit/kill thresholds are not applied here: they are evaluated on
/// <see cref="EngagementResult.MissDistanceM"/> by the campaign.</summary>
public enum EngagementOutcome
{
    /// <summary>The interceptor passed its closest approach to the target (range opened again).</summary>
    ClosestApproach,
    /// <summary>The estimator had no valid track for longer than the track-loss timeout before the closest approach.</summary>
    TargetLost,
    /// <summary>Sim.MaxTimeS elapsed without a closest approach.</summary>
    Timeout,
    /// <summary>The safety gate refused the engagement (geofence, non-finite command) and the vehicle was made safe.</summary>
    Aborted,
    /// <summary>The interceptor reached the ground.</summary>
    GroundCollision,
    /// <summary>The target reached the ground (end of its dive) before the closest approach.</summary>
    TargetReachedGround,
}

/// <summary>One sample of a recorded trajectory (NED, metres, seconds).</summary>
public readonly record struct TrajectorySample(
    double TimeS,
    Vector3d InterceptorPosNedM,
    Vector3d TargetPosNedM,
    Vector3d InterceptorVelNedMs,
    Vector3d TargetVelNedMs,
    /// <summary>Estimated target position, or the true one while the estimator has no track (see HasEstimate).</summary>
    Vector3d EstimatedTargetPosNedM,
    bool HasEstimate,
    bool TargetInFov);

/// <summary>Result of one engagement run.</summary>
public sealed record EngagementResult
{
    public required string Scenario { get; init; }
    public required string Law { get; init; }
    public required ulong Seed { get; init; }
    public required EngagementOutcome Outcome { get; init; }
    /// <summary>Minimum distance between interceptor and target over the run, interpolated exactly
    /// between integration steps [m].</summary>
    public required double MissDistanceM { get; init; }
    /// <summary>Time of that minimum [s].</summary>
    public required double TimeOfClosestApproachS { get; init; }
    /// <summary>Target minus interceptor position at the closest approach (NED) [m].</summary>
    public required Vector3d MissVectorNedM { get; init; }
    /// <summary>Relative speed at the closest approach [m/s].</summary>
    public required double ClosingSpeedMs { get; init; }
    /// <summary>Largest magnitude of the interceptor's kinematic acceleration dv/dt [m/s^2].</summary>
    public required double PeakAccelMs2 { get; init; }
    /// <summary>Simulated time at which the run ended [s].</summary>
    public required double EndTimeS { get; init; }
    /// <summary>Seeker frames in which the target was detected, and total frames.</summary>
    public required int SeekerDetections { get; init; }
    public required int SeekerFrames { get; init; }
    /// <summary>Time of the first seeker detection [s]; null if never detected.</summary>
    public double? FirstDetectionTimeS { get; init; }
    /// <summary>Commands the safety gate modified or rejected.</summary>
    public required int GateInterventions { get; init; }
    /// <summary>Decimated trajectory (RunOptions.RecordTrajectory), else empty.</summary>
    public IReadOnlyList<TrajectorySample> Trajectory { get; init; } = [];
}
