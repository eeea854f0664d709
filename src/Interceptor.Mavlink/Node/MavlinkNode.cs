using System.Buffers;
using Interceptor.Mavlink.Messages;
using Interceptor.Mavlink.Signing;
using Interceptor.Mavlink.Transports;

namespace Interceptor.Mavlink.Node;

/// <summary>Our MAVLink component on a channel (a <see cref="MavlinkLink"/> or a router's local channel):
/// sends our HEARTBEAT, tracks peers from theirs (discovery, mode changes, link loss), runs the command,
/// parameter and TIMESYNC protocols and hands decoded messages to subscribers through bounded queues.
/// <para>Everything that happens on receipt runs on the channel's receive loop and never blocks on a subscriber:
/// typed subscriptions drop their oldest message when full, replies (TIMESYNC) are queued with
/// <see cref="IMavlinkChannel.TrySend"/>. Timers come from the injected <see cref="TimeProvider"/>.</para>
/// <para>Built for the vehicle sessions of src/Interceptor.Autopilot: <see cref="SendAsync{T}"/> to the autopilot,
/// <see cref="Subscribe{T}"/> by message type, <see cref="CommandLongAsync"/> with ACK handling,
/// <see cref="GetPeer"/> for the autopilot's current heartbeat/mode and <see cref="PeerEvents"/> for
/// discovery, mode changes and link loss.</para></summary>
public sealed partial class MavlinkNode : IAsyncDisposable
{
    private delegate void FrameSink(in MavlinkFrame frame, long timestamp);

    private readonly MavlinkNodeOptions _options;
    private readonly MavlinkFrameWriter _writer;
    private readonly IDisposable _channelSubscription;
    private readonly object _sinkGate = new();
    private Dictionary<uint, (object Owner, FrameSink Sink)[]> _sinks = new();
    private readonly List<ITimer> _timers = new();
    private long _sendFailures;
    private int _started, _disposed;

    public MavlinkNode(IMavlinkChannel channel, MavlinkNodeOptions? options = null, MavlinkSigner? signer = null)
    {
        Channel = channel ?? throw new ArgumentNullException(nameof(channel));
        _options = options ?? new MavlinkNodeOptions();
        _options.Validate();
        _writer = new MavlinkFrameWriter(_options.SystemId, _options.ComponentId, MavlinkVersion.V2, signer);
        Address = new MavlinkAddress(_options.SystemId, _options.ComponentId);
        _channelSubscription = channel.Subscribe(OnFrame);
    }

    /// <summary>Opens a link from a URL (<c>udp://:14540</c>, <c>tcp://127.0.0.1:5760</c>, ...), starts it and a node on it.
    /// The node owns the link and disposes it with itself.</summary>
    public static async Task<MavlinkNode> ConnectAsync(string url, MavlinkNodeOptions? options = null, TimeProvider? timeProvider = null,
        MavlinkLinkOptions? linkOptions = null, MavlinkSigner? signer = null, CancellationToken cancellationToken = default)
    {
        var link = await MavlinkLink.OpenAsync(url, timeProvider, linkOptions, cancellationToken).ConfigureAwait(false);
        try
        {
            var node = new MavlinkNode(link.Start(), options, signer) { OwnedLink = link };
            return node.Start();
        }
        catch
        {
            await link.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>The link this node opened in <see cref="ConnectAsync"/> (null when given a channel).</summary>
    public MavlinkLink? OwnedLink { get; private init; }

    public IMavlinkChannel Channel { get; }
    public MavlinkNodeOptions Options => _options;
    /// <summary>Our system and component id.</summary>
    public MavlinkAddress Address { get; }
    public TimeProvider TimeProvider => Channel.TimeProvider;
    /// <summary>Frames that could not be queued by <see cref="TrySend{T}"/> (closed channel).</summary>
    public long SendFailures => Interlocked.Read(ref _sendFailures);

    /// <summary>Starts the heartbeat, peer-loss and TIMESYNC timers. Idempotent.</summary>
    public MavlinkNode Start()
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        if (Interlocked.Exchange(ref _started, 1) != 0) return this;
        var tp = TimeProvider;
        lock (_timers)
        {
            if (_options.HeartbeatPeriod > TimeSpan.Zero)
                _timers.Add(tp.CreateTimer(_ => SendHeartbeat(), null, TimeSpan.Zero, _options.HeartbeatPeriod));
            _timers.Add(tp.CreateTimer(_ => CheckPeers(), null, _options.PeerCheckPeriod, _options.PeerCheckPeriod));
            if (_options.TimesyncPeriod > TimeSpan.Zero)
                _timers.Add(tp.CreateTimer(_ => SendTimesyncRequest(), null, _options.TimesyncPeriod, _options.TimesyncPeriod));
        }
        return this;
    }

    /// <summary>Encodes and sends one message from our address and waits until the channel took it.</summary>
    public async ValueTask SendAsync<T>(T message, CancellationToken cancellationToken = default) where T : struct, IMavlinkMessage<T>
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        var buffer = ArrayPool<byte>.Shared.Rent(MavlinkConstants.MaxFrameLength);
        try
        {
            int n = _writer.Write(buffer, message);
            await Channel.SendAsync(buffer.AsMemory(0, n), cancellationToken).ConfigureAwait(false);
        }
        finally { ArrayPool<byte>.Shared.Return(buffer); }
    }

