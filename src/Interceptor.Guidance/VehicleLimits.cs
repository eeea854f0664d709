using Interceptor.Core;

namespace Interceptor.Guidance;

/// <summary>Physical limits of a multirotor used by <see cref="MultirotorCommandShaper"/>.
/// <para>MaxSpeedMs: top speed [m/s]. MaxTiltRad: largest angle of the thrust vector from vertical [rad],
/// in (0, 85 deg]. ThrustToWeight: maximum thrust / weight [-], &gt; 1 (it must hover). HoverThrust: normalized
/// thrust [0..1] that holds weight (linear thrust model, as PX4's MPC_THR_HOVER); normalized thrust =
/// HoverThrust * |specific force| / g, clamped to [0, 1]. MinThrustToWeight: least thrust / weight the
/// shaper commands [-] in [0, 1), keeps attitude authority when a dive is asked for.</para></summary>
public sealed record VehicleLimits(
    double MaxSpeedMs,
    double MaxTiltRad,
    double ThrustToWeight,
    double HoverThrust,
    double MinThrustToWeight = 0.1)
{
    /// <summary>Standard gravity [m/s^2].</summary>
    public const double GravityMs2 = 9.80665;

    /// <summary>Fast interceptor quad of the design notes: 80 m/s, 70 deg tilt, T/W 4, hover thrust 1/4.</summary>
    public static VehicleLimits FastInterceptor { get; } = new(80.0, 70.0 * Angles.DegToRad, 4.0, 0.25);

    /// <summary>x500-class hobby quad (PX4 SITL default airframe class): 12 m/s, 45 deg tilt, T/W 2, hover thrust 1/2.</summary>
    public static VehicleLimits X500 { get; } = new(12.0, 45.0 * Angles.DegToRad, 2.0, 0.5);

    /// <summary>Largest total specific force (thrust / mass) [m/s^2].</summary>
    public double MaxSpecificForceMs2 => ThrustToWeight * GravityMs2;

    /// <summary>Throws <see cref="ValidationException"/> naming the first bad field and its value.</summary>
    public VehicleLimits Validate()
    {
        Require.Positive(MaxSpeedMs, "VehicleLimits.MaxSpeedMs");
        Require.InRange(MaxTiltRad, 1e-3, 85.0 * Angles.DegToRad, "VehicleLimits.MaxTiltRad");
        Require.InRange(ThrustToWeight, 1.0, 100.0, "VehicleLimits.ThrustToWeight");
        if (!(ThrustToWeight > 1.0)) Require.Fail("VehicleLimits.ThrustToWeight", ThrustToWeight, "must be > 1 to hover");
        Require.InRange(HoverThrust, 1e-3, 1.0, "VehicleLimits.HoverThrust");
        Require.InRange(MinThrustToWeight, 0.0, 1.0, "VehicleLimits.MinThrustToWeight");
        if (!(MinThrustToWeight < 1.0)) Require.Fail("VehicleLimits.MinThrustToWeight", MinThrustToWeight, "must be < 1 to descend");
        return this;
    }
}

/// <summary>Shaper tuning. SpeedLimitTimeConstantS [s]: the along-velocity acceleration is capped at
/// (MaxSpeedMs - speed) / tau, so speed approaches the limit exponentially and an overspeed brakes.
/// VelocityFeedForwardS [s]: velocity setpoint = v_own + a * tau for autopilots that take only velocity;
/// set it to 1 / the autopilot's velocity-loop gain (e.g. PX4 MPC_XY_VEL_P_ACC).</summary>
public sealed record ShaperConfig(double SpeedLimitTimeConstantS = 0.5, double VelocityFeedForwardS = 0.5)
{
    public static ShaperConfig Default { get; } = new();

    public ShaperConfig Validate()
    {
        Require.Positive(SpeedLimitTimeConstantS, "ShaperConfig.SpeedLimitTimeConstantS");
        Require.Positive(VelocityFeedForwardS, "ShaperConfig.VelocityFeedForwardS");
        return this;
    }
}
