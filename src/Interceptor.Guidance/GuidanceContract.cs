using Interceptor.Core;

namespace Interceptor.Guidance;

/// <summary>Relative engagement state handed to every guidance law (NED, SI units).
/// RelPosNed = target position - own position [m]; RelVelNed = target velocity - own velocity [m/s];
/// OwnVelNed = own velocity [m/s]; TargetAccNed = estimated target acceleration [m/s^2], used only
/// when <see cref="TargetAccKnown"/>. The derived properties below are conveniences computed on
/// demand (they are not part of equality and cost nothing unless read).</summary>
public readonly record struct EngagementState(
    Vector3d RelPosNed,
    Vector3d RelVelNed,
    Vector3d OwnVelNed,
    Vector3d TargetAccNed,
    bool TargetAccKnown)
{
    /// <summary>Target velocity in NED [m/s] = RelVelNed + OwnVelNed.</summary>
    public Vector3d TargetVelNed => RelVelNed + OwnVelNed;

    /// <summary>Range to the target [m].</summary>
    public double RangeM => RelPosNed.Length;

    /// <summary>Closing speed [m/s] = -d(range)/dt; positive while the range shrinks, 0 at zero range.</summary>
    public double ClosingSpeedMs
    {
        get
        {
            double r = RelPosNed.Length;
            return r > 0 ? -Vector3d.Dot(RelPosNed, RelVelNed) / r : 0.0;
        }
    }

    /// <summary>Line-of-sight angular rate vector in NED [rad/s] = r x v / |r|^2; zero at zero range.</summary>
    public Vector3d LosRateNed
    {
        get
        {
            double r2 = RelPosNed.LengthSquared;
            return r2 > 0 ? Vector3d.Cross(RelPosNed, RelVelNed) / r2 : Vector3d.Zero;
        }
    }

    /// <summary>True when every input the laws read is finite (TargetAccNed only when known).</summary>
    public bool IsFinite => RelPosNed.IsFinite && RelVelNed.IsFinite && OwnVelNed.IsFinite
                            && (!TargetAccKnown || TargetAccNed.IsFinite);

    /// <summary>State for a target that is not accelerating (or whose acceleration is unknown).</summary>
    public static EngagementState FromRelative(Vector3d relPosNed, Vector3d relVelNed, Vector3d ownVelNed) =>
        new(relPosNed, relVelNed, ownVelNed, Vector3d.Zero, false);

    /// <summary>State from absolute own and target kinematics (NED). Pass targetAccNed = null when unknown.</summary>
    public static EngagementState FromAbsolute(Vector3d ownPosNed, Vector3d ownVelNed,
        Vector3d targetPosNed, Vector3d targetVelNed, Vector3d? targetAccNed = null) =>
        new(targetPosNed - ownPosNed, targetVelNed - ownVelNed, ownVelNed,
            targetAccNed ?? Vector3d.Zero, targetAccNed.HasValue);
}

/// <summary>One guidance law. Output is the commanded acceleration in NED [m/s^2] perpendicular
/// to or along the line of sight as the law sees fit, WITHOUT gravity compensation and before any
/// vehicle limit (command shaping is a separate step: <see cref="MultirotorCommandShaper"/>).
/// Never NaN or infinite: any non-finite input gives <see cref="Vector3d.Zero"/>. Allocates nothing.</summary>
public interface IGuidanceLaw
{
    /// <summary>Short stable identifier used in scenario files, CLI options and reports (e.g. "ppn", "zem").</summary>
    string Name { get; }
    Vector3d AccelerationCommandNed(in EngagementState state);
}
