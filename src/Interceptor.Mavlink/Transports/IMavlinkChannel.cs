namespace Interceptor.Mavlink.Transports;

/// <summary>Receives one frame. Runs on the receive path of the channel: must be quick and must not block
/// (hand work off through a bounded queue). The frame is valid only during the call.</summary>
public delegate void MavlinkFrameHandler(in MavlinkFrame frame, in MavlinkFrameContext context);

/// <summary>Decides whether an incoming frame is accepted (e.g. a signature policy). Runs before handlers.</summary>
public delegate bool MavlinkFrameFilter(in MavlinkFrame frame);

/// <summary>Where and when a frame was received.</summary>
/// <param name="Channel">The channel the frame arrived on.</param>
/// <param name="Timestamp">Receive time as <see cref="TimeProvider.GetTimestamp"/> of the channel's time provider.</param>
/// <param name="ReceivedUtc">Receive time as wall-clock UTC of the channel's time provider (for logs).</param>
public readonly record struct MavlinkFrameContext(IMavlinkChannel Channel, long Timestamp, DateTimeOffset ReceivedUtc);

/// <summary>A framed MAVLink channel: a transport with a parser (<see cref="MavlinkLink"/>) or an in-process
/// endpoint of a router. Nodes and routers talk to channels only.</summary>
public interface IMavlinkChannel
{
    string Name { get; }

    /// <summary>Time source used to stamp received frames.</summary>
    TimeProvider TimeProvider { get; }

    /// <summary>Registers a handler for every accepted frame; dispose the result to unregister.</summary>
    IDisposable Subscribe(MavlinkFrameHandler handler);

    /// <summary>Sends one complete frame and waits until the transport took it.</summary>
    ValueTask SendAsync(ReadOnlyMemory<byte> frame, CancellationToken cancellationToken);

    /// <summary>Queues one complete frame without waiting (copies it). When the queue is full the oldest
    /// queued frame is dropped and counted; returns false only when the channel is closed.</summary>
    bool TrySend(ReadOnlySpan<byte> frame);
}

/// <summary>Copy-on-write list of frame handlers shared by channel implementations.</summary>
internal sealed class FrameHandlerList
{
    private MavlinkFrameHandler[] _handlers = [];
    private readonly object _gate = new();
    private long _handlerFaults;

    public long HandlerFaults => Interlocked.Read(ref _handlerFaults);
    public Action<Exception>? OnFault { get; set; }

    public IDisposable Add(MavlinkFrameHandler handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        lock (_gate) _handlers = [.. _handlers, handler];
        return new Remover(this, handler);
    }

    public void Invoke(in MavlinkFrame frame, in MavlinkFrameContext context)
    {
        foreach (var h in Volatile.Read(ref _handlers))
        {
            try { h(frame, context); }
            catch (Exception e)
            {
                // A faulty subscriber must not kill the receive loop of everyone else.
                Interlocked.Increment(ref _handlerFaults);
                OnFault?.Invoke(e);
            }
        }
    }

    private sealed class Remover(FrameHandlerList list, MavlinkFrameHandler handler) : IDisposable
    {
        private int _done;
        public void Dispose()
        {
            if (Interlocked.Exchange(ref _done, 1) != 0) return;
            lock (list._gate)
            {
                int i = Array.IndexOf(list._handlers, handler);
                if (i >= 0) list._handlers = [.. list._handlers[..i], .. list._handlers[(i + 1)..]];
            }
        }
    }
}
