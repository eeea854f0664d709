using Interceptor.Core;

namespace Interceptor.Autopilot;

/// <summary>Where the session's outgoing frames go (a transport, a test recorder). Called with the session's
/// lock held; must not block for long. The span is valid only during the call.</summary>
public interface IFrameSink
{
    void Send(ReadOnlySpan<byte> frame);
}

/// <summary>Settings of a <see cref="VehicleSession"/>. Defaults follow the captures and the facts.</summary>
public sealed record VehicleSessionOptions
{
    public AutopilotKind Autopilot { get; init; } = AutopilotKind.Px4;
    /// <summary>Our system id; the captures' client used 255 (GCS) with component 190.</summary>
    public byte SystemId { get; init; } = 255;
    public byte ComponentId { get; init; } = 190;
    /// <summary>Autopilot system id; 0 = the first HEARTBEAT of the expected autopilot type.</summary>
    public byte TargetSystem { get; init; }
    /// <summary>Autopilot component id (MAV_COMP_ID_AUTOPILOT1 = 1).</summary>
    public byte TargetComponent { get; init; } = 1;
    /// <summary>Rate of the session's own setpoint stream (PX4 needs more than 2 Hz; we use 50 Hz).</summary>
    public double SetpointRateHz { get; init; } = 50;
    /// <summary>Largest age of the newest guidance output before the stream stops and hold is commanded [s].</summary>
    public double GuidanceDeadlineS { get; init; } = 0.1;
    /// <summary>No HEARTBEAT from the autopilot for this long means the link is lost [s].</summary>
    public double LinkTimeoutS { get; init; } = 2.0;
    /// <summary>Time to wait for a COMMAND_ACK before re-sending [s].</summary>
    public double CommandTimeoutS { get; init; } = 1.0;
    /// <summary>Sends of one command before giving up.</summary>
    public int CommandAttempts { get; init; } = 3;
    /// <summary>Time for a requested mode or arming state to show in HEARTBEAT [s].</summary>
    public double ConfirmTimeoutS { get; init; } = 5.0;
    /// <summary>Own-state telemetry older than this is not "ready" [s].</summary>
    public double TelemetryStaleS { get; init; } = 0.5;
    /// <summary>PX4: stream setpoints this long before asking for OFFBOARD (PX4 wants about 1 s of proof of life) [s].</summary>
    public double PreStreamS { get; init; } = 1.0;
    /// <summary>Ready also needs HOME_POSITION (targets are placed relative to home).</summary>
    public bool RequireHome { get; init; } = true;
    /// <summary>How guidance commands go out; null = the adapter's default.</summary>
    public SetpointForm? Form { get; init; }
    public SetpointShaperOptions Shaper { get; init; } = new();
    /// <summary>Period of our TIMESYNC requests [s].</summary>
    public double TimesyncPeriodS { get; init; } = 1.0;
    /// <summary>Take-off counts as done within this height error [m].</summary>
    public double TakeoffToleranceM { get; init; } = 0.7;
    /// <summary>Switch off on this link the default streams the session never reads (see
    /// <see cref="AutopilotAdapter.UnusedStreams"/>): less load on slow radios and in lockstep simulation. Off by
    /// default, as the captures' client left them on.</summary>
    public bool DisableUnusedStreams { get; init; }
    /// <summary>MAV_TYPE of our HEARTBEAT (6 = GCS as in the captures; 18 = onboard controller).</summary>
    public byte HeartbeatType { get; init; } = 6;

    public VehicleSessionOptions Validate()
    {
        Require.InRange(SetpointRateHz, 2.5, 500);
        Require.InRange(GuidanceDeadlineS, 0.005, 1.0);
        Require.InRange(LinkTimeoutS, 0.1, 60);
        Require.InRange(CommandTimeoutS, 0.01, 30);
        Require.InRange(CommandAttempts, 1, 20);
        Require.InRange(ConfirmTimeoutS, 0.1, 120);
        Require.InRange(TelemetryStaleS, 0.01, 10);
        Require.InRange(PreStreamS, 0, 10);
        Require.InRange(TimesyncPeriodS, 0.05, 60);
        Require.InRange(TakeoffToleranceM, 0.05, 10);
        if (SystemId == 0) Require.Fail(nameof(SystemId), SystemId, "must be 1..255");
        Shaper.Validate();
        return this;
    }
}
