using Interceptor.Core;

namespace Interceptor.Autopilot;

/// <summary>Settings of <see cref="SetpointShaper"/>.</summary>
public sealed record SetpointShaperOptions
{
    /// <summary>Largest difference between the velocity reference and the measured velocity [m/s] (anti wind-up).</summary>
    public double MaxVelocityLeadMS { get; init; } = 3.0;
    /// <summary>Time constant with which the velocity reference is pulled back to the measured velocity [s].</summary>
    public double VelocityBleedTimeS { get; init; } = 1.0;
    /// <summary>Normalised thrust that holds hover (PX4 MPC_THR_HOVER; 0.5 in SIH and the x500 model).</summary>
    public double HoverThrust { get; init; } = 0.5;
    /// <summary>Tilt limit applied to attitude setpoints [rad].</summary>
    public double MaxTiltRad { get; init; } = Angles.ToRad(60);
    /// <summary>ArduCopter attitude mode: climb rate that thrust 1.0 means (PILOT_SPEED_UP, default 2.5 m/s).</summary>
    public double ArduClimbRateAtFullMS { get; init; } = 2.5;
    /// <summary>Longest gap between two commands over which the velocity reference is integrated [s].</summary>
    public double MaxStepS { get; init; } = 0.1;

    public SetpointShaperOptions Validate()
    {
        Require.Positive(MaxVelocityLeadMS);
        Require.Positive(VelocityBleedTimeS);
        Require.InRange(HoverThrust, 0.05, 0.95);
        Require.InRange(MaxTiltRad, 0.05, Angles.ToRad(85));
        Require.Positive(ArduClimbRateAtFullMS);
        Require.Positive(MaxStepS);
        return this;
    }
}

/// <summary>One setpoint ready for the wire: either a local position target or an attitude target.</summary>
public readonly record struct ShapedSetpoint(bool IsAttitude, PositionTarget Position, AttitudeTarget Attitude);

/// <summary>Turns guidance acceleration commands into the setpoint form an autopilot follows best.
/// Pure maths plus a small state (the velocity reference); allocates nothing; never emits NaN or infinity
/// (a non-finite input yields false).</summary>
public sealed class SetpointShaper
{
    private readonly SetpointShaperOptions _o;
    private Vector3d _velRefNed;
    private double _lastTimeS;
    private bool _started;

    public SetpointShaper(SetpointShaperOptions? options = null) => _o = (options ?? new SetpointShaperOptions()).Validate();

    public SetpointShaperOptions Options => _o;

    /// <summary>Current velocity reference (for logs and tests).</summary>
    public Vector3d VelocityReferenceNed => _velRefNed;

    /// <summary>Forget the velocity reference (on entering external control).</summary>
    public void Reset() => _started = false;

    /// <summary>Shapes <paramref name="cmd"/> for <paramref name="form"/> given the latest own state.
    /// <paramref name="kind"/> selects the thrust meaning of attitude targets.</summary>
    public bool TryShape(in GuidanceCommand cmd, in OwnTelemetry own, SetpointForm form, AutopilotKind kind, out ShapedSetpoint setpoint)
    {
        setpoint = default;
        if (!cmd.AccNed.IsFinite || !double.IsFinite(cmd.TimeS) || !own.VelNed.IsFinite || (cmd.YawValid && !double.IsFinite(cmd.YawRad)))
            return false;
        UpdateVelocityReference(cmd, own);
        double yaw = cmd.YawValid ? Angles.WrapPi(cmd.YawRad) : own.YawRad;
        switch (form)
        {
            case SetpointForm.Acceleration:
                setpoint = new ShapedSetpoint(false, cmd.YawValid
                    ? new PositionTarget(SetpointFrame.LocalNed, PositionTargetMask.AccelerationYaw, Vector3d.Zero, Vector3d.Zero, cmd.AccNed, yaw, 0)
                    : PositionTarget.Acceleration(cmd.AccNed), default);
                break;
            case SetpointForm.VelocityAcceleration:
                setpoint = new ShapedSetpoint(false, cmd.YawValid
                    ? PositionTarget.VelocityAccelerationYaw(_velRefNed, cmd.AccNed, yaw)
                    : PositionTarget.VelocityAcceleration(_velRefNed, cmd.AccNed), default);
                break;
            case SetpointForm.AttitudeThrust:
                setpoint = new ShapedSetpoint(true, default, AttitudeFor(cmd.AccNed, yaw, kind));
                break;
            default:
                return false;
        }
        return setpoint.IsAttitude ? setpoint.Attitude.IsFinite : setpoint.Position.IsFinite;
    }

    private void UpdateVelocityReference(in GuidanceCommand cmd, in OwnTelemetry own)
    {
        if (!_started)
        {
            _velRefNed = own.VelNed;
            _lastTimeS = cmd.TimeS;
            _started = true;
        }
        double dt = Math.Clamp(cmd.TimeS - _lastTimeS, 0, _o.MaxStepS);
        _lastTimeS = Math.Max(_lastTimeS, cmd.TimeS);
        _velRefNed += cmd.AccNed * dt;
        _velRefNed += (own.VelNed - _velRefNed) * Math.Min(1.0, dt / _o.VelocityBleedTimeS);
        var lead = _velRefNed - own.VelNed;
        _velRefNed = own.VelNed + lead.ClampLength(_o.MaxVelocityLeadMS);
    }

    /// <summary>Attitude and thrust that produce kinematic acceleration <paramref name="accNed"/>: the thrust
    /// axis (-z body) along accNed - g, tilt-limited, heading <paramref name="yawRad"/>.</summary>
    public AttitudeTarget AttitudeFor(Vector3d accNed, double yawRad, AutopilotKind kind)
    {
        const double g = Wgs84.GravityMs2;
        var f = accNed - new Vector3d(0, 0, g); // specific thrust wanted (NED); hover = (0, 0, -g)
        double up = Math.Max(-f.Z, 0.1 * g);
        double h = f.HorizontalLength, hMax = up * Math.Tan(_o.MaxTiltRad);
        double fx = f.X, fy = f.Y;
        if (h > hMax && h > 0) { fx *= hMax / h; fy *= hMax / h; }
        var thrustDirNed = new Vector3d(fx, fy, -up);
        double mag = thrustDirNed.Length;
        var zBody = -thrustDirNed / mag; // body z (down) axis in NED
        var q = Quaterniond.FromTwoVectors(Vector3d.UnitZ, zBody) * Quaterniond.FromEuler(0, 0, yawRad);
        double thrust = kind == AutopilotKind.Px4
            ? _o.HoverThrust * mag / g
            : 0.5 - 0.5 * Math.Clamp(_velRefNed.Z / _o.ArduClimbRateAtFullMS, -1, 1);
        return AttitudeTarget.AttitudeThrust(q.Normalized(), Math.Clamp(thrust, 0, 1));
    }
}
