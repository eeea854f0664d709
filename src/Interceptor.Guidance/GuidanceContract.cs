using Interceptor.Core;

namespace Interceptor.Guidance;

/// <summary>Relative engagement state handed to every guidance law (NED, SI units).
/// RelPosNed = target position - own position [m]; RelVelNed = target velocity - own velocity [m/s].</summary>
public readonly record struct EngagementState(
    Vector3d RelPosNed,
    Vector3d RelVelNed,
    Vector3d OwnVelNed,
    Vector3d TargetAccNed,
    bool TargetAccKnown);

/// <summary>One guidance law. Output is the commanded acceleration in NED [m/s^2] perpendicular
/// to or along the line of sight as the law sees fit, WITHOUT gravity compensation and before any
/// vehicle limit (command shaping is a separate step). Never NaN or infinite. Allocates nothing.</summary>
public interface IGuidanceLaw
{
    /// <summary>Short stable identifier used in scenario files, CLI options and reports (e.g. "ppn", "zem").</summary>
    string Name { get; }
    Vector3d AccelerationCommandNed(in EngagementState state);
}
