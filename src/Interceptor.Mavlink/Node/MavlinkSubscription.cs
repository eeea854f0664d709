using System.Threading.Channels;

namespace Interceptor.Mavlink.Node;

/// <summary>A decoded message with its sender and receive time.</summary>
/// <param name="Timestamp">Receive time as <see cref="TimeProvider.GetTimestamp"/> of the node's time provider.</param>
public readonly record struct MavlinkReceived<T>(T Message, byte SystemId, byte ComponentId, long Timestamp) where T : struct
{
    public MavlinkAddress Source => new(SystemId, ComponentId);
}

/// <summary>Which received messages a subscription takes.</summary>
public sealed record MessageFilter
{
    /// <summary>Only from this system (null: any).</summary>
    public byte? SystemId { get; init; }
    /// <summary>Only from this component (null: any).</summary>
    public byte? ComponentId { get; init; }
    /// <summary>Skip messages whose target_system names another system (targets 0 and messages without a target
    /// pass). On by default: an autopilot also commands gimbals and other components we are not.</summary>
    public bool OnlyAddressedToUs { get; init; } = true;

    public static MessageFilter Any { get; } = new();
    public static MessageFilter From(MavlinkAddress a) => new() { SystemId = a.SystemId, ComponentId = a.ComponentId };
}

/// <summary>Messages of one type delivered through a bounded queue. When the reader falls behind, the oldest
/// queued message is dropped (counted in <see cref="Dropped"/>), so a slow subscriber never stalls the receive loop.
/// Dispose to unsubscribe; the reader then completes.</summary>
public sealed class MavlinkSubscription<T> : IDisposable where T : struct, IMavlinkMessage<T>
{
    private readonly Channel<MavlinkReceived<T>> _channel;
    private readonly Action<MavlinkSubscription<T>> _unsubscribe;
    private readonly MessageFilter _filter;
    private readonly byte _ourSystem;
    private long _dropped, _delivered;
    private int _disposed;

    internal MavlinkSubscription(int capacity, MessageFilter filter, byte ourSystem, Action<MavlinkSubscription<T>> unsubscribe)
    {
        if (capacity < 1) throw new ArgumentOutOfRangeException(nameof(capacity), capacity, "capacity must be >= 1");
        _filter = filter;
        _ourSystem = ourSystem;
        _unsubscribe = unsubscribe;
        _channel = Channel.CreateBounded<MavlinkReceived<T>>(
            new BoundedChannelOptions(capacity) { FullMode = BoundedChannelFullMode.DropOldest },
            _ => Interlocked.Increment(ref _dropped));
    }

    public ChannelReader<MavlinkReceived<T>> Reader => _channel.Reader;
    /// <summary>Messages dropped because the queue was full.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);
    /// <summary>Messages queued so far.</summary>
    public long Delivered => Interlocked.Read(ref _delivered);

    /// <summary>Waits for the next message.</summary>
    public ValueTask<MavlinkReceived<T>> ReadAsync(CancellationToken cancellationToken = default) => _channel.Reader.ReadAsync(cancellationToken);

    public IAsyncEnumerable<MavlinkReceived<T>> ReadAllAsync(CancellationToken cancellationToken = default) => _channel.Reader.ReadAllAsync(cancellationToken);

    internal void Deliver(in MavlinkFrame frame, long timestamp)
    {
        if (_filter.SystemId is { } s && s != frame.SystemId) return;
        if (_filter.ComponentId is { } c && c != frame.ComponentId) return;
        if (_filter.OnlyAddressedToUs && frame.TryGetTarget(out byte ts, out _) && ts != 0 && ts != _ourSystem) return;
        if (!T.TryDecode(frame.Payload, out var message)) return;
        if (_channel.Writer.TryWrite(new MavlinkReceived<T>(message, frame.SystemId, frame.ComponentId, timestamp)))
            Interlocked.Increment(ref _delivered);
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        _unsubscribe(this);
        _channel.Writer.TryComplete();
    }
}
