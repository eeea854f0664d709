using Interceptor.Core;

namespace Interceptor.Estimation;

/// <summary>Target state estimate in NED at <see cref="TimeS"/> (seconds on the injected clock).</summary>
public readonly record struct TargetEstimate(
    double TimeS,
    Vector3d PosNed,
    Vector3d VelNed,
    Vector3d AccNed,
    bool AccValid,
    /// <summary>1-sigma position uncertainty [m] (sqrt of the trace of the position covariance).</summary>
    double PosSigmaM,
    /// <summary>1-sigma velocity uncertainty [m/s] (sqrt of the trace of the velocity covariance).</summary>
    double VelSigmaMps = 0,
    /// <summary>IMM probability of the manoeuvring (constant-acceleration) mode, 0..1.</summary>
    double ManeuverProbability = 0);

/// <summary>Target state estimator fed by timestamped measurements. Measurements may arrive late
/// or out of order; they are applied by their own timestamp (latency compensation), not arrival order.</summary>
public interface ITargetEstimator
{
    /// <summary>Position cue (C2 / radar) with isotropic 1-sigma noise [m].</summary>
    void AddPositionCue(double timeS, Vector3d targetPosNed, double sigmaM);

    /// <summary>Bearing-only line-of-sight measurement from the seeker: unit LOS vector in NED from
    /// the interceptor position <paramref name="ownPosNed"/> at the measurement time, 1-sigma angular noise [rad].</summary>
    void AddBearing(double timeS, Vector3d ownPosNed, Vector3d losUnitNed, double sigmaRad);

    /// <summary>Estimate propagated to <paramref name="timeS"/>; false until initialised or after divergence.</summary>
    bool TryGetEstimate(double timeS, out TargetEstimate estimate);

    void Reset();
}
