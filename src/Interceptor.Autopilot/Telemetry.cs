using Interceptor.Core;

namespace Interceptor.Autopilot;

/// <summary>Own state from autopilot telemetry, stamped on our clock (see <see cref="BootClock"/>).
/// Position and velocity are in the autopilot's local NED frame (origin = its EKF origin, usually near home).</summary>
public readonly record struct OwnTelemetry(
    double TimeS,
    Vector3d PosNed,
    Vector3d VelNed,
    Quaterniond Attitude,
    Vector3d BodyRatesRadS,
    bool AttitudeValid)
{
    /// <summary>Constant-velocity extrapolation to <paramref name="timeS"/> (for latency compensation).</summary>
    public OwnTelemetry At(double timeS) => this with { TimeS = timeS, PosNed = PosNed + VelNed * (timeS - TimeS) };

    public double YawRad => AttitudeValid ? Attitude.ToEuler().YawRad : 0;
}

/// <summary>MAV_LANDED_STATE as reported by EXTENDED_SYS_STATE.</summary>
public enum LandedState : byte { Undefined = 0, OnGround = 1, InAir = 2, Takeoff = 3, Landing = 4 }

/// <summary>What the autopilot last said about itself (HEARTBEAT, SYS_STATUS, EXTENDED_SYS_STATE, HOME_POSITION).</summary>
public sealed record VehicleStatus
{
    public byte SystemId { get; init; }
    public byte ComponentId { get; init; }
    /// <summary>HEARTBEAT autopilot (12 = PX4, 3 = ArduPilot).</summary>
    public byte AutopilotType { get; init; }
    /// <summary>HEARTBEAT type (2 = quadrotor).</summary>
    public byte VehicleType { get; init; }
    public byte BaseMode { get; init; }
    public uint CustomMode { get; init; }
    public string ModeName { get; init; } = "";
    public bool Armed { get; init; }
    /// <summary>HEARTBEAT system_status (MAV_STATE: 3 standby, 4 active, 5 critical, 6 emergency).</summary>
    public byte SystemStatus { get; init; }
    public LandedState Landed { get; init; }
    /// <summary>Our-clock time of the last HEARTBEAT from the autopilot [s].</summary>
    public double LastHeartbeatS { get; init; } = double.NegativeInfinity;
    /// <summary>Home position, when reported (HOME_POSITION).</summary>
    public GeodeticPosition? Home { get; init; }
    /// <summary>Home in the local NED frame (HOME_POSITION x, y, z).</summary>
    public Vector3d HomeLocalNed { get; init; }
    /// <summary>Latest global position (GLOBAL_POSITION_INT), altitude above mean sea level.</summary>
    public GeodeticPosition? Global { get; init; }
    /// <summary>Battery remaining [%], -1 when unknown (SYS_STATUS).</summary>
    public int BatteryRemainingPct { get; init; } = -1;
}

/// <summary>Where the session stands.</summary>
public enum SessionPhase
{
    /// <summary>No HEARTBEAT from the autopilot yet.</summary>
    Connecting,
    /// <summary>HEARTBEAT seen; waiting for a position estimate and home.</summary>
    Connected,
    /// <summary>Heartbeat, position estimate and home known; on the ground or flying, not commanding.</summary>
    Ready,
    /// <summary>The session streams its own setpoints (before/after arming, take-off, hold in external mode).</summary>
    SessionControl,
    /// <summary>Guidance streams setpoints; each must be fresh or the stream stops (fail closed).</summary>
    ExternalControl,
    /// <summary>The guidance loop missed its deadline: stream stopped, hold commanded.</summary>
    GuidanceStalled,
    /// <summary>A mode change we did not ask for (pilot, failsafe) or a disarm: we stopped commanding.</summary>
    ControlLost,
    /// <summary>The autopilot's HEARTBEAT stopped: nothing is sent but our heartbeat.</summary>
    LinkLost,
    /// <summary>We asked for hold, land or RTL and the autopilot flies it; no setpoints.</summary>
    AutopilotMode,
}

public enum SessionEventKind
{
    Connected, Ready, ModeChanged, Armed, Disarmed, TakeoffComplete, ExternalControlEntered, ExternalControlLeft,
    GuidanceStalled, ControlLost, LinkLost, LinkRestored, CommandFailed, StatusText, Rebooted,
}

/// <summary>Something the session noticed, stamped on our clock.</summary>
public readonly record struct SessionEvent(double TimeS, SessionEventKind Kind, string Message)
{
    public override string ToString() => FormattableString.Invariant($"{TimeS,9:F3} s  {Kind}: {Message}");
}

/// <summary>One guidance output: the kinematic acceleration wanted in NED [m/s^2] (without gravity, already
/// shaped to the vehicle's limits), stamped with the time the guidance loop computed it on our clock.
/// <see cref="YawRad"/> is used when <see cref="YawValid"/> (e.g. to keep a body-fixed camera on the target).</summary>
public readonly record struct GuidanceCommand(double TimeS, Vector3d AccNed, double YawRad = 0, bool YawValid = false);

/// <summary>Result of a session operation (arm, take off, mode change).</summary>
public readonly record struct OperationResult(bool Success, string Message)
{
    public static OperationResult Ok(string message = "ok") => new(true, message);
    public static OperationResult Fail(string message) => new(false, message);
    public override string ToString() => (Success ? "ok: " : "failed: ") + Message;
}
