using System.Buffers;
using System.Threading.Channels;
using Interceptor.Mavlink.Signing;
using Interceptor.Mavlink.Tlog;

namespace Interceptor.Mavlink.Transports;

/// <summary>Options of a <see cref="MavlinkLink"/>.</summary>
public sealed record MavlinkLinkOptions
{
    /// <summary>Frames held in the send queue of <see cref="MavlinkLink.TrySend"/>; the oldest is dropped when full.</summary>
    public int SendQueueCapacity { get; init; } = 256;
    /// <summary>Drop frames whose message id the dialect does not define instead of passing them on.</summary>
    public bool DropUnknownMessages { get; init; }
    /// <summary>Optional signature policy checked on each frame first; rejected frames are counted in
    /// <see cref="MavlinkLink.FramesRejected"/> (and by reason in the verifier) and go no further.</summary>
    public MavlinkSignatureVerifier? Verifier { get; init; }
    /// <summary>Optional acceptance check run on each frame (after <see cref="Verifier"/>) before handlers.</summary>
    public MavlinkFrameFilter? Filter { get; init; }
    /// <summary>Optional log every accepted incoming frame is written to, stamped with its receive time.</summary>
    public TlogWriter? Recorder { get; init; }
    /// <summary>When true, frames sent through this link are written to <see cref="Recorder"/> too.</summary>
    public bool RecordOutgoing { get; init; }
}

/// <summary>A transport plus a MAVLink parser: a receive loop (one task, no thread per message) turns bytes
/// into frames and hands each to the subscribed handlers on that loop; sends go straight to the transport
/// (<see cref="SendAsync"/>) or through a bounded drop-oldest queue (<see cref="TrySend"/>, used for forwarding
/// so a slow link never stalls the link a frame came from).</summary>
public sealed class MavlinkLink : IMavlinkChannel, IAsyncDisposable
{
    private readonly IMavlinkTransport _transport;
    private readonly MavlinkLinkOptions _options;
    private readonly MavlinkParser _parser;
    private readonly FrameHandlerList _handlers = new();
    private readonly Channel<(byte[] Buffer, int Length)> _sendQueue;
    private readonly CancellationTokenSource _stop = new();
    private Task? _receiveTask, _sendTask;
    private long _framesReceived, _framesRejected, _framesSent, _queueDrops, _recordFaults;
    private int _disposed;
    private volatile bool _resetParser;

