namespace Interceptor.Autopilot;

/// <summary>MAV_CMD numbers the session uses.</summary>
public static class AutopilotCommands
{
    public const ushort NavReturnToLaunch = 20, NavLand = 21, NavTakeoff = 22, DoSetMode = 176,
        ComponentArmDisarm = 400, SetMessageInterval = 511, RequestMessage = 512;
}

/// <summary>MAV_RESULT values of COMMAND_ACK.</summary>
public static class CommandResults
{
    public const byte Accepted = 0, TemporarilyRejected = 1, Denied = 2, Unsupported = 3, Failed = 4, InProgress = 5,
        Cancelled = 6;

    public static string Name(byte result) => result switch
    {
        Accepted => "ACCEPTED",
        TemporarilyRejected => "TEMPORARILY_REJECTED",
        Denied => "DENIED",
        Unsupported => "UNSUPPORTED",
        Failed => "FAILED",
        InProgress => "IN_PROGRESS",
        Cancelled => "CANCELLED",
        _ => $"RESULT{result}",
    };
}

/// <summary>A COMMAND_LONG to send: command number and its seven parameters.</summary>
public readonly record struct CommandSpec(ushort Command, float P1 = 0, float P2 = 0, float P3 = 0, float P4 = 0,
    float P5 = 0, float P6 = 0, float P7 = 0);

/// <summary>A telemetry message and the rate the session asks for it (MAV_CMD_SET_MESSAGE_INTERVAL).</summary>
public readonly record struct MessageRate(uint MessageId, double RateHz);

/// <summary>How the vehicle gets into the air.</summary>
public enum TakeoffMethod
{
    /// <summary>PX4: stream a position setpoint above the ground point in OFFBOARD, as in the PX4 capture.</summary>
    ExternalClimb,
    /// <summary>ArduCopter: MAV_CMD_NAV_TAKEOFF while in GUIDED, as in the ArduCopter capture.</summary>
    NavTakeoff,
}

/// <summary>What differs between autopilots. Everything here follows the real PX4 v1.16 and ArduCopter
/// behaviour recorded in ../shared/captures (see the README there).</summary>
public abstract class AutopilotAdapter
{
    public abstract AutopilotKind Kind { get; }
    /// <summary>HEARTBEAT autopilot field of this firmware (MAV_AUTOPILOT).</summary>
    public abstract byte HeartbeatAutopilot { get; }
    public abstract string ModeName(uint customMode);
    /// <summary>custom_mode the HEARTBEAT shows once <paramref name="mode"/> is active.</summary>
    public abstract uint CustomModeOf(VehicleMode mode);
    /// <summary>The command that requests <paramref name="mode"/>.</summary>
    public abstract CommandSpec ModeCommand(VehicleMode mode);
    /// <summary>True when setpoints must already stream before the external mode is requested and while it
    /// holds (PX4: "> 2 Hz before and during OFFBOARD"); ArduCopter GUIDED holds position by itself.</summary>
    public abstract bool NeedsSetpointStream { get; }
    public abstract TakeoffMethod Takeoff { get; }
    /// <summary>Setpoint form used when the options name none (chosen by measurement against the virtual autopilot).</summary>
    public abstract SetpointForm DefaultForm { get; }
    /// <summary>Telemetry the session requests.</summary>
    public abstract IReadOnlyList<MessageRate> TelemetryRates { get; }
    /// <summary>Streams the autopilot sends by default that the session never reads; with
    /// <see cref="VehicleSessionOptions.DisableUnusedStreams"/> they are switched off on this link
    /// (SET_MESSAGE_INTERVAL -1). Message intervals are per link in both autopilots, so a ground station on
    /// another link keeps its streams.</summary>
    public abstract IReadOnlyList<uint> UnusedStreams { get; }

    public bool IsMode(VehicleMode mode, uint customMode) => customMode == CustomModeOf(mode);

    public static CommandSpec Arm(bool arm) => new(AutopilotCommands.ComponentArmDisarm, arm ? 1 : 0);

    public static AutopilotAdapter For(AutopilotKind kind) => kind switch
    {
        AutopilotKind.Px4 => Px4Adapter.Instance,
        AutopilotKind.ArduPilot => ArduCopterAdapter.Instance,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown autopilot"),
    };
}

/// <summary>PX4: OFFBOARD = custom_mode 0x00060000 via DO_SET_MODE p1=1 (custom mode enabled) p2=6; PX4 answers
/// with two COMMAND_ACKs and accepts OFFBOARD disarmed, so confirmation is by HEARTBEAT. Land with
/// MAV_CMD_NAV_LAND (as captured), hold = AUTO.LOITER, RTL = AUTO.RTL.</summary>
public sealed class Px4Adapter : AutopilotAdapter
{
    public static readonly Px4Adapter Instance = new();
    private static readonly MessageRate[] Rates =
    [
        new(32, 50),   // LOCAL_POSITION_NED
        new(31, 50),   // ATTITUDE_QUATERNION
        new(331, 30),  // ODOMETRY (PX4's default rate; position and attitude come at 50 Hz anyway)
        new(33, 10),   // GLOBAL_POSITION_INT
        new(242, 1),   // HOME_POSITION
        new(245, 5),   // EXTENDED_SYS_STATE
        new(1, 2),     // SYS_STATUS
    ];

    private static readonly uint[] Unused =
    [
        30,  // ATTITUDE (100 Hz by default)
        105, // HIGHRES_IMU
        141, // ALTITUDE
        132, // DISTANCE_SENSOR
        36,  // SERVO_OUTPUT_RAW
        74,  // VFR_HUD
        83,  // ATTITUDE_TARGET
        85,  // POSITION_TARGET_LOCAL_NED
        87,  // POSITION_TARGET_GLOBAL_INT
        24,  // GPS_RAW_INT
        230, // ESTIMATOR_STATUS
        29,  // SCALED_PRESSURE
        241, // VIBRATION
    ];

