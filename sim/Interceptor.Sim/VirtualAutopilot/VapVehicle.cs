using Interceptor.Core;

namespace Interceptor.Sim.VirtualAutopilot;

/// <summary>Truth state of the simulated vehicle (NED about the home point, SI units).</summary>
public readonly record struct VapVehicleState(
    Vector3d PosNed,
    Vector3d VelNed,
    Vector3d AccNed,
    Quaterniond Attitude,
    Vector3d RatesBodyRadS,
    double ThrustNorm,
    bool OnGround);

/// <summary>The simulated airframe: the foundation's <see cref="MultirotorModel"/> (point mass with a thrust vector,
/// attitude and thrust lags, tilt and thrust-to-weight limits, quadratic drag) on a flat ground at z = 0 that the
/// vehicle rests on, with the attitude and body rates an autopilot would report. <see cref="Step"/> allocates nothing.</summary>
public sealed class VapVehicle
{
    private readonly MultirotorParams _p;
    private readonly MultirotorModel _model;
    private Vector3d _pos, _vel, _acc;
    private Vector3d _thrustSpecific; // specific thrust force vector [m/s^2], NED (points "up" = negative z when hovering)
    private double _yawRad;
    private Quaterniond _att = Quaterniond.Identity;
    private (double R, double P, double Y) _prevEuler;
    private Vector3d _ratesBody;
    private bool _onGround = true;

    public VapVehicle(MultirotorParams p, double initialYawRad = 0)
    {
        _p = p;
        _model = new MultirotorModel(p);
        _yawRad = Angles.WrapPi(initialYawRad);
        _att = Quaterniond.FromEuler(0, 0, _yawRad);
        _prevEuler = (0, 0, _yawRad);
    }

    public MultirotorParams Params => _p;
    public double YawRad => _yawRad;
    public bool OnGround => _onGround;

    /// <summary>Largest specific thrust the motors give [m/s^2].</summary>
    public double MaxSpecificThrustMs2 => _p.ThrustToWeight * Wgs84.GravityMs2;

    public VapVehicleState State => new(_pos, _vel, _acc, _att, _ratesBody,
        _thrustSpecific.Length / MaxSpecificThrustMs2, _onGround);

    /// <summary>Places the vehicle (tests, scenario start).</summary>
    public void Reset(Vector3d posNed, Vector3d velNed, double yawRad)
    {
        _pos = posNed; _vel = velNed; _acc = Vector3d.Zero; _yawRad = Angles.WrapPi(yawRad);
        _onGround = posNed.Z >= 0 && velNed.LengthSquared < 1e-9;
        _thrustSpecific = _onGround ? Vector3d.Zero : new Vector3d(0, 0, -Wgs84.GravityMs2);
        _att = Quaterniond.FromEuler(0, 0, _yawRad);
        _prevEuler = (0, 0, _yawRad);
    }

    /// <summary>Limits a specific-thrust command to the tilt cone and the available thrust, keeping the vertical
    /// component first (altitude has priority over horizontal acceleration, as PX4 and ArduPilot do).</summary>
    public Vector3d LimitThrust(Vector3d f, double maxTiltRad)
    {
        double tilt = Math.Min(maxTiltRad, _p.MaxTiltRad);
        double up = Math.Max(-f.Z, 0.05 * Wgs84.GravityMs2);
        double hMax = up * Math.Tan(tilt);
        double h = f.HorizontalLength;
        double hx = f.X, hy = f.Y;
        if (h > hMax && h > 0) { hx *= hMax / h; hy *= hMax / h; h = hMax; }
        double max = MaxSpecificThrustMs2;
        if (up > max) { up = max; hx = 0; hy = 0; h = 0; }
        double hAvail = Math.Sqrt(Math.Max(0, max * max - up * up));
        if (h > hAvail && h > 0) { hx *= hAvail / h; hy *= hAvail / h; }
        return new Vector3d(hx, hy, -up);
    }

