using Interceptor.Mavlink.Messages;

namespace Interceptor.Mavlink.Node;

/// <summary>A MAVLink system/component address.</summary>
public readonly record struct MavlinkAddress(byte SystemId, byte ComponentId)
{
    /// <summary>PX4 and ArduPilot autopilot: system 1, component 1 (MAV_COMP_ID_AUTOPILOT1).</summary>
    public static MavlinkAddress DefaultAutopilot => new(1, 1);
    public override string ToString() => $"{SystemId}/{ComponentId}";
}

/// <summary>Settings of a <see cref="MavlinkNode"/>. The defaults are the identity the PX4/ArduPilot captures in
/// ../shared/captures were recorded with (255/190, MAV_TYPE_GCS), which both autopilots accepted for offboard/GUIDED.</summary>
public sealed record MavlinkNodeOptions
{
    public byte SystemId { get; init; } = 255;
    public byte ComponentId { get; init; } = 190;
    /// <summary>MAV_TYPE in our HEARTBEAT.</summary>
    public MavType Type { get; init; } = MavType.Gcs;
    /// <summary>MAV_AUTOPILOT in our HEARTBEAT (INVALID: we are not an autopilot).</summary>
    public MavAutopilot Autopilot { get; init; } = MavAutopilot.Invalid;
    /// <summary>MAV_STATE in our HEARTBEAT.</summary>
    public MavState SystemStatus { get; init; } = MavState.Active;
    /// <summary>Period of our HEARTBEAT; zero or negative disables it.</summary>
    public TimeSpan HeartbeatPeriod { get; init; } = TimeSpan.FromSeconds(1);
    /// <summary>A peer is reported lost when no HEARTBEAT arrived from it for this long.</summary>
    public TimeSpan PeerTimeout { get; init; } = TimeSpan.FromSeconds(3);
    /// <summary>How often peers are checked for loss.</summary>
    public TimeSpan PeerCheckPeriod { get; init; } = TimeSpan.FromMilliseconds(200);
    /// <summary>Period of our TIMESYNC requests to the peers; zero or negative disables them (requests from
    /// peers are still answered).</summary>
    public TimeSpan TimesyncPeriod { get; init; } = TimeSpan.FromSeconds(1);
    /// <summary>Answer TIMESYNC requests from peers (PX4 sends them and uses the answers).</summary>
    public bool AnswerTimesync { get; init; } = true;
    /// <summary>Default command timing.</summary>
    public CommandOptions Commands { get; init; } = new();
    /// <summary>Default parameter protocol timing.</summary>
    public ParamOptions Params { get; init; } = new();

    internal void Validate()
    {
        if (PeerTimeout <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(PeerTimeout), PeerTimeout, "PeerTimeout must be > 0");
        if (PeerCheckPeriod <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(PeerCheckPeriod), PeerCheckPeriod, "PeerCheckPeriod must be > 0");
        Commands.Validate();
        Params.Validate();
    }
}
