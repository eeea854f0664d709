namespace Interceptor.Mavlink.Transports;

/// <summary>A byte link to MAVLink peers. Transports move raw bytes only: datagram transports return one
/// datagram per receive, stream transports return whatever the stream delivered (frames may be split).
/// Framing is done above, by the link. Implementations are safe for one reader and many concurrent senders.</summary>
public interface IMavlinkTransport : IAsyncDisposable
{
    /// <summary>Human-readable name (the URL it was opened from).</summary>
    string Name { get; }

    /// <summary>True when each receive returns exactly one datagram (UDP); false for byte streams.</summary>
    bool IsDatagram { get; }

    /// <summary>Byte and event counters.</summary>
    TransportCounters Counters { get; }

    /// <summary>Waits for bytes and copies them into <paramref name="buffer"/>; returns the count (&gt; 0).
    /// Stream transports that reconnect keep waiting across reconnects. Throws
    /// <see cref="OperationCanceledException"/> when cancelled and <see cref="ObjectDisposedException"/>
    /// after disposal.</summary>
    ValueTask<int> ReceiveAsync(Memory<byte> buffer, CancellationToken cancellationToken);

    /// <summary>Sends whole frames. Never waits for a connection: when there is no peer or no connection
    /// the bytes are dropped and counted in <see cref="TransportCounters.SendsDropped"/>.</summary>
    ValueTask SendAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken);
}

/// <summary>Thread-safe counters of a transport.</summary>
public sealed class TransportCounters
{
    private long _bytesReceived, _bytesSent, _receives, _sends, _sendsDropped, _connects, _disconnects, _receiveErrors;

    public long BytesReceived => Interlocked.Read(ref _bytesReceived);
    public long BytesSent => Interlocked.Read(ref _bytesSent);
    /// <summary>Receive calls that returned data (datagrams for UDP).</summary>
    public long Receives => Interlocked.Read(ref _receives);
    public long Sends => Interlocked.Read(ref _sends);
    /// <summary>Sends dropped because no peer was known or the link was down.</summary>
    public long SendsDropped => Interlocked.Read(ref _sendsDropped);
    /// <summary>Successful (re)connections of connection-oriented transports.</summary>
    public long Connects => Interlocked.Read(ref _connects);
    public long Disconnects => Interlocked.Read(ref _disconnects);
    /// <summary>Transient receive errors that were survived (e.g. ICMP port unreachable).</summary>
    public long ReceiveErrors => Interlocked.Read(ref _receiveErrors);

    internal void Received(int bytes) { Interlocked.Add(ref _bytesReceived, bytes); Interlocked.Increment(ref _receives); }
    internal void Sent(int bytes) { Interlocked.Add(ref _bytesSent, bytes); Interlocked.Increment(ref _sends); }
    internal void Dropped() => Interlocked.Increment(ref _sendsDropped);
    internal void Connected() => Interlocked.Increment(ref _connects);
    internal void Disconnected() => Interlocked.Increment(ref _disconnects);
    internal void ReceiveError() => Interlocked.Increment(ref _receiveErrors);
}
