using Interceptor.Estimation;

namespace Interceptor.Sim;

/// <summary>Options of one run that are not part of the scenario.</summary>
public sealed record RunOptions
{
    public static readonly RunOptions Default = new();

    /// <summary>Record a decimated trajectory for plotting.</summary>
    public bool RecordTrajectory { get; init; }
    /// <summary>Interval between recorded samples [s] (the closest approach is always recorded).</summary>
    public double TrajectoryIntervalS { get; init; } = 0.1;
    /// <summary>Apply the scenario's dispersions (false = nominal geometry, noise still seeded).</summary>
    public bool ApplyDispersions { get; init; } = true;
    /// <summary>Zero every sensor noise (seeker angles, cue positions) and detect every in-FOV frame:
    /// for deterministic geometry tests. Latency and frame rates still apply.</summary>
    public bool Noiseless { get; init; }
    /// <summary>Bypass the estimator and hand the law the true target state (an upper bound on accuracy).</summary>
    public bool PerfectTargetKnowledge { get; init; }
    /// <summary>Estimator factory; null = the default estimator of Interceptor.Estimation.</summary>
    public Func<ITargetEstimator>? EstimatorFactory { get; init; }
    /// <summary>Limit the forward pitch so the target stays in the body-fixed camera's vertical field of view
    /// (PipelineConfig.CameraFov), keeping <see cref="CameraFovMarginDeg"/> inside the image edge.</summary>
    public bool KeepTargetInCameraView { get; init; } = true;
    public double CameraFovMarginDeg { get; init; } = 4;
    /// <summary>Without a valid track for this long (after the first one) the run ends as TargetLost [s].</summary>
    public double TrackLossTimeoutS { get; init; } = 3.0;
}