    /// <summary>Advances by <paramref name="dtS"/> with a specific-thrust command (already limited, NED) and a
    /// yaw-rate command [rad/s]. <paramref name="motorsOn"/> false cuts the thrust. Airborne motion is the
    /// foundation's <see cref="MultirotorModel"/> (RK4, thrust and attitude lags, drag, rate-limited yaw); this class
    /// adds the ground the vehicle rests on.</summary>
    public void Step(double dtS, Vector3d thrustCmd, double yawRateCmdRadS, bool motorsOn)
    {
        if (!(dtS > 0)) return;
        if (!motorsOn || !thrustCmd.IsFinite) thrustCmd = Vector3d.Zero;
        double yawRate = double.IsFinite(yawRateCmdRadS) ? Math.Clamp(yawRateCmdRadS, -_p.MaxYawRateRadS, _p.MaxYawRateRadS) : 0;
        // The model's yaw loop follows a heading setpoint with YawTimeConstantS: a setpoint that far ahead yields the rate.
        double yawSp = _onGround ? _yawRad : _yawRad + yawRate * MultirotorModel.YawTimeConstantS;
        var next = _model.Step(new MultirotorState(_pos, _vel, _thrustSpecific, _yawRad), thrustCmd, yawSp, dtS);
        var g = new Vector3d(0, 0, Wgs84.GravityMs2);
        if (_onGround)
        {
            // The ground pushes back until the thrust lifts more than the weight.
            _thrustSpecific = next.ThrustAccNedMs2;
            if ((_thrustSpecific + g).Z < 0) { _onGround = false; _pos = next.PosNedM; _vel = next.VelNedMs; _yawRad = next.YawRad; }
            else { _vel = Vector3d.Zero; }
        }
        else
        {
            _pos = next.PosNedM; _vel = next.VelNedMs; _thrustSpecific = next.ThrustAccNedMs2; _yawRad = next.YawRad;
            if (_pos.Z >= 0 && _vel.Z >= 0)
            {
                _pos = new Vector3d(_pos.X, _pos.Y, 0);
                _vel = Vector3d.Zero;
                _onGround = true;
            }
        }
        _acc = _onGround ? Vector3d.Zero : _model.Acceleration(new MultirotorState(_pos, _vel, _thrustSpecific, _yawRad));

        // Attitude: body z axis opposite to the thrust; Euler yaw equals the heading (as autopilots report it).
        var zb = (-_thrustSpecific).NormalizedOr(new Vector3d(0, 0, 1));
        if (_thrustSpecific.LengthSquared < 1e-6) zb = new Vector3d(0, 0, 1);
        _att = AttitudeFrom(zb, _yawRad);
        var e = _att.ToEuler();
        double dr = Angles.WrapPi(e.RollRad - _prevEuler.R) / dtS;
        double dp = Angles.WrapPi(e.PitchRad - _prevEuler.P) / dtS;
        double dy = Angles.WrapPi(e.YawRad - _prevEuler.Y) / dtS;
        _prevEuler = (e.RollRad, e.PitchRad, e.YawRad);
        // Euler rates to body rates.
        double sr = Math.Sin(e.RollRad), cr = Math.Cos(e.RollRad), sp = Math.Sin(e.PitchRad), cp = Math.Cos(e.PitchRad);
        _ratesBody = new Vector3d(dr - sp * dy, cr * dp + sr * cp * dy, -sr * dp + cr * cp * dy);
    }

    /// <summary>Rotation whose body z axis is <paramref name="zBodyNed"/> (unit) and whose heading is yaw.</summary>
    public static Quaterniond AttitudeFrom(Vector3d zBodyNed, double yawRad)
    {
        var xc = new Vector3d(Math.Cos(yawRad), Math.Sin(yawRad), 0);
        var yb = Vector3d.Cross(zBodyNed, xc).NormalizedOr(new Vector3d(-Math.Sin(yawRad), Math.Cos(yawRad), 0));
        var xb = Vector3d.Cross(yb, zBodyNed);
        return FromMatrixColumns(xb, yb, zBodyNed);
    }

    private static Quaterniond FromMatrixColumns(Vector3d c0, Vector3d c1, Vector3d c2)
    {
        double m00 = c0.X, m10 = c0.Y, m20 = c0.Z, m01 = c1.X, m11 = c1.Y, m21 = c1.Z, m02 = c2.X, m12 = c2.Y, m22 = c2.Z;
        double tr = m00 + m11 + m22;
        Quaterniond q;
        if (tr > 0)
        {
            double s = Math.Sqrt(tr + 1.0) * 2;
            q = new Quaterniond(0.25 * s, (m21 - m12) / s, (m02 - m20) / s, (m10 - m01) / s);
        }
        else if (m00 > m11 && m00 > m22)
        {
            double s = Math.Sqrt(1.0 + m00 - m11 - m22) * 2;
            q = new Quaterniond((m21 - m12) / s, 0.25 * s, (m01 + m10) / s, (m02 + m20) / s);
        }
        else if (m11 > m22)
        {
            double s = Math.Sqrt(1.0 + m11 - m00 - m22) * 2;
            q = new Quaterniond((m02 - m20) / s, (m01 + m10) / s, 0.25 * s, (m12 + m21) / s);
        }
        else
        {
            double s = Math.Sqrt(1.0 + m22 - m00 - m11) * 2;
            q = new Quaterniond((m10 - m01) / s, (m02 + m20) / s, (m12 + m21) / s, 0.25 * s);
        }
        if (q.W < 0) q = new Quaterniond(-q.W, -q.X, -q.Y, -q.Z);
        return q.Normalized();
    }
}
