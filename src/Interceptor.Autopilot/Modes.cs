namespace Interceptor.Autopilot;

/// <summary>Which autopilot firmware a session talks to.</summary>
public enum AutopilotKind
{
    /// <summary>PX4 (HEARTBEAT autopilot = MAV_AUTOPILOT_PX4 = 12); external control = OFFBOARD.</summary>
    Px4,
    /// <summary>ArduPilot Copter (HEARTBEAT autopilot = MAV_AUTOPILOT_ARDUPILOTMEGA = 3); external control = GUIDED.</summary>
    ArduPilot,
}

/// <summary>The flight modes the session itself ever asks for (what it means differs per autopilot).</summary>
public enum VehicleMode
{
    /// <summary>PX4 OFFBOARD / ArduCopter GUIDED: the vehicle follows our setpoints.</summary>
    ExternalControl,
    /// <summary>PX4 AUTO.LOITER (Hold) / ArduCopter LOITER: stop and hold position. The fail-closed mode.</summary>
    Hold,
    /// <summary>PX4 AUTO.LAND / ArduCopter LAND.</summary>
    Land,
    /// <summary>PX4 AUTO.RTL / ArduCopter RTL.</summary>
    ReturnToLaunch,
}

/// <summary>PX4 custom_mode layout (px4_custom_mode.h): main mode in bits 16..23, sub mode in bits 24..31.
/// OFFBOARD = main 6 = 0x00060000; AUTO.LOITER = main 4 sub 3 = 0x03040000.</summary>
public static class Px4Modes
{
    public const byte MainManual = 1, MainAltctl = 2, MainPosctl = 3, MainAuto = 4, MainAcro = 5, MainOffboard = 6,
        MainStabilized = 7, MainRattitude = 8;
    public const byte SubAutoReady = 1, SubAutoTakeoff = 2, SubAutoLoiter = 3, SubAutoMission = 4, SubAutoRtl = 5,
        SubAutoLand = 6, SubAutoFollowTarget = 8, SubAutoPrecland = 9;

    public static uint Compose(byte main, byte sub = 0) => ((uint)main << 16) | ((uint)sub << 24);
    public static byte Main(uint customMode) => (byte)(customMode >> 16);
    public static byte Sub(uint customMode) => (byte)(customMode >> 24);

    public static readonly uint Offboard = Compose(MainOffboard);
    public static readonly uint Hold = Compose(MainAuto, SubAutoLoiter);
    public static readonly uint Land = Compose(MainAuto, SubAutoLand);
    public static readonly uint Rtl = Compose(MainAuto, SubAutoRtl);
    public static readonly uint Takeoff = Compose(MainAuto, SubAutoTakeoff);
    public static readonly uint Posctl = Compose(MainPosctl);

    /// <summary>PX4's own name of a custom mode, e.g. "OFFBOARD", "AUTO.LOITER", "POSCTL".</summary>
    public static string Name(uint customMode)
    {
        byte main = Main(customMode), sub = Sub(customMode);
        return main switch
        {
            MainManual => "MANUAL",
            MainAltctl => "ALTCTL",
            MainPosctl => sub == 1 ? "POSCTL.ORBIT" : "POSCTL",
            MainAuto => sub switch
            {
                SubAutoReady => "AUTO.READY",
                SubAutoTakeoff => "AUTO.TAKEOFF",
                SubAutoLoiter => "AUTO.LOITER",
                SubAutoMission => "AUTO.MISSION",
                SubAutoRtl => "AUTO.RTL",
                SubAutoLand => "AUTO.LAND",
                SubAutoFollowTarget => "AUTO.FOLLOW_TARGET",
                SubAutoPrecland => "AUTO.PRECLAND",
                _ => $"AUTO.{sub}",
            },
            MainAcro => "ACRO",
            MainOffboard => "OFFBOARD",
            MainStabilized => "STABILIZED",
            MainRattitude => "RATTITUDE",
            _ => $"0x{customMode:X8}",
        };
    }
}

/// <summary>ArduCopter custom_mode numbers (Copter's mode enum).</summary>
public static class ArduCopterModes
{
    public const uint Stabilize = 0, Acro = 1, AltHold = 2, Auto = 3, Guided = 4, Loiter = 5, Rtl = 6, Circle = 7,
        Land = 9, Drift = 11, Sport = 13, Flip = 14, AutoTune = 15, PosHold = 16, Brake = 17, Throw = 18,
        AvoidAdsb = 19, GuidedNoGps = 20, SmartRtl = 21;

    public static string Name(uint customMode) => customMode switch
    {
        Stabilize => "STABILIZE",
        Acro => "ACRO",
        AltHold => "ALT_HOLD",
        Auto => "AUTO",
        Guided => "GUIDED",
        Loiter => "LOITER",
        Rtl => "RTL",
        Circle => "CIRCLE",
        Land => "LAND",
        Drift => "DRIFT",
        Sport => "SPORT",
        Flip => "FLIP",
        AutoTune => "AUTOTUNE",
        PosHold => "POSHOLD",
        Brake => "BRAKE",
        Throw => "THROW",
        AvoidAdsb => "AVOID_ADSB",
        GuidedNoGps => "GUIDED_NOGPS",
        SmartRtl => "SMART_RTL",
        _ => $"MODE{customMode}",
    };
}
