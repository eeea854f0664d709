using Interceptor.Core;

namespace Interceptor.Guidance;

/// <summary>Which limits acted on a shaped command (several may).</summary>
[Flags]
public enum ShapingLimits
{
    None = 0,
    /// <summary>Along-velocity acceleration capped by the speed limit (or braking from overspeed).</summary>
    Speed = 1,
    /// <summary>Vertical specific force clamped to [MinThrustToWeight, ThrustToWeight] g.</summary>
    Vertical = 2,
    /// <summary>Horizontal specific force cut by the tilt limit.</summary>
    Tilt = 4,
    /// <summary>Horizontal specific force cut by the total thrust left after the vertical share.</summary>
    Thrust = 8,
    /// <summary>A non-finite input was replaced (acceleration -> 0, velocity -> 0, yaw -> 0 / LOS ignored).</summary>
    InvalidInput = 16,
}

/// <summary>One shaped command in every form an autopilot accepts. All fields finite.
/// <list type="bullet">
/// <item>AccelerationNed [m/s^2]: kinematic acceleration setpoint (dv/dt) WITHOUT gravity, after all limits --
/// the form PX4 offboard (SET_POSITION_TARGET_LOCAL_NED afx/afy/afz) and ArduPilot GUIDED take; the
/// autopilot adds gravity itself.</item>
/// <item>SpecificForceNed [m/s^2]: thrust / mass = AccelerationNed - g, g = (0, 0, +9.80665) NED.</item>
/// <item>VelocitySetpointNed [m/s]: v_own + AccelerationNed * VelocityFeedForwardS, length &lt;= MaxSpeedMs.</item>
/// <item>AttitudeNed: body FRD -> NED quaternion whose body -z axis lies along the thrust vector, with yaw YawRad;
/// NormalizedThrust in [0, 1] (HoverThrust * |f| / g). Together: SET_ATTITUDE_TARGET.</item>
/// <item>YawRad: heading that points a body-fixed forward camera at the target, atan2(LOS east, LOS north);
/// the fallback yaw when the target is straight above/below. LosElevationRad: LOS angle above the horizon.
/// CameraLosElevationRad: LOS angle above the body x axis (forward camera boresight) under AttitudeNed -- the
/// camera pitch the attitude implies; mount/gimbal pitch needed to centre the target.</item>
/// </list></summary>
public readonly record struct ShapedCommand(
    Vector3d AccelerationNed,
    Vector3d SpecificForceNed,
    Vector3d VelocitySetpointNed,
    Quaterniond AttitudeNed,
    double NormalizedThrust,
    double YawRad,
    double LosElevationRad,
    double CameraLosElevationRad,
    ShapingLimits Limits);

/// <summary>Turns a guidance acceleration command into a feasible multirotor command. Stateless and
/// allocation-free; one instance per vehicle. Order of operations:
/// (1) speed limit on the kinematic acceleration (along-velocity part &lt;= (MaxSpeed - speed)/tau, braking allowed);
/// (2) gravity compensation f = a - g;
/// (3) vertical priority: upward specific force clamped to [MinThrustToWeight, ThrustToWeight] g, so the
///     commanded climb/sink (and holding weight) is served first;
/// (4) lateral: horizontal specific force cut to min(f_up tan(MaxTilt), sqrt(f_max^2 - f_up^2)), keeping its
///     direction -- the tilt and total thrust are therefore never exceeded;
/// (5) output forms, see <see cref="ShapedCommand"/>.</summary>
public sealed class MultirotorCommandShaper
{
    private const double G = VehicleLimits.GravityMs2;
    private readonly double _maxSpeedMs, _tanTilt, _fMax, _fMin, _hoverThrust, _invSpeedTau, _ffS;

    public MultirotorCommandShaper(VehicleLimits limits, ShaperConfig? config = null)
    {
        Limits = limits.Validate();
        Config = (config ?? ShaperConfig.Default).Validate();
        _maxSpeedMs = limits.MaxSpeedMs;
        _tanTilt = Math.Tan(limits.MaxTiltRad);
        _fMax = limits.ThrustToWeight * G;
        _fMin = limits.MinThrustToWeight * G;
        _hoverThrust = limits.HoverThrust;
        _invSpeedTau = 1.0 / Config.SpeedLimitTimeConstantS;
        _ffS = Config.VelocityFeedForwardS;
    }

