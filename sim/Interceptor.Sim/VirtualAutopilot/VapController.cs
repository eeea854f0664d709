using Interceptor.Core;

namespace Interceptor.Sim.VirtualAutopilot;

/// <summary>What the position controller is asked to follow. Unset components are NaN (the autopilots'
/// convention in POSITION_TARGET_LOCAL_NED): a position axis pair with NaN falls back to velocity, then to
/// acceleration only (open loop, as PX4 does for acceleration setpoints), then to braking to zero velocity.</summary>
public struct VapSetpoint
{
    public Vector3d PosNed;
    public Vector3d VelNed;
    public Vector3d AccNed;
    /// <summary>Yaw [rad] or NaN.</summary>
    public double YawRad;
    /// <summary>Yaw rate [rad/s] or NaN.</summary>
    public double YawRateRadS;
    /// <summary>True: follow <see cref="Attitude"/> and <see cref="Thrust"/> instead of the position cascade.</summary>
    public bool IsAttitude;
    public Quaterniond Attitude;
    /// <summary>Attitude mode thrust as the autopilot reads it (PX4: normalised thrust; ArduPilot: climb-rate stick).</summary>
    public double Thrust;

    public static readonly Vector3d Unset = new(double.NaN, double.NaN, double.NaN);

    /// <summary>Brake to zero velocity and hold heading.</summary>
    public static VapSetpoint Brake => new() { PosNed = Unset, VelNed = Vector3d.Zero, AccNed = Unset, YawRad = double.NaN, YawRateRadS = double.NaN };

    public static VapSetpoint HoldAt(Vector3d posNed, double yawRad) =>
        new() { PosNed = posNed, VelNed = Unset, AccNed = Unset, YawRad = yawRad, YawRateRadS = double.NaN };

    public static VapSetpoint Velocity(Vector3d velNed) =>
        new() { PosNed = Unset, VelNed = velNed, AccNed = Unset, YawRad = double.NaN, YawRateRadS = double.NaN };
}

/// <summary>Limits and gains of one autopilot's multicopter position controller (SI units).</summary>
public sealed record VapControlLimits
{
    /// <summary>Largest horizontal velocity setpoint [m/s] (PX4 MPC_XY_VEL_MAX, ArduPilot WPNAV_SPEED for GUIDED).</summary>
    public double MaxVelXyMs { get; init; } = 12;
    /// <summary>Largest climb rate [m/s] (PX4 MPC_Z_VEL_MAX_UP, ArduPilot PILOT_SPEED_UP/WPNAV_SPEED_UP).</summary>
    public double MaxVelUpMs { get; init; } = 3;
    /// <summary>Largest descent rate [m/s] (PX4 MPC_Z_VEL_MAX_DN, ArduPilot WPNAV_SPEED_DN).</summary>
    public double MaxVelDownMs { get; init; } = 1.5;
    /// <summary>Largest tilt the controller asks for [rad] (PX4 MPC_TILTMAX_AIR, ArduPilot ANGLE_MAX).</summary>
    public double MaxTiltRad { get; init; } = Angles.ToRad(45);
    /// <summary>Position P gains [1/s] (PX4 MPC_XY_P, MPC_Z_P).</summary>
    public double PosXyP { get; init; } = 0.95;
    public double PosZP { get; init; } = 1.0;
    /// <summary>Velocity loop gains [1/s, 1/s^2] (PX4 MPC_XY_VEL_P_ACC, _I_ACC; MPC_Z_VEL_P_ACC, _I_ACC).</summary>
    public double VelXyP { get; init; } = 1.8;
    public double VelXyI { get; init; } = 0.4;
    public double VelZP { get; init; } = 4.0;
    public double VelZI { get; init; } = 2.0;
    /// <summary>Yaw P gain [1/s] (attitude controller).</summary>
    public double YawP { get; init; } = 2.8;
    /// <summary>Largest yaw rate the controller commands [rad/s] (PX4 MPC_YAWRAUTO_MAX).</summary>
    public double MaxYawRateRadS { get; init; } = Angles.ToRad(45);
}

/// <summary>Output of one controller step.</summary>
public readonly record struct VapControlOutput(Vector3d ThrustSpecificNed, double YawRateRadS, Vector3d VelSpNed, Vector3d AccSpNed, double YawSpRad);

/// <summary>Cascaded position -> velocity -> acceleration -> thrust-vector controller with the autopilot's limits.
/// Holds only its integrators; <see cref="Step"/> allocates nothing.</summary>
public sealed class VapController
{
    private readonly VapControlLimits _lim;
    private Vector3d _velInt;

    public VapController(VapControlLimits limits) => _lim = limits;

    public VapControlLimits Limits => _lim;

    public void ResetIntegrators() => _velInt = Vector3d.Zero;

