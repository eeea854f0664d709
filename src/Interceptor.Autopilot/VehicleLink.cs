using Interceptor.Mavlink;
using Interceptor.Mavlink.Tlog;
using Interceptor.Mavlink.Transports;

namespace Interceptor.Autopilot;

/// <summary>Runs a <see cref="VehicleSession"/> in real time over a MAVLink connection URL
/// (<c>udp://:14540</c> for PX4's offboard link — bind 14540 and reply from that same socket, since PX4
/// latches onto the first sender address:port; <c>tcp://127.0.0.1:5760</c> for ArduPilot SITL; serial for
/// hardware). Received frames go to <see cref="VehicleSession.Handle"/> on the link's receive loop; a
/// periodic timer on the injected clock calls <see cref="VehicleSession.Tick"/>. Outgoing frames are sent
/// straight to the transport from the caller's thread (no queue: the latency from guidance output to bytes
/// on the socket is one encode and one send call) and, with a recorder, logged to a tlog.</summary>
public sealed class VehicleLink : IFrameSink, IAsyncDisposable
{
    private readonly MavlinkLink _link;
    private readonly TlogWriter? _recorder;
    private readonly byte[] _sendBuffer = new byte[MavlinkConstants.MaxFrameLength];
    private readonly IDisposable _subscription;
    private readonly CancellationTokenSource _stop = new();
    private readonly TimeProvider _time;
    private Task? _tickTask;
    private long _sendFailures;

    private VehicleLink(MavlinkLink link, VehicleSessionOptions options, TimeProvider time, TlogWriter? recorder)
    {
        _link = link;
        _time = time;
        _recorder = recorder;
        Session = new VehicleSession(options, this, time);
        _subscription = link.Subscribe(OnFrame);
    }

    public VehicleSession Session { get; }
    public MavlinkLink Link => _link;
    public long SendFailures => Interlocked.Read(ref _sendFailures);

    /// <summary>Opens <paramref name="url"/>, starts receiving and ticking (every <paramref name="tickPeriodS"/>).
    /// Every frame in and out is written to <paramref name="recorder"/> when given.</summary>
    public static async Task<VehicleLink> OpenAsync(string url, VehicleSessionOptions options, TimeProvider? time = null,
        TlogWriter? recorder = null, double tickPeriodS = 0.005, CancellationToken ct = default)
    {
        time ??= TimeProvider.System;
        var link = await MavlinkLink.OpenAsync(url, time, new MavlinkLinkOptions { Recorder = recorder, RecordOutgoing = false }, ct)
            .ConfigureAwait(false);
        var v = new VehicleLink(link, options, time, recorder);
        link.Start();
        v._tickTask = Task.Run(() => v.TickLoopAsync(TimeSpan.FromSeconds(tickPeriodS), v._stop.Token), CancellationToken.None);
        return v;
    }

    private void OnFrame(in MavlinkFrame frame, in MavlinkFrameContext context) => Session.Handle(frame);

    private async Task TickLoopAsync(TimeSpan period, CancellationToken ct)
    {
        using var timer = new PeriodicTimer(period, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(ct).ConfigureAwait(false)) Session.Tick();
        }
        catch (OperationCanceledException) { }
    }

    /// <summary>Session output: one frame, sent now (called with the session lock held).</summary>
    void IFrameSink.Send(ReadOnlySpan<byte> frame)
    {
        frame.CopyTo(_sendBuffer);
        try
        {
            var pending = _link.SendAsync(_sendBuffer.AsMemory(0, frame.Length), CancellationToken.None);
            if (!pending.IsCompletedSuccessfully) pending.AsTask().GetAwaiter().GetResult();
            if (_recorder is not null) _recorder.Write(_time.GetUtcNow(), frame);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or System.Net.Sockets.SocketException or OperationCanceledException)
        {
            Interlocked.Increment(ref _sendFailures);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        if (_tickTask is not null) await _tickTask.ConfigureAwait(false);
        _subscription.Dispose();
        await _link.DisposeAsync().ConfigureAwait(false);
        _stop.Dispose();
    }
}
