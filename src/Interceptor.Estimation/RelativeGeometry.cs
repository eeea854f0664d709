using Interceptor.Core;

namespace Interceptor.Estimation;

/// <summary>Relative geometry between the estimated target and the interceptor at <see cref="TimeS"/>:
/// the raw quantities a guidance law needs. RelPosNed = target - own [m], RelVelNed = target - own [m/s].
/// The pipeline maps this to Guidance's EngagementState (RelPosNed, RelVelNed, OwnVelNed, TargetAccNed,
/// TargetAccValid -> TargetAccKnown); Estimation does not reference Guidance.</summary>
public readonly record struct RelativeEstimate(
    double TimeS,
    Vector3d RelPosNed,
    Vector3d RelVelNed,
    Vector3d OwnVelNed,
    Vector3d TargetAccNed,
    bool TargetAccValid,
    /// <summary>|RelPosNed| [m].</summary>
    double RangeM,
    /// <summary>-d(range)/dt [m/s]; positive while closing, 0 at zero range.</summary>
    double ClosingSpeedMps,
    /// <summary>Unit LOS from interceptor to target; zero vector at zero range.</summary>
    Vector3d LosUnitNed,
    /// <summary>LOS angular rate vector (r x v) / |r|^2 [rad/s]; zero at zero range.</summary>
    Vector3d LosRateNedRadS,
    /// <summary>Target position 1-sigma (sqrt trace) [m].</summary>
    double PosSigmaM);

public static class RelativeGeometry
{
    /// <summary>Below this range the LOS is undefined and reported as zero [m].</summary>
    public const double MinRangeM = 1e-6;

    /// <summary>Relative geometry from a target estimate and the own state at the same time. All outputs
    /// are finite for finite inputs; at zero range LOS, LOS rate and closing speed are zero.</summary>
    public static RelativeEstimate Compute(in TargetEstimate target, Vector3d ownPosNed, Vector3d ownVelNed)
    {
        Vector3d r = target.PosNed - ownPosNed;
        Vector3d v = target.VelNed - ownVelNed;
        double range = r.Length;
        Vector3d los = Vector3d.Zero, losRate = Vector3d.Zero;
        double closing = 0;
        if (range > MinRangeM && double.IsFinite(range))
        {
            los = r / range;
            closing = -Vector3d.Dot(r, v) / range;
            losRate = Vector3d.Cross(r, v) / (range * range);
        }
        return new RelativeEstimate(target.TimeS, r, v, ownVelNed, target.AccNed, target.AccValid, range, closing,
            los, losRate, target.PosSigmaM);
    }
}