    public VehicleLimits Limits { get; }
    public ShaperConfig Config { get; }

    /// <summary>Shapes <paramref name="accelCmdNed"/> (a guidance law's output) for the own velocity and LOS
    /// in <paramref name="state"/>. <paramref name="fallbackYawRad"/> (e.g. the current yaw) is used when the
    /// LOS has no horizontal part.</summary>
    public ShapedCommand Shape(Vector3d accelCmdNed, in EngagementState state, double fallbackYawRad = 0) =>
        Shape(accelCmdNed, state.OwnVelNed, state.RelPosNed, fallbackYawRad);

    /// <summary>As <see cref="Shape(Vector3d, in EngagementState, double)"/> with explicit own velocity and LOS
    /// (target position - own position, any length).</summary>
    public ShapedCommand Shape(Vector3d accelCmdNed, Vector3d ownVelNed, Vector3d losNed, double fallbackYawRad = 0)
    {
        var flags = ShapingLimits.None;
        if (!accelCmdNed.IsFinite) { accelCmdNed = Vector3d.Zero; flags |= ShapingLimits.InvalidInput; }
        if (!ownVelNed.IsFinite) { ownVelNed = Vector3d.Zero; flags |= ShapingLimits.InvalidInput; }
        if (!losNed.IsFinite) { losNed = Vector3d.Zero; flags |= ShapingLimits.InvalidInput; }
        if (!double.IsFinite(fallbackYawRad)) { fallbackYawRad = 0; flags |= ShapingLimits.InvalidInput; }
        // Finite but absurd magnitudes (whose squares overflow) are brought into range, direction kept.
        accelCmdNed = Tame(accelCmdNed);
        ownVelNed = Tame(ownVelNed);
        losNed = Tame(losNed);

        // (1) speed limit.
        var a = accelCmdNed;
        double speed = ownVelNed.Length;
        if (speed > 1e-9)
        {
            var vHat = ownVelNed / speed;
            double aPar = Vector3d.Dot(a, vHat);
            double aParMax = (_maxSpeedMs - speed) * _invSpeedTau;
            if (aPar > aParMax)
            {
                a += vHat * (aParMax - aPar);
                flags |= ShapingLimits.Speed;
            }
        }

        // (2)+(3) gravity compensation, vertical priority. fUp = upward specific force.
        double fUp = G - a.Z;
        if (fUp > _fMax) { fUp = _fMax; flags |= ShapingLimits.Vertical; }
        else if (!(fUp >= _fMin)) { fUp = _fMin; flags |= ShapingLimits.Vertical; }

        // (4) lateral within tilt and remaining thrust.
        double latTilt = fUp * _tanTilt;
        double latThrust = Math.Sqrt(Math.Max(0.0, _fMax * _fMax - fUp * fUp));
        double latMax = Math.Min(latTilt, latThrust);
        double fx = a.X, fy = a.Y;
        double lat = Math.Sqrt(fx * fx + fy * fy);
        if (lat > latMax)
        {
            double s = lat > 0 ? latMax / lat : 0;
            fx *= s; fy *= s;
            flags |= latTilt <= latThrust ? ShapingLimits.Tilt : ShapingLimits.Thrust;
        }
        var f = new Vector3d(fx, fy, -fUp);
        var acc = new Vector3d(fx, fy, G - fUp);

        // (5) output forms.
        var vSp = (ownVelNed + acc * _ffS).ClampLength(_maxSpeedMs);
        double fLen = f.Length;
        double thrust = Math.Clamp(_hoverThrust * fLen / G, 0.0, 1.0);

        double losH = Math.Sqrt(losNed.X * losNed.X + losNed.Y * losNed.Y);
        double yaw, cy, sy;
        if (losH > 1e-9)
        {
            yaw = Math.Atan2(losNed.Y, losNed.X);
            cy = losNed.X / losH; sy = losNed.Y / losH;
        }
        else
        {
            yaw = Angles.WrapPi(fallbackYawRad);
            (sy, cy) = Math.SinCos(yaw);
        }

        // Body z (down) opposite to the thrust; level when the thrust is zero.
        var zb = fLen > 1e-9 ? f / -fLen : Vector3d.UnitZ;
        BodyAxes(zb, cy, sy, out var xb, out var yb);
        var q = FromRotationColumns(xb, yb, zb);

        double losLen = losNed.Length;
        double losElev = 0.0, camElev = 0.0;
        if (losLen > 1e-9)
        {
            losElev = Math.Atan2(-losNed.Z, losH);
            // LOS in body axes (the rows of the body->NED matrix are the axes): elevation above body x.
            double bx = Vector3d.Dot(losNed, xb), by = Vector3d.Dot(losNed, yb), bz = Vector3d.Dot(losNed, zb);
            camElev = Math.Atan2(-bz, Math.Sqrt(bx * bx + by * by));
        }

        return new ShapedCommand(acc, f, vSp, q, thrust, yaw, losElev, camElev, flags);
    }