    /// <summary>One control step. <paramref name="hoverThrustNorm"/> maps PX4's normalised attitude thrust to
    /// specific thrust; <paramref name="climbRateMode"/> true reads attitude thrust as ArduPilot's climb-rate stick
    /// (0.5 = hold, 1 = full climb, 0 = full descent).</summary>
    public VapControlOutput Step(double dtS, in VapVehicleState s, double yawRad, in VapSetpoint sp, VapVehicle vehicle,
        double hoverThrustNorm, bool climbRateMode)
    {
        double g = Wgs84.GravityMs2;
        if (sp.IsAttitude)
        {
            var q = sp.Attitude.Normalized();
            var zb = q.Rotate(new Vector3d(0, 0, 1));
            double yawSp = q.ToEuler().YawRad;
            double mag;
            if (climbRateMode)
            {
                double stick = Math.Clamp(sp.Thrust, 0, 1);
                double climbVzSp = stick >= 0.5 ? -(stick - 0.5) * 2 * _lim.MaxVelUpMs : (0.5 - stick) * 2 * _lim.MaxVelDownMs;
                double climbAz = _lim.VelZP * (climbVzSp - s.VelNed.Z);
                double cosT = Math.Max(zb.Z, 0.2);
                mag = (g - climbAz) / cosT;
            }
            else
            {
                mag = Math.Clamp(sp.Thrust, 0, 1) / Math.Max(hoverThrustNorm, 1e-3) * g;
            }
            mag = Math.Clamp(mag, 0, vehicle.MaxSpecificThrustMs2);
            var f = -zb * mag;
            // The attitude setpoint is still bounded by the tilt limit of the airframe.
            var fl = vehicle.LimitThrust(f, Math.Max(_lim.MaxTiltRad, vehicle.Params.MaxTiltRad));
            if (f.Z < 0) f = fl;
            _velInt = Vector3d.Zero;
            return new VapControlOutput(f, YawRate(yawRad, yawSp, double.NaN), VapSetpoint.Unset, f + new Vector3d(0, 0, g), yawSp);
        }

        // Horizontal axis pair.
        double vxSp, vySp, axFf = 0, ayFf = 0;
        bool xyOpenLoop = false;
        if (double.IsFinite(sp.PosNed.X) && double.IsFinite(sp.PosNed.Y))
        {
            vxSp = _lim.PosXyP * (sp.PosNed.X - s.PosNed.X) + (double.IsFinite(sp.VelNed.X) ? sp.VelNed.X : 0);
            vySp = _lim.PosXyP * (sp.PosNed.Y - s.PosNed.Y) + (double.IsFinite(sp.VelNed.Y) ? sp.VelNed.Y : 0);
        }
        else if (double.IsFinite(sp.VelNed.X) && double.IsFinite(sp.VelNed.Y)) { vxSp = sp.VelNed.X; vySp = sp.VelNed.Y; }
        else if (double.IsFinite(sp.AccNed.X) && double.IsFinite(sp.AccNed.Y)) { vxSp = double.NaN; vySp = double.NaN; xyOpenLoop = true; }
        else { vxSp = 0; vySp = 0; }
        if (double.IsFinite(sp.AccNed.X) && double.IsFinite(sp.AccNed.Y)) { axFf = sp.AccNed.X; ayFf = sp.AccNed.Y; }
        if (!xyOpenLoop)
        {
            double h = Math.Sqrt(vxSp * vxSp + vySp * vySp);
            if (h > _lim.MaxVelXyMs) { vxSp *= _lim.MaxVelXyMs / h; vySp *= _lim.MaxVelXyMs / h; }
        }

        // Vertical axis.
        double vzSp, azFf = 0;
        bool zOpenLoop = false;
        if (double.IsFinite(sp.PosNed.Z)) vzSp = _lim.PosZP * (sp.PosNed.Z - s.PosNed.Z) + (double.IsFinite(sp.VelNed.Z) ? sp.VelNed.Z : 0);
        else if (double.IsFinite(sp.VelNed.Z)) vzSp = sp.VelNed.Z;
        else if (double.IsFinite(sp.AccNed.Z)) { vzSp = double.NaN; zOpenLoop = true; }
        else vzSp = 0;
        if (double.IsFinite(sp.AccNed.Z)) azFf = sp.AccNed.Z;
        if (!zOpenLoop) vzSp = Math.Clamp(vzSp, -_lim.MaxVelUpMs, _lim.MaxVelDownMs);

        double ax, ay, az;
        if (xyOpenLoop) { ax = axFf; ay = ayFf; _velInt = new Vector3d(0, 0, _velInt.Z); }
        else
        {
            double ex = vxSp - s.VelNed.X, ey = vySp - s.VelNed.Y;
            ax = _lim.VelXyP * ex + _velInt.X + axFf;
            ay = _lim.VelXyP * ey + _velInt.Y + ayFf;
            double maxH = g * Math.Tan(_lim.MaxTiltRad);
            if (Math.Sqrt(ax * ax + ay * ay) < maxH) // anti-windup: integrate only while unsaturated
                _velInt = new Vector3d(Math.Clamp(_velInt.X + _lim.VelXyI * ex * dtS, -maxH, maxH), Math.Clamp(_velInt.Y + _lim.VelXyI * ey * dtS, -maxH, maxH), _velInt.Z);
        }
        if (zOpenLoop) { az = azFf; _velInt = new Vector3d(_velInt.X, _velInt.Y, 0); }
        else
        {
            double ez = vzSp - s.VelNed.Z;
            az = _lim.VelZP * ez + _velInt.Z + azFf;
            if (!s.OnGround) _velInt = new Vector3d(_velInt.X, _velInt.Y, Math.Clamp(_velInt.Z + _lim.VelZI * ez * dtS, -g, g));
        }
        var acc = new Vector3d(ax, ay, az);
        var thrust = vehicle.LimitThrust(acc - new Vector3d(0, 0, g), _lim.MaxTiltRad);

        double yawTarget = sp.YawRad;
        double yawRate = YawRate(yawRad, yawTarget, sp.YawRateRadS);
        return new VapControlOutput(thrust, yawRate, new Vector3d(vxSp, vySp, vzSp), thrust + new Vector3d(0, 0, g),
            double.IsFinite(yawTarget) ? yawTarget : yawRad);
    }

    private double YawRate(double yawRad, double yawSpRad, double yawRateSpRadS)
    {
        if (double.IsFinite(yawRateSpRadS)) return yawRateSpRadS;
        if (!double.IsFinite(yawSpRad)) return 0;
        return Math.Clamp(_lim.YawP * Angles.WrapPi(yawSpRad - yawRad), -_lim.MaxYawRateRadS, _lim.MaxYawRateRadS);
    }
}