    public override AutopilotKind Kind => AutopilotKind.Px4;
    public override IReadOnlyList<uint> UnusedStreams => Unused;
    public override byte HeartbeatAutopilot => 12;
    public override string ModeName(uint customMode) => Px4Modes.Name(customMode);

    public override uint CustomModeOf(VehicleMode mode) => mode switch
    {
        VehicleMode.ExternalControl => Px4Modes.Offboard,
        VehicleMode.Hold => Px4Modes.Hold,
        VehicleMode.Land => Px4Modes.Land,
        VehicleMode.ReturnToLaunch => Px4Modes.Rtl,
        _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, null),
    };

    public override CommandSpec ModeCommand(VehicleMode mode) => mode switch
    {
        VehicleMode.ExternalControl => new(AutopilotCommands.DoSetMode, 1, Px4Modes.MainOffboard),
        VehicleMode.Hold => new(AutopilotCommands.DoSetMode, 1, Px4Modes.MainAuto, Px4Modes.SubAutoLoiter),
        VehicleMode.Land => new(AutopilotCommands.NavLand),
        VehicleMode.ReturnToLaunch => new(AutopilotCommands.NavReturnToLaunch),
        _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, null),
    };

    public override bool NeedsSetpointStream => true;
    public override TakeoffMethod Takeoff => TakeoffMethod.ExternalClimb;
    /// <summary>Measured against the virtual autopilot (x500, 12 seeds, crossing target at 9 m/s): median miss
    /// 4.7 m with velocity + acceleration feed-forward against 20.3 m with acceleration only or attitude + thrust
    /// (equal at 5 m/s: 0.06-0.08 m median over 20 seeds).</summary>
    public override SetpointForm DefaultForm => SetpointForm.VelocityAcceleration;
    public override IReadOnlyList<MessageRate> TelemetryRates => Rates;
}

/// <summary>ArduCopter: GUIDED = custom mode 4 via DO_SET_MODE(1, 4); arm; MAV_CMD_NAV_TAKEOFF in GUIDED;
/// velocity/acceleration targets lapse after GUID_TIMEOUT (3 s). Hold = LOITER (5), land = LAND (9), RTL = 6.</summary>
public sealed class ArduCopterAdapter : AutopilotAdapter
{
    public static readonly ArduCopterAdapter Instance = new();
    private static readonly MessageRate[] Rates =
    [
        new(32, 50),   // LOCAL_POSITION_NED
        new(31, 50),   // ATTITUDE_QUATERNION
        new(33, 10),   // GLOBAL_POSITION_INT
        new(242, 1),   // HOME_POSITION
        new(245, 5),   // EXTENDED_SYS_STATE
        new(1, 2),     // SYS_STATUS
        new(2, 1),     // SYSTEM_TIME
    ];

    private static readonly uint[] Unused =
    [
        30, 27, 116, 29, 137, 65, 36, 74, 163, 178, 164, 168, 152, 125, 62, 24, 87, 193, 147, 241, 85, 129, 11030, 136, 133,
        // ATTITUDE, RAW_IMU, SCALED_IMU2, SCALED_PRESSURE(2), RC_CHANNELS, SERVO_OUTPUT_RAW, VFR_HUD, AHRS, AHRS2, SIMSTATE,
        // WIND, MEMINFO, POWER_STATUS, NAV_CONTROLLER_OUTPUT, GPS_RAW_INT, POSITION_TARGET_GLOBAL_INT, EKF_STATUS_REPORT,
        // BATTERY_STATUS, VIBRATION, POSITION_TARGET_LOCAL_NED, SCALED_IMU3, ESC_TELEMETRY_1_TO_4, TERRAIN_REPORT, TERRAIN_REQUEST
    ];

    public override AutopilotKind Kind => AutopilotKind.ArduPilot;
    public override IReadOnlyList<uint> UnusedStreams => Unused;
    public override byte HeartbeatAutopilot => 3;
    public override string ModeName(uint customMode) => ArduCopterModes.Name(customMode);

    public override uint CustomModeOf(VehicleMode mode) => mode switch
    {
        VehicleMode.ExternalControl => ArduCopterModes.Guided,
        VehicleMode.Hold => ArduCopterModes.Loiter,
        VehicleMode.Land => ArduCopterModes.Land,
        VehicleMode.ReturnToLaunch => ArduCopterModes.Rtl,
        _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, null),
    };

    public override CommandSpec ModeCommand(VehicleMode mode) => new(AutopilotCommands.DoSetMode, 1, CustomModeOf(mode));

    public override bool NeedsSetpointStream => false;
    public override TakeoffMethod Takeoff => TakeoffMethod.NavTakeoff;
    /// <summary>Velocity + acceleration feed-forward, although attitude + climb-rate thrust measured more accurate
    /// against the virtual autopilot (x500; median miss 0.04 m against 0.33 m for a 5 m/s crossing target, 20 seeds;
    /// 19.6 m against 29.8 m at 9 m/s, 12 seeds): when the link drops, a lapsed velocity target (GUID_TIMEOUT) makes
    /// the copter brake, a lapsed attitude target only levels it and it coasts on (3.3 m/s six seconds after the
    /// link loss in the end-to-end test). Fail closed wins; choose <see cref="SetpointForm.AttitudeThrust"/> explicitly
    /// for the accuracy.</summary>
    public override SetpointForm DefaultForm => SetpointForm.VelocityAcceleration;
    public override IReadOnlyList<MessageRate> TelemetryRates => Rates;
}
