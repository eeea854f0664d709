using System.Runtime.CompilerServices;
using Interceptor.Core;

namespace Interceptor.Sim;

/// <summary>True state of the interceptor multirotor (NED).</summary>
public readonly record struct MultirotorState(
    Vector3d PosNedM,
    Vector3d VelNedMs,
    /// <summary>Specific thrust: the acceleration the rotors produce [m/s^2], pointing along body -z.</summary>
    Vector3d ThrustAccNedMs2,
    double YawRad)
{
    /// <summary>Body FRD to NED attitude: body -z along the thrust, heading <see cref="YawRad"/>.</summary>
    public Quaterniond Attitude => MultirotorModel.AttitudeFrom(ThrustAccNedMs2, YawRad);
}

/// <summary>Point-mass multirotor with a thrust vector, driven like PX4 in offboard acceleration mode:
/// the setpoint is the desired kinematic acceleration (gravity is added by the autopilot), the thrust
/// vector is limited to the tilt cone and to the thrust-to-weight ratio (vertical component first),
/// the thrust direction follows with a first-order attitude lag and its magnitude with a first-order
/// thrust lag; quadratic drag; yaw follows its setpoint rate-limited. Deterministic and allocation-free.</summary>
public sealed class MultirotorModel
{
    private const double G = Wgs84.GravityMs2;
    /// <summary>Minimum specific thrust the autopilot keeps (props never stop in flight) [m/s^2].</summary>
    public const double MinThrustAccMs2 = 0.1 * G;
    /// <summary>Yaw loop time constant [s] (before the rate limit).</summary>
    public const double YawTimeConstantS = 0.15;

    public MultirotorParams Params { get; }
    private readonly double _maxThrust, _tanTilt;

    public MultirotorModel(MultirotorParams p)
    {
        Params = p;
        _maxThrust = p.ThrustToWeight * G;
        _tanTilt = Math.Tan(p.MaxTiltRad);
    }

    /// <summary>Hover state at a position.</summary>
    public static MultirotorState Hover(Vector3d posNedM, Vector3d velNedMs, double yawRad) =>
        new(posNedM, velNedMs, new Vector3d(0, 0, -G), yawRad);

    /// <summary>The specific thrust the autopilot commands for a kinematic acceleration setpoint:
    /// a_sp - g, with the tilt cone and the thrust limit applied, vertical first (as PX4 does).</summary>
    public Vector3d ThrustCommand(Vector3d accSetpointNedMs2)
    {
        if (!accSetpointNedMs2.IsFinite) accSetpointNedMs2 = Vector3d.Zero;
        double up = G - accSetpointNedMs2.Z;               // upward thrust component
        up = Math.Clamp(up, MinThrustAccMs2, _maxThrust);
        double hx = accSetpointNedMs2.X, hy = accSetpointNedMs2.Y;
        double h = Math.Sqrt(hx * hx + hy * hy);
        double hMax = Math.Min(up * _tanTilt, Math.Sqrt(Math.Max(0, _maxThrust * _maxThrust - up * up)));
        if (h > hMax && h > 0) { double s = hMax / h; hx *= s; hy *= s; }
        return new Vector3d(hx, hy, -up);
    }

    /// <summary>Time derivative of the state under a constant thrust command and yaw setpoint.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Derivative(in MultirotorState s, Vector3d thrustCmd, double yawSetpointRad,
        out Vector3d dPos, out Vector3d dVel, out Vector3d dThrust, out double dYaw)
    {
        dPos = s.VelNedMs;
        double speed = s.VelNedMs.Length;
        dVel = s.ThrustAccNedMs2 + new Vector3d(0, 0, G) - s.VelNedMs * (Params.DragPerM * speed);
        // Thrust: the error along the current thrust axis follows the motor lag, across it the attitude lag.
        var e = thrustCmd - s.ThrustAccNedMs2;
        var axis = s.ThrustAccNedMs2.NormalizedOr(new Vector3d(0, 0, -1));
        var ePar = axis * Vector3d.Dot(e, axis);
        dThrust = ePar / Params.ThrustTimeConstantS + (e - ePar) / Params.AttitudeTimeConstantS;
        double yawErr = Angles.WrapPi(yawSetpointRad - s.YawRad);
        dYaw = Math.Clamp(yawErr / YawTimeConstantS, -Params.MaxYawRateRadS, Params.MaxYawRateRadS);
    }

    /// <summary>Kinematic acceleration dv/dt of a state [m/s^2].</summary>
    public Vector3d Acceleration(in MultirotorState s) =>
        s.ThrustAccNedMs2 + new Vector3d(0, 0, G) - s.VelNedMs * (Params.DragPerM * s.VelNedMs.Length);

    /// <summary>One classical RK4 step of <paramref name="dtS"/> with the command held constant.</summary>
    public MultirotorState Step(in MultirotorState s, Vector3d thrustCmd, double yawSetpointRad, double dtS)
    {
        Derivative(s, thrustCmd, yawSetpointRad, out var p1, out var v1, out var t1, out var y1);
        var s2 = Add(s, p1, v1, t1, y1, 0.5 * dtS);
        Derivative(s2, thrustCmd, yawSetpointRad, out var p2, out var v2, out var t2, out var y2);
        var s3 = Add(s, p2, v2, t2, y2, 0.5 * dtS);
        Derivative(s3, thrustCmd, yawSetpointRad, out var p3, out var v3, out var t3, out var y3);
        var s4 = Add(s, p3, v3, t3, y3, dtS);
        Derivative(s4, thrustCmd, yawSetpointRad, out var p4, out var v4, out var t4, out var y4);
        double k = dtS / 6.0;
        return new MultirotorState(
            s.PosNedM + (p1 + 2 * p2 + 2 * p3 + p4) * k,
            s.VelNedMs + (v1 + 2 * v2 + 2 * v3 + v4) * k,
            s.ThrustAccNedMs2 + (t1 + 2 * t2 + 2 * t3 + t4) * k,
            Angles.WrapPi(s.YawRad + (y1 + 2 * y2 + 2 * y3 + y4) * k));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static MultirotorState Add(in MultirotorState s, Vector3d dp, Vector3d dv, Vector3d dt, double dy, double h) =>
        new(s.PosNedM + dp * h, s.VelNedMs + dv * h, s.ThrustAccNedMs2 + dt * h, s.YawRad + dy * h);

    /// <summary>Attitude whose body -z axis lies along <paramref name="thrustAccNed"/> and whose heading is
    /// <paramref name="yawRad"/> (yaw first, then the shortest tilt onto the thrust axis).</summary>
    public static Quaterniond AttitudeFrom(Vector3d thrustAccNed, double yawRad)
    {
        var qYaw = Quaterniond.FromEuler(0, 0, yawRad);
        var up = thrustAccNed.NormalizedOr(new Vector3d(0, 0, -1));
        var qTilt = Quaterniond.FromTwoVectors(new Vector3d(0, 0, -1), up);
        return (qTilt * qYaw).Normalized();
    }
}
