using Interceptor.Mavlink.Transports;

namespace Interceptor.Mavlink.Routing;

/// <summary>Forwards frames between channels by target system/component, the way autopilots and
/// mavlink-router do, so a ground station can share the autopilot link with the stack:
/// <list type="bullet">
/// <item>Routes are learned from the source ids of frames arriving on each channel.</item>
/// <item>A frame with no target field, or target_system 0, goes to every other channel.</item>
/// <item>target_system S with target_component 0 goes to every other channel where S was seen;
/// (S, C) goes to the channels where (S, C) was seen, or, if that component is unknown, where S was seen.</item>
/// <item>A frame whose target was never seen is dropped and counted.</item>
/// <item>A frame is never sent back to the channel it came from.</item>
/// </list>
/// Forwarding uses <see cref="IMavlinkChannel.TrySend"/> (bounded queues), so a slow channel cannot stall
/// the receive loop of the channel a frame came from. In-process participants (our node) join through
/// <see cref="CreateLocalChannel"/>.</summary>
public sealed class MavlinkRouter : IDisposable
{
    private readonly object _gate = new();
    private Endpoint[] _endpoints = [];
    // Routes: key = sysid * 256 + compid -> endpoints (bit set over endpoint index, up to 64 endpoints).
    private readonly ulong[] _componentRoutes = new ulong[65536];
    private readonly ulong[] _systemRoutes = new ulong[256];
    private long _forwarded, _noRoute, _sendFailures;

    public MavlinkRouter(TimeProvider? timeProvider = null) => TimeProvider = timeProvider ?? TimeProvider.System;

    public TimeProvider TimeProvider { get; }

    /// <summary>Frame copies handed to channels.</summary>
    public long FramesForwarded => Interlocked.Read(ref _forwarded);
    /// <summary>Targeted frames dropped because the target was never seen.</summary>
    public long FramesWithoutRoute => Interlocked.Read(ref _noRoute);
    /// <summary>Forward attempts refused by a closed channel.</summary>
    public long SendFailures => Interlocked.Read(ref _sendFailures);

    /// <summary>The channels taking part.</summary>
    public IReadOnlyList<IMavlinkChannel> Channels => Volatile.Read(ref _endpoints).Select(e => e.Channel).ToArray();

    /// <summary>Adds a channel (e.g. a started <see cref="MavlinkLink"/>). At most 64 channels.</summary>
    public void Add(IMavlinkChannel channel)
    {
        ArgumentNullException.ThrowIfNull(channel);
        lock (_gate)
        {
            if (_endpoints.Length >= 64) throw new InvalidOperationException("a router supports at most 64 channels");
            if (_endpoints.Any(e => ReferenceEquals(e.Channel, channel))) return;
            var ep = new Endpoint(channel, _endpoints.Length, channel is LocalChannel local ? local.Deliver : channel.TrySend);
            // A local channel's frames arrive through RouteFromLocal; what it subscribes to is what we deliver.
            if (channel is not LocalChannel) ep.Subscription = channel.Subscribe((in MavlinkFrame f, in MavlinkFrameContext c) => Route(ep, f));
            _endpoints = [.. _endpoints, ep];
        }
    }

    /// <summary>Creates an in-process channel attached to this router: what the participant sends is routed to
    /// the other channels, and frames routed to it are delivered to its subscribers synchronously.</summary>
    public LocalChannel CreateLocalChannel(string name = "local")
    {
        var local = new LocalChannel(this, name);
        Add(local);
        return local;
    }

    /// <summary>Channels where (systemId, componentId) has been seen as a source (componentId 0: any component).</summary>
    public IReadOnlyList<IMavlinkChannel> RoutesTo(byte systemId, byte componentId)
    {
        ulong mask = componentId == 0 ? Volatile.Read(ref _systemRoutes[systemId]) : Volatile.Read(ref _componentRoutes[(systemId << 8) | componentId]);
        return Volatile.Read(ref _endpoints).Where(e => (mask & (1UL << e.Index)) != 0).Select(e => e.Channel).ToArray();
    }