    /// <summary>Encodes and queues one message without waiting (for use on receive paths and timers).
    /// False when the channel is closed.</summary>
    public bool TrySend<T>(in T message) where T : struct, IMavlinkMessage<T>
    {
        if (Volatile.Read(ref _disposed) != 0) return false;
        Span<byte> buffer = stackalloc byte[MavlinkConstants.MaxFrameLength];
        int n = _writer.Write(buffer, message);
        if (Channel.TrySend(buffer[..n])) return true;
        Interlocked.Increment(ref _sendFailures);
        return false;
    }

    /// <summary>Subscribes to messages of type <typeparamref name="T"/> through a bounded drop-oldest queue of
    /// <paramref name="capacity"/> messages.</summary>
    public MavlinkSubscription<T> Subscribe<T>(int capacity = 64, MessageFilter? filter = null) where T : struct, IMavlinkMessage<T>
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        MavlinkSubscription<T>? sub = null;
        sub = new MavlinkSubscription<T>(capacity, filter ?? MessageFilter.Any, Address.SystemId, s => RemoveSink(T.MessageId, s));
        AddSink(T.MessageId, sub, sub.Deliver);
        return sub;
    }

    /// <summary>Waits for the next message of type <typeparamref name="T"/> that passes <paramref name="filter"/> and
    /// <paramref name="predicate"/>; throws <see cref="TimeoutException"/> after <paramref name="timeout"/>.</summary>
    public async Task<MavlinkReceived<T>> WaitForAsync<T>(Func<MavlinkReceived<T>, bool>? predicate, TimeSpan timeout,
        MessageFilter? filter = null, CancellationToken cancellationToken = default) where T : struct, IMavlinkMessage<T>
    {
        using var sub = Subscribe<T>(256, filter);
        using var timeoutCts = new CancellationTokenSource(timeout, TimeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeoutCts.Token);
        try
        {
            while (true)
            {
                var m = await sub.ReadAsync(linked.Token).ConfigureAwait(false);
                if (predicate is null || predicate(m)) return m;
            }
        }
        catch (OperationCanceledException) when (timeoutCts.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"no {typeof(T).Name} within {timeout.TotalSeconds:0.###} s");
        }
    }

    /// <summary>Raw frames as the channel delivers them (on the receive loop: be quick, do not block).</summary>
    public IDisposable SubscribeFrames(MavlinkFrameHandler handler) => Channel.Subscribe(handler);

    private void AddSink(uint messageId, object owner, FrameSink sink)
    {
        lock (_sinkGate)
        {
            var next = new Dictionary<uint, (object, FrameSink)[]>(_sinks);
            next[messageId] = next.TryGetValue(messageId, out var arr) ? [.. arr, (owner, sink)] : [(owner, sink)];
            Volatile.Write(ref _sinks, next);
        }
    }

    private void RemoveSink(uint messageId, object owner)
    {
        lock (_sinkGate)
        {
            if (!_sinks.TryGetValue(messageId, out var arr)) return;
            var rest = arr.Where(x => !ReferenceEquals(x.Owner, owner)).ToArray();
            var next = new Dictionary<uint, (object, FrameSink)[]>(_sinks);
            if (rest.Length == 0) next.Remove(messageId); else next[messageId] = rest;
            Volatile.Write(ref _sinks, next);
        }
    }

    private void OnFrame(in MavlinkFrame frame, in MavlinkFrameContext context)
    {
        if (frame.SystemId == Address.SystemId && frame.ComponentId == Address.ComponentId) return; // our own, echoed
        if (!frame.CrcVerified) return; // unknown message ids cannot be decoded
        long ts = context.Timestamp;
        switch (frame.MessageId)
        {
            case HeartbeatMessage.MavlinkMessageId: OnHeartbeat(frame, ts); break;
            case CommandAckMessage.MavlinkMessageId: OnCommandAck(frame, ts); break;
            case TimesyncMessage.MavlinkMessageId: OnTimesync(frame, ts); break;
        }
        if (Volatile.Read(ref _sinks).TryGetValue(frame.MessageId, out var sinks))
            foreach (var (_, sink) in sinks) sink(frame, ts);
    }

    private bool AddressedToUs(in MavlinkFrame frame)
    {
        if (!frame.TryGetTarget(out byte ts, out byte tc)) return true;
        return (ts == 0 || ts == Address.SystemId) && (tc == 0 || tc == Address.ComponentId);
    }

    private double SecondsSince(long timestamp) => TimeProvider.GetElapsedTime(timestamp).TotalSeconds;

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        lock (_timers)
        {
            foreach (var t in _timers) t.Dispose();
            _timers.Clear();
        }
        _channelSubscription.Dispose();
        _peerEvents.Writer.TryComplete();
        CancelPendingCommands();
        if (OwnedLink is not null) await OwnedLink.DisposeAsync().ConfigureAwait(false);
    }
}