    public MavlinkLink(IMavlinkTransport transport, TimeProvider? timeProvider = null, MavlinkLinkOptions? options = null)
    {
        _transport = transport ?? throw new ArgumentNullException(nameof(transport));
        _options = options ?? new MavlinkLinkOptions();
        if (_options.SendQueueCapacity < 1) throw new ArgumentOutOfRangeException(nameof(options), _options.SendQueueCapacity, "SendQueueCapacity must be >= 1");
        TimeProvider = timeProvider ?? TimeProvider.System;
        _parser = new MavlinkParser(acceptUnknownMessages: !_options.DropUnknownMessages);
        _sendQueue = Channel.CreateBounded<(byte[], int)>(
            new BoundedChannelOptions(_options.SendQueueCapacity) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true },
            dropped => { Interlocked.Increment(ref _queueDrops); ArrayPool<byte>.Shared.Return(dropped.Item1); });
        // A new TCP connection starts a new byte stream: forget any partial frame of the old one.
        if (transport is TcpClientTransport tcp) tcp.ConnectionEstablished += _ => _resetParser = true;
    }

    /// <summary>Opens the transport a URL names and wraps it (not started).</summary>
    public static async ValueTask<MavlinkLink> OpenAsync(string url, TimeProvider? timeProvider = null, MavlinkLinkOptions? options = null, CancellationToken cancellationToken = default)
    {
        var transport = await MavlinkTransport.OpenAsync(url, timeProvider, cancellationToken).ConfigureAwait(false);
        return new MavlinkLink(transport, timeProvider, options);
    }

    public string Name => _transport.Name;
    public TimeProvider TimeProvider { get; }
    public IMavlinkTransport Transport => _transport;

    /// <summary>Parser statistics: per-source frames, CRC errors, sequence losses. Read them from the
    /// receive loop or after it stopped; values read concurrently may be slightly stale.</summary>
    public MavlinkParser Parser => _parser;

    public long FramesReceived => Interlocked.Read(ref _framesReceived);
    /// <summary>Frames the <see cref="MavlinkLinkOptions.Verifier"/> or <see cref="MavlinkLinkOptions.Filter"/> refused.</summary>
    public long FramesRejected => Interlocked.Read(ref _framesRejected);
    public long FramesSent => Interlocked.Read(ref _framesSent);
    /// <summary>Frames dropped from the <see cref="TrySend"/> queue because it was full.</summary>
    public long SendQueueDrops => Interlocked.Read(ref _queueDrops);
    /// <summary>Exceptions thrown by frame handlers (caught; the loop continues).</summary>
    public long HandlerFaults => _handlers.HandlerFaults;

    /// <summary>The receive loop's failure, if it ended with one other than cancellation/disposal.</summary>
    public Exception? Fault { get; private set; }

    /// <summary>Completes when the receive loop has ended.</summary>
    public Task Completion => _receiveTask ?? Task.CompletedTask;

    public IDisposable Subscribe(MavlinkFrameHandler handler) => _handlers.Add(handler);

    /// <summary>Starts the receive loop and the send-queue pump. Idempotent.</summary>
    public MavlinkLink Start()
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        lock (_stop)
        {
            _receiveTask ??= Task.Run(() => ReceiveLoopAsync(_stop.Token));
            _sendTask ??= Task.Run(() => SendLoopAsync(_stop.Token));
        }
        return this;
    }

    private async Task ReceiveLoopAsync(CancellationToken ct)
    {
        var buffer = new byte[65536];
        try
        {
            while (!ct.IsCancellationRequested)
            {
                int n = await _transport.ReceiveAsync(buffer, ct).ConfigureAwait(false);
                Dispatch(buffer.AsSpan(0, n));
                if (_transport.IsDatagram) _parser.ResetStream(); // a frame never spans datagrams
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested) { }
        catch (ObjectDisposedException) when (Volatile.Read(ref _disposed) != 0) { }
        catch (Exception e) { Fault = e; }
    }

    /// <summary>Parses bytes as if received (also used to replay captures through a link's handlers).</summary>
    internal void Dispatch(ReadOnlySpan<byte> bytes)
    {
        long ts = TimeProvider.GetTimestamp();
        DateTimeOffset utc = TimeProvider.GetUtcNow();
        var context = new MavlinkFrameContext(this, ts, utc);
        var filter = _options.Filter;
        var verifier = _options.Verifier;
        var recorder = _options.Recorder;
        if (_resetParser) { _resetParser = false; _parser.ResetStream(); }
        foreach (var frame in _parser.Parse(bytes))
        {
            if (verifier is not null && !MavlinkSignatureVerifier.IsAccepted(verifier.Check(frame))) { Interlocked.Increment(ref _framesRejected); continue; }
            if (filter is not null && !filter(frame)) { Interlocked.Increment(ref _framesRejected); continue; }
            Interlocked.Increment(ref _framesReceived);
            if (recorder is not null) Record(recorder, utc, frame.Raw);
            _handlers.Invoke(frame, context);
        }
    }

    private void Record(TlogWriter recorder, DateTimeOffset utc, ReadOnlySpan<byte> raw)
    {
        try { recorder.Write(utc, raw); }
        catch (Exception e) when (e is IOException or ObjectDisposedException) { Interlocked.Increment(ref _recordFaults); }
    }

    /// <summary>Failed writes to the recorder (disk full, closed).</summary>
    public long RecordFaults => Interlocked.Read(ref _recordFaults);

    public async ValueTask SendAsync(ReadOnlyMemory<byte> frame, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        await _transport.SendAsync(frame, cancellationToken).ConfigureAwait(false);
        Interlocked.Increment(ref _framesSent);
        if (_options.RecordOutgoing && _options.Recorder is { } r) Record(r, TimeProvider.GetUtcNow(), frame.Span);
    }

    public bool TrySend(ReadOnlySpan<byte> frame)
    {
        if (Volatile.Read(ref _disposed) != 0) return false;
        var buffer = ArrayPool<byte>.Shared.Rent(frame.Length);
        frame.CopyTo(buffer);
        if (_sendQueue.Writer.TryWrite((buffer, frame.Length))) return true;
        ArrayPool<byte>.Shared.Return(buffer);
        return false;
    }

    private async Task SendLoopAsync(CancellationToken ct)
    {
        try
        {
            await foreach (var (buffer, length) in _sendQueue.Reader.ReadAllAsync(ct).ConfigureAwait(false))
            {
                try { await SendAsync(buffer.AsMemory(0, length), ct).ConfigureAwait(false); }
                catch (Exception e) when (e is not OperationCanceledException && e is not ObjectDisposedException) { Interlocked.Increment(ref _queueDrops); }
                finally { ArrayPool<byte>.Shared.Return(buffer); }
            }
        }
        catch (OperationCanceledException) { }
        catch (ObjectDisposedException) { }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        _stop.Cancel();
        _sendQueue.Writer.TryComplete();
        await _transport.DisposeAsync().ConfigureAwait(false);
        try { if (_receiveTask is not null) await _receiveTask.ConfigureAwait(false); } catch { }
        try { if (_sendTask is not null) await _sendTask.ConfigureAwait(false); } catch { }
        while (_sendQueue.Reader.TryRead(out var item)) ArrayPool<byte>.Shared.Return(item.Buffer);
    }
}