    private void Route(Endpoint from, in MavlinkFrame frame)
    {
        ulong bit = 1UL << from.Index;
        int key = frame.SourceKey;
        if ((Volatile.Read(ref _componentRoutes[key]) & bit) == 0) Learn(key, frame.SystemId, bit);

        var endpoints = Volatile.Read(ref _endpoints);
        ulong targets;
        if (!frame.TryGetTarget(out byte ts, out byte tc) || ts == 0)
        {
            targets = ~0UL;
        }
        else
        {
            targets = tc == 0 ? Volatile.Read(ref _systemRoutes[ts]) : Volatile.Read(ref _componentRoutes[(ts << 8) | tc]);
            if (targets == 0 && tc != 0) targets = Volatile.Read(ref _systemRoutes[ts]);
            if ((targets & ~bit) == 0)
            {
                Interlocked.Increment(ref _noRoute);
                return;
            }
        }
        targets &= ~bit;
        var raw = frame.Raw;
        foreach (var ep in endpoints)
        {
            if ((targets & (1UL << ep.Index)) == 0) continue;
            if (ep.Forward(raw)) Interlocked.Increment(ref _forwarded);
            else Interlocked.Increment(ref _sendFailures);
        }
    }

    private void Learn(int key, byte systemId, ulong bit)
    {
        lock (_gate)
        {
            _componentRoutes[key] |= bit;
            _systemRoutes[systemId] |= bit;
        }
    }

    internal void RouteFromLocal(LocalChannel local, ReadOnlySpan<byte> frame)
    {
        var check = MavlinkFrame.Check(frame, out var f, out _);
        if (check != MavlinkFrameCheck.Ok || f.Raw.Length != frame.Length)
            throw new ArgumentException($"{local.Name}: not exactly one valid MAVLink frame ({check}, {frame.Length} bytes)", nameof(frame));
        foreach (var ep in Volatile.Read(ref _endpoints))
        {
            if (!ReferenceEquals(ep.Channel, local)) continue;
            Route(ep, f);
            return;
        }
        throw new InvalidOperationException($"{local.Name} is not attached to this router");
    }

    public void Dispose()
    {
        lock (_gate)
        {
            foreach (var e in _endpoints) e.Subscription?.Dispose();
            _endpoints = [];
        }
    }

    private delegate bool SpanSender(ReadOnlySpan<byte> frame);

    private sealed class Endpoint(IMavlinkChannel channel, int index, SpanSender forward)
    {
        public IMavlinkChannel Channel { get; } = channel;
        public SpanSender Forward { get; } = forward;
        public int Index { get; } = index;
        public IDisposable? Subscription { get; set; }
    }

    /// <summary>An in-process participant of a router (e.g. our own node).</summary>
    public sealed class LocalChannel : IMavlinkChannel
    {
        private readonly MavlinkRouter _router;
        private readonly FrameHandlerList _handlers = new();

        internal LocalChannel(MavlinkRouter router, string name) { _router = router; Name = name; }

        public string Name { get; }
        public TimeProvider TimeProvider => _router.TimeProvider;
        public long HandlerFaults => _handlers.HandlerFaults;

        public IDisposable Subscribe(MavlinkFrameHandler handler) => _handlers.Add(handler);

        /// <summary>Routes the frame to the other channels (they queue it; this does not wait for the wire).</summary>
        public ValueTask SendAsync(ReadOnlyMemory<byte> frame, CancellationToken cancellationToken)
        {
            cancellationToken.ThrowIfCancellationRequested();
            _router.RouteFromLocal(this, frame.Span);
            return ValueTask.CompletedTask;
        }

        /// <summary>Routes the frame to the other channels at once (they queue it; never blocks).
        /// Throws <see cref="ArgumentException"/> when the bytes are not exactly one valid frame.</summary>
        public bool TrySend(ReadOnlySpan<byte> frame)
        {
            _router.RouteFromLocal(this, frame);
            return true;
        }

        /// <summary>Called by the router: delivers a frame to this participant's subscribers.</summary>
        internal bool Deliver(ReadOnlySpan<byte> frame)
        {
            if (MavlinkFrame.Check(frame, out var f, out _) != MavlinkFrameCheck.Ok) return false;
            var context = new MavlinkFrameContext(this, TimeProvider.GetTimestamp(), TimeProvider.GetUtcNow());
            // Several links may forward at once: subscribers must be thread-safe (the node is).
            _handlers.Invoke(f, context);
            return true;
        }
    }
}