    private const double Huge = 1e6;

    /// <summary>Caps the length at 1e6 (m/s, m/s^2 or m -- far beyond any vehicle or sensor) without
    /// overflowing on components near double.MaxValue.</summary>
    private static Vector3d Tame(Vector3d v)
    {
        double m = Math.Max(Math.Abs(v.X), Math.Max(Math.Abs(v.Y), Math.Abs(v.Z)));
        if (!(m > Huge)) return v;
        return (v * (Huge / m)).ClampLength(Huge);
    }

    /// <summary>Attitude (body FRD -> NED) with body z along <paramref name="zb"/> (unit, tilt &lt; 90 deg) and
    /// heading (cos, sin) = (<paramref name="cosYaw"/>, <paramref name="sinYaw"/>): y_b = unit(z_b x x_c),
    /// x_b = y_b x z_b with x_c the level heading vector (the construction PX4 uses for thrust + yaw).</summary>
    public static Quaterniond AttitudeFromBodyZ(Vector3d zb, double cosYaw, double sinYaw)
    {
        BodyAxes(zb, cosYaw, sinYaw, out var xb, out var yb);
        return FromRotationColumns(xb, yb, zb);
    }

    private static void BodyAxes(Vector3d zb, double cosYaw, double sinYaw, out Vector3d xb, out Vector3d yb)
    {
        var xc = new Vector3d(cosYaw, sinYaw, 0);
        yb = Vector3d.Cross(zb, xc);
        double yl = yb.Length;
        // zb within 85 deg of vertical never makes yb degenerate; guard anyway for direct callers.
        yb = yl > 1e-9 ? yb / yl : new Vector3d(-sinYaw, cosYaw, 0);
        xb = Vector3d.Cross(yb, zb);
    }

    /// <summary>Quaternion of the rotation matrix whose columns are the body axes in the reference frame.</summary>
    private static Quaterniond FromRotationColumns(Vector3d c0, Vector3d c1, Vector3d c2)
    {
        double m00 = c0.X, m10 = c0.Y, m20 = c0.Z;
        double m01 = c1.X, m11 = c1.Y, m21 = c1.Z;
        double m02 = c2.X, m12 = c2.Y, m22 = c2.Z;
        double tr = m00 + m11 + m22;
        Quaterniond q;
        if (tr > 0)
        {
            double s = Math.Sqrt(tr + 1.0) * 2;
            q = new(0.25 * s, (m21 - m12) / s, (m02 - m20) / s, (m10 - m01) / s);
        }
        else if (m00 > m11 && m00 > m22)
        {
            double s = Math.Sqrt(1.0 + m00 - m11 - m22) * 2;
            q = new((m21 - m12) / s, 0.25 * s, (m01 + m10) / s, (m02 + m20) / s);
        }
        else if (m11 > m22)
        {
            double s = Math.Sqrt(1.0 + m11 - m00 - m22) * 2;
            q = new((m02 - m20) / s, (m01 + m10) / s, 0.25 * s, (m12 + m21) / s);
        }
        else
        {
            double s = Math.Sqrt(1.0 + m22 - m00 - m11) * 2;
            q = new((m10 - m01) / s, (m02 + m20) / s, (m12 + m21) / s, 0.25 * s);
        }
        if (q.W < 0) q = new(-q.W, -q.X, -q.Y, -q.Z);
        return q.Normalized();
    }
}
