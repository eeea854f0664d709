using System.Threading.Channels;
using Interceptor.Mavlink.Messages;

namespace Interceptor.Mavlink.Node;

/// <summary>What we know of another MAVLink component from its HEARTBEAT.</summary>
/// <param name="LastHeartbeat">Receive time of the latest HEARTBEAT (<see cref="TimeProvider.GetTimestamp"/>).</param>
public sealed record MavlinkPeer(
    MavlinkAddress Address, MavType Type, MavAutopilot Autopilot, byte BaseMode, uint CustomMode,
    MavState SystemStatus, byte MavlinkVersion, long LastHeartbeat, long HeartbeatCount, bool IsLost)
{
    /// <summary>MAV_MODE_FLAG_SAFETY_ARMED.</summary>
    public bool IsArmed => (BaseMode & (byte)MavModeFlag.SafetyArmed) != 0;
    /// <summary>True when the peer is an autopilot (its MAV_AUTOPILOT is not INVALID).</summary>
    public bool IsAutopilot => Autopilot != MavAutopilot.Invalid;
    /// <summary>PX4 packs main mode in bits 16..23 and sub mode in bits 24..31 of custom_mode.</summary>
    public byte Px4MainMode => (byte)(CustomMode >> 16);
    public byte Px4SubMode => (byte)(CustomMode >> 24);
}

public enum MavlinkPeerEventKind
{
    /// <summary>First HEARTBEAT from this peer.</summary>
    Discovered,
    /// <summary>base_mode, custom_mode, system_status or type changed (arming, mode change, failsafe).</summary>
    StateChanged,
    /// <summary>No HEARTBEAT for <see cref="MavlinkNodeOptions.PeerTimeout"/>.</summary>
    Lost,
    /// <summary>HEARTBEAT again after <see cref="Lost"/>.</summary>
    Regained,
}

/// <param name="Previous">The state before the event (null for Discovered).</param>
public sealed record MavlinkPeerEvent(MavlinkPeerEventKind Kind, MavlinkPeer Peer, MavlinkPeer? Previous);

public sealed partial class MavlinkNode
{
    private readonly object _peersGate = new();
    private readonly Dictionary<MavlinkAddress, MavlinkPeer> _peers = new();
    private readonly Channel<MavlinkPeerEvent> _peerEvents = System.Threading.Channels.Channel.CreateBounded<MavlinkPeerEvent>(
        new BoundedChannelOptions(256) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = false });
    private readonly List<TaskCompletionSource<MavlinkPeer>> _peerWaiters = new();
    private readonly List<Func<MavlinkPeer, bool>> _peerWaiterPredicates = new();
    private long _heartbeatsSent;

    /// <summary>Raised for peer discovery, state changes and loss (on the receive loop or a timer: be quick).</summary>
    public event Action<MavlinkPeerEvent>? PeerChanged;

    /// <summary>The same events as <see cref="PeerChanged"/> through a bounded queue (drop-oldest, 256) for one
    /// async consumer, e.g. a vehicle session watching for link loss and pilot mode changes.</summary>
    public ChannelReader<MavlinkPeerEvent> PeerEvents => _peerEvents.Reader;

    public long HeartbeatsSent => Interlocked.Read(ref _heartbeatsSent);

    /// <summary>All peers heard so far, lost ones included.</summary>
    public IReadOnlyList<MavlinkPeer> Peers { get { lock (_peersGate) return _peers.Values.ToArray(); } }

    /// <summary>The latest state of one peer, or null if never heard.</summary>
    public MavlinkPeer? GetPeer(MavlinkAddress address) { lock (_peersGate) return _peers.GetValueOrDefault(address); }

    /// <summary>Waits until a live peer satisfies <paramref name="predicate"/> (returns at once if one already does).</summary>
    public async Task<MavlinkPeer> WaitForPeerAsync(Func<MavlinkPeer, bool> predicate, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        var tcs = new TaskCompletionSource<MavlinkPeer>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_peersGate)
        {
            foreach (var p in _peers.Values) if (!p.IsLost && predicate(p)) return p;
            _peerWaiters.Add(tcs);
            _peerWaiterPredicates.Add(predicate);
        }
        try
        {
            return await tcs.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            lock (_peersGate)
            {
                int i = _peerWaiters.IndexOf(tcs);
                if (i >= 0) { _peerWaiters.RemoveAt(i); _peerWaiterPredicates.RemoveAt(i); }
            }
        }
    }

    /// <summary>Waits for a live autopilot (MAV_AUTOPILOT not INVALID), optionally a given system id.</summary>
    public Task<MavlinkPeer> WaitForAutopilotAsync(byte? systemId = null, CancellationToken cancellationToken = default) =>
        WaitForPeerAsync(p => p.IsAutopilot && (systemId is null || p.Address.SystemId == systemId), cancellationToken);

    private void OnHeartbeat(in MavlinkFrame frame, long ts)
    {
        if (!frame.TryDecode(out HeartbeatMessage hb)) return;
        var address = new MavlinkAddress(frame.SystemId, frame.ComponentId);
        MavlinkPeerEvent? ev = null;
        lock (_peersGate)
        {
            _peers.TryGetValue(address, out var old);
            var peer = new MavlinkPeer(address, hb.TypeEnum, hb.AutopilotEnum, hb.BaseMode, hb.CustomMode, hb.SystemStatusEnum,
                hb.MavlinkVersion, ts, (old?.HeartbeatCount ?? 0) + 1, IsLost: false);
            _peers[address] = peer;
            if (old is null) ev = new(MavlinkPeerEventKind.Discovered, peer, null);
            else if (old.IsLost) ev = new(MavlinkPeerEventKind.Regained, peer, old);
            else if (old.BaseMode != peer.BaseMode || old.CustomMode != peer.CustomMode || old.SystemStatus != peer.SystemStatus || old.Type != peer.Type)
                ev = new(MavlinkPeerEventKind.StateChanged, peer, old);
            for (int i = _peerWaiters.Count - 1; i >= 0; i--)
            {
                if (!_peerWaiterPredicates[i](peer)) continue;
                _peerWaiters[i].TrySetResult(peer);
                _peerWaiters.RemoveAt(i);
                _peerWaiterPredicates.RemoveAt(i);
            }
        }
        if (ev is not null) Raise(ev);
    }

    private void CheckPeers()
    {
        List<MavlinkPeerEvent>? events = null;
        lock (_peersGate)
        {
            foreach (var (address, peer) in _peers)
            {
                if (peer.IsLost || TimeProvider.GetElapsedTime(peer.LastHeartbeat) < _options.PeerTimeout) continue;
                var lost = peer with { IsLost = true };
                (events ??= new()).Add(new(MavlinkPeerEventKind.Lost, lost, peer));
            }
            if (events is not null) foreach (var e in events) _peers[e.Peer.Address] = e.Peer;
        }
        if (events is not null) foreach (var e in events) Raise(e);
    }

    private void Raise(MavlinkPeerEvent ev)
    {
        _peerEvents.Writer.TryWrite(ev);
        try { PeerChanged?.Invoke(ev); }
        catch { /* a faulty observer must not break discovery */ }
    }

    private void SendHeartbeat()
    {
        var hb = new HeartbeatMessage
        {
            TypeEnum = _options.Type,
            AutopilotEnum = _options.Autopilot,
            SystemStatusEnum = _options.SystemStatus,
            MavlinkVersion = 3,
        };
        if (TrySend(hb)) Interlocked.Increment(ref _heartbeatsSent);
    }
}
