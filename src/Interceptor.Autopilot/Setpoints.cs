using Interceptor.Core;

namespace Interceptor.Autopilot;

/// <summary>POSITION_TARGET_TYPEMASK bits of SET_POSITION_TARGET_LOCAL_NED (a set bit means "ignore").</summary>
public static class PositionTargetMask
{
    public const ushort XIgnore = 1, YIgnore = 2, ZIgnore = 4, VxIgnore = 8, VyIgnore = 16, VzIgnore = 32,
        AxIgnore = 64, AyIgnore = 128, AzIgnore = 256, ForceSet = 512, YawIgnore = 1024, YawRateIgnore = 2048;
    public const ushort PositionIgnore = XIgnore | YIgnore | ZIgnore;
    public const ushort VelocityIgnore = VxIgnore | VyIgnore | VzIgnore;
    public const ushort AccelerationIgnore = AxIgnore | AyIgnore | AzIgnore;

    /// <summary>Velocity only: 3527 (0x0DC7), as both captures use.</summary>
    public const ushort Velocity = PositionIgnore | AccelerationIgnore | YawIgnore | YawRateIgnore;
    /// <summary>Velocity + yaw rate: 1479 (0x05C7).</summary>
    public const ushort VelocityYawRate = PositionIgnore | AccelerationIgnore | YawIgnore;
    /// <summary>Velocity + yaw: 2503 (0x09C7).</summary>
    public const ushort VelocityYaw = PositionIgnore | AccelerationIgnore | YawRateIgnore;
    /// <summary>Position + yaw: 2552 (0x09F8).</summary>
    public const ushort PositionYaw = VelocityIgnore | AccelerationIgnore | YawRateIgnore;
    /// <summary>Acceleration only: 3135 (0x0C3F).</summary>
    public const ushort Acceleration = PositionIgnore | VelocityIgnore | YawIgnore | YawRateIgnore;
    /// <summary>Acceleration + yaw: 2111 (0x083F).</summary>
    public const ushort AccelerationYaw = PositionIgnore | VelocityIgnore | YawRateIgnore;
    /// <summary>Velocity with acceleration feed-forward: 3079 (0x0C07), accepted by ArduCopter (capture, t 32.1 s).</summary>
    public const ushort VelocityAcceleration = PositionIgnore | YawIgnore | YawRateIgnore;
    /// <summary>Velocity with acceleration feed-forward + yaw: 2055 (0x0807).</summary>
    public const ushort VelocityAccelerationYaw = PositionIgnore | YawRateIgnore;
    /// <summary>Position + velocity + acceleration: 3072 (0x0C00).</summary>
    public const ushort PositionVelocityAcceleration = YawIgnore | YawRateIgnore;
}

/// <summary>MAV_FRAME values used for local setpoints. PX4 accepts 1 and 8 only; ArduCopter 1, 7, 8, 9.</summary>
public static class SetpointFrame
{
    public const byte LocalNed = 1, LocalOffsetNed = 7, BodyNed = 8, BodyOffsetNed = 9, BodyFrd = 12;
}

/// <summary>ATTITUDE_TARGET_TYPEMASK bits of SET_ATTITUDE_TARGET (a set bit means "ignore").</summary>
public static class AttitudeTargetMask
{
    public const byte BodyRollRateIgnore = 1, BodyPitchRateIgnore = 2, BodyYawRateIgnore = 4, ThrottleIgnore = 64,
        AttitudeIgnore = 128;
    /// <summary>Quaternion + thrust, body rates ignored: 7, as both captures use.</summary>
    public const byte AttitudeThrust = BodyRollRateIgnore | BodyPitchRateIgnore | BodyYawRateIgnore;
}

/// <summary>One SET_POSITION_TARGET_LOCAL_NED worth of setpoint (NED, SI units). Fields the mask ignores are sent as 0.</summary>
public readonly record struct PositionTarget(
    byte Frame, ushort TypeMask, Vector3d PosNed, Vector3d VelNed, Vector3d AccNed, double YawRad, double YawRateRadS)
{
    public static PositionTarget Velocity(Vector3d velNed) =>
        new(SetpointFrame.LocalNed, PositionTargetMask.Velocity, Vector3d.Zero, velNed, Vector3d.Zero, 0, 0);

    public static PositionTarget PositionYaw(Vector3d posNed, double yawRad) =>
        new(SetpointFrame.LocalNed, PositionTargetMask.PositionYaw, posNed, Vector3d.Zero, Vector3d.Zero, yawRad, 0);

    public static PositionTarget Acceleration(Vector3d accNed) =>
        new(SetpointFrame.LocalNed, PositionTargetMask.Acceleration, Vector3d.Zero, Vector3d.Zero, accNed, 0, 0);

    public static PositionTarget VelocityAcceleration(Vector3d velNed, Vector3d accNed) =>
        new(SetpointFrame.LocalNed, PositionTargetMask.VelocityAcceleration, Vector3d.Zero, velNed, accNed, 0, 0);

    public static PositionTarget VelocityAccelerationYaw(Vector3d velNed, Vector3d accNed, double yawRad) =>
        new(SetpointFrame.LocalNed, PositionTargetMask.VelocityAccelerationYaw, Vector3d.Zero, velNed, accNed, yawRad, 0);

    public static PositionTarget PositionVelocityAcceleration(Vector3d posNed, Vector3d velNed, Vector3d accNed) =>
        new(SetpointFrame.LocalNed, PositionTargetMask.PositionVelocityAcceleration, posNed, velNed, accNed, 0, 0);

    /// <summary>True when every field is finite (NaN/Inf never reaches the wire).</summary>
    public bool IsFinite => PosNed.IsFinite && VelNed.IsFinite && AccNed.IsFinite && double.IsFinite(YawRad) && double.IsFinite(YawRateRadS);
}

/// <summary>One SET_ATTITUDE_TARGET: body-FRD-to-NED attitude and normalised thrust 0..1 (PX4: collective thrust,
/// hover about 0.5; ArduCopter: climb-rate demand, 0.5 = hold, unless GUID_OPTIONS says thrust).</summary>
public readonly record struct AttitudeTarget(byte TypeMask, Quaterniond Attitude, Vector3d BodyRateRadS, double Thrust)
{
    public static AttitudeTarget AttitudeThrust(Quaterniond attitude, double thrust) =>
        new(AttitudeTargetMask.AttitudeThrust, attitude, Vector3d.Zero, thrust);

    public bool IsFinite => Attitude.IsFinite && BodyRateRadS.IsFinite && double.IsFinite(Thrust);
}

/// <summary>How guidance acceleration commands are put on the wire.</summary>
public enum SetpointForm
{
    /// <summary>SET_POSITION_TARGET_LOCAL_NED mask 3079: a velocity reference integrated from the commanded
    /// acceleration (kept near the measured velocity) with the acceleration as feed-forward. The autopilot's
    /// velocity loop closes on the reference, so disturbances and vertical drift are corrected.</summary>
    VelocityAcceleration,
    /// <summary>SET_POSITION_TARGET_LOCAL_NED mask 3135: the acceleration alone (open loop in PX4's vertical axis).</summary>
    Acceleration,
    /// <summary>SET_ATTITUDE_TARGET mask 7: thrust direction and magnitude computed from the acceleration
    /// (PX4 normalised thrust with the hover thrust as reference).</summary>
    AttitudeThrust,
}
