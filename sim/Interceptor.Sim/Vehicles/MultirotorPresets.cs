using Interceptor.Core;

namespace Interceptor.Sim;

/// <summary>Physical parameters of a multirotor point-mass model (SI units, radians).</summary>
public readonly record struct MultirotorParams(
    double MaxSpeedMs,
    double ThrustToWeight,
    double MaxTiltRad,
    double AttitudeTimeConstantS,
    double ThrustTimeConstantS,
    double DragPerM,
    double MaxYawRateRadS)
{
    /// <summary>Largest horizontal acceleration available in level flight at full tilt [m/s^2].</summary>
    public double MaxLevelHorizontalAccelMs2 => Wgs84.GravityMs2 * Math.Tan(MaxTiltRad);

    /// <summary>Quadratic drag coefficient that makes level flight at full tilt top out at <paramref name="topSpeedMs"/>.</summary>
    public static double DragForTopSpeed(double maxTiltRad, double topSpeedMs) =>
        Wgs84.GravityMs2 * Math.Tan(maxTiltRad) / (topSpeedMs * topSpeedMs);
}

/// <summary>Named interceptor presets.</summary>
public static class MultirotorPresets
{
    public const string FastQuad = "fast-quad";
    public const string X500 = "x500";
    public static readonly string[] Names = [FastQuad, X500];

    public static bool IsKnown(string? name) => name is FastQuad or X500;

    /// <summary>Preset parameters. "fast-quad": a racing-class interceptor, about 80 m/s, T/W 4, 70 deg
    /// tilt, fast attitude loop. "x500": the PX4 SITL default airframe class: 12 m/s horizontal limit
    /// (MPC_XY_VEL_MAX), 45 deg tilt (MPC_TILTMAX_AIR), T/W about 2, a slower attitude loop.</summary>
    public static MultirotorParams Get(string name) => name switch
    {
        FastQuad => Make(topSpeedMs: 80, thrustToWeight: 4.0, maxTiltDeg: 70, attTauS: 0.05, thrustTauS: 0.03, yawRateDegS: 360),
        X500 => Make(topSpeedMs: 12, thrustToWeight: 2.0, maxTiltDeg: 45, attTauS: 0.12, thrustTauS: 0.05, yawRateDegS: 200),
        _ => throw new ValidationException($"Interceptor.Preset = '{name}': must be one of {string.Join(", ", Names)}"),
    };

    private static MultirotorParams Make(double topSpeedMs, double thrustToWeight, double maxTiltDeg, double attTauS, double thrustTauS, double yawRateDegS)
    {
        double tilt = Angles.ToRad(maxTiltDeg);
        return new(topSpeedMs, thrustToWeight, tilt, attTauS, thrustTauS,
            MultirotorParams.DragForTopSpeed(tilt, topSpeedMs), Angles.ToRad(yawRateDegS));
    }

    /// <summary>Preset with the spec's overrides applied (null fields keep the preset value). When the
    /// speed or tilt is overridden and DragPerM is not, the drag is re-derived from the new top speed.</summary>
    public static MultirotorParams Resolve(InterceptorSpec spec)
    {
        var p = Get(spec.Preset);
        double tilt = spec.MaxTiltDeg is { } t ? Angles.ToRad(t) : p.MaxTiltRad;
        double vmax = spec.MaxSpeedMs ?? p.MaxSpeedMs;
        return p with
        {
            MaxSpeedMs = vmax,
            ThrustToWeight = spec.ThrustToWeight ?? p.ThrustToWeight,
            MaxTiltRad = tilt,
            AttitudeTimeConstantS = spec.AttitudeTimeConstantS ?? p.AttitudeTimeConstantS,
            ThrustTimeConstantS = spec.ThrustTimeConstantS ?? p.ThrustTimeConstantS,
            DragPerM = spec.DragPerM ?? MultirotorParams.DragForTopSpeed(tilt, vmax),
            MaxYawRateRadS = spec.MaxYawRateDegS is { } y ? Angles.ToRad(y) : p.MaxYawRateRadS,
        };
    }
}
