using System.Net;
using Interceptor.Mavlink.Signing;
using Interceptor.Mavlink.Tlog;
using Interceptor.Testing;
using Interceptor.Mavlink.Transports;

namespace Interceptor.Mavlink.Tests;

public class TransportLinkTests
{
    [Fact]
    public async Task LinkParsesFramesCountsSourcesAndRecordsATlog()
    {
        var ct = new CancellationTokenSource(TimeSpan.FromSeconds(10)).Token;
        var tlog = new MemoryStream();
        var recorder = new TlogWriter(tlog, leaveOpen: true);
        await using var rx = new MavlinkLink(UdpTransport.Listen(new IPEndPoint(IPAddress.Loopback, 0)), options: new MavlinkLinkOptions { Recorder = recorder }).Start();
        await using var tx = new MavlinkLink(UdpTransport.Connect(((UdpTransport)rx.Transport).LocalEndPoint)).Start();
        int count = 0;
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        rx.Subscribe((in MavlinkFrame f, in MavlinkFrameContext c) => { if (++count == 4) done.TrySetResult(); });

        // Sequence 0, 1, then 3 (one lost), and two frames in one datagram.
        await tx.SendAsync(TransportTestFrames.Heartbeat(1, 1, 0), ct);
        await tx.SendAsync(TransportTestFrames.Heartbeat(1, 1, 1), ct);
        await tx.SendAsync((byte[])[.. TransportTestFrames.Heartbeat(1, 1, 3), .. TransportTestFrames.CommandLong(1, 1, 4, 255, 190, 176)], ct);
        await done.Task.WaitAsync(ct);

        var src = rx.Parser.GetSource(1, 1)!;
        Assert.Equal(4, src.Frames);
        Assert.Equal(1, src.LostFrames);
        Assert.Equal(4, rx.FramesReceived);
        recorder.Flush();
        tlog.Position = 0;
        using var r = new CaptureReader(tlog, CaptureFormat.Tlog);
        int n = 0;
        while (r.TryRead(out var rec)) { n++; Assert.True(rec.HasTimestamp); }
        Assert.Equal(4, n);
    }

    [Fact]
    public async Task FilterRejectsFramesAndAFaultyHandlerDoesNotStopTheLoop()
    {
        var ct = new CancellationTokenSource(TimeSpan.FromSeconds(10)).Token;
        await using var rx = new MavlinkLink(UdpTransport.Listen(new IPEndPoint(IPAddress.Loopback, 0)),
            options: new MavlinkLinkOptions { Filter = (in MavlinkFrame f) => f.SystemId != 66 }).Start();
        await using var tx = new MavlinkLink(UdpTransport.Connect(((UdpTransport)rx.Transport).LocalEndPoint)).Start();
        var got = new List<byte>();
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        rx.Subscribe((in MavlinkFrame f, in MavlinkFrameContext c) => throw new InvalidOperationException("bad subscriber"));
        rx.Subscribe((in MavlinkFrame f, in MavlinkFrameContext c) => { lock (got) { got.Add(f.SystemId); if (f.SystemId == 3) done.TrySetResult(); } });
        await tx.SendAsync(TransportTestFrames.Heartbeat(66, 1, 0), ct);
        await tx.SendAsync(TransportTestFrames.Heartbeat(2, 1, 0), ct);
        await tx.SendAsync(TransportTestFrames.Heartbeat(3, 1, 0), ct);
        await done.Task.WaitAsync(ct);
        Assert.Equal([2, 3], got);
        Assert.Equal(1, rx.FramesRejected);
        Assert.Equal(2, rx.HandlerFaults);
    }

    [Fact]
    public async Task SignedOnlyLinkAcceptsArduPilotsSignedFramesAndRejectsReplayAndUnsigned()
    {
        var ct = new CancellationTokenSource(TimeSpan.FromSeconds(10)).Token;
        var frames = new List<byte[]>();
        using (var reader = CaptureReader.Open(RepoPaths.SharedFile("captures", "arducopter-guided-session-signed.chunks")))
        {
            var parser = new MavlinkParser();
            while (frames.Count < 50 && reader.TryRead(out var rec))
                if (rec.Direction == CaptureDirection.FromAutopilot)
                    foreach (var f in parser.Parse(rec.Bytes.Span)) frames.Add(f.Raw.ToArray());
        }
        frames = frames.Take(50).ToList();
        var key = MavlinkSigningKey.FromHex("71c2152b9701d317934ae3ab5be6ad966fa83978a606df07632e47baeed9d899");
        var verifier = new MavlinkSignatureVerifier(MavlinkSigningPolicy.SignedOnly, key);
        await using var rx = new MavlinkLink(UdpTransport.Listen(new IPEndPoint(IPAddress.Loopback, 0)), options: new MavlinkLinkOptions { Verifier = verifier }).Start();
        await using var tx = new MavlinkLink(UdpTransport.Connect(((UdpTransport)rx.Transport).LocalEndPoint)).Start();
        int accepted = 0;
        var last = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        rx.Subscribe((in MavlinkFrame f, in MavlinkFrameContext c) => { Interlocked.Increment(ref accepted); if (f.SystemId == 7) last.TrySetResult(); });

        foreach (var f in frames) await tx.SendAsync(f, ct);
        await tx.SendAsync(frames[0], ct);                                  // replayed
        await tx.SendAsync(TransportTestFrames.Heartbeat(1, 1, 200), ct);    // unsigned
        var wrongKey = new MavlinkSigner(MavlinkSigningKey.FromPassphrase("not the key"), 9, TimeProvider.System);
        var forged = new byte[MavlinkConstants.MaxFrameLength];
        int n = MavlinkFrameWriter.WriteFrame(forged, MavlinkVersion.V2, 0, 7, 1, 0, 50, 9, new byte[9], wrongKey);
        await tx.SendAsync(forged.AsMemory(0, n), ct);                       // forged signature
        var good = new MavlinkSigner(key, 9, TimeProvider.System);
        n = MavlinkFrameWriter.WriteFrame(forged, MavlinkVersion.V2, 1, 7, 1, 0, 50, 9, new byte[9], good);
        await tx.SendAsync(forged.AsMemory(0, n), ct);                       // ours, correctly signed: marks the end
        await last.Task.WaitAsync(ct);

        Assert.Equal(51, accepted);
        Assert.Equal(3, rx.FramesRejected);
        Assert.Equal(1, verifier.Count(MavlinkSignatureVerdict.RejectedReplay));
        Assert.Equal(1, verifier.Count(MavlinkSignatureVerdict.RejectedUnsigned));
        Assert.Equal(1, verifier.Count(MavlinkSignatureVerdict.RejectedBadSignature));
    }

    [Fact]
    public async Task TrySendQueueDropsOldestWhenTheLinkIsStuck()
    {
        // A transport whose sends never complete until released: the queue fills and drops the oldest.
        var stuck = new StuckTransport();
        await using var link = new MavlinkLink(stuck, options: new MavlinkLinkOptions { SendQueueCapacity = 4 }).Start();
        for (int i = 0; i < 20; i++) Assert.True(link.TrySend(TransportTestFrames.Heartbeat(1, 1, (byte)i)));
        await stuck.FirstSend.Task.WaitAsync(TimeSpan.FromSeconds(5));
        // One frame is in flight in the transport, 4 are queued, the rest were dropped.
        Assert.InRange(link.SendQueueDrops, 15, 16);
        stuck.Release.SetResult();
    }

    private sealed class StuckTransport : IMavlinkTransport
    {
        public readonly TaskCompletionSource FirstSend = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public readonly TaskCompletionSource Release = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public string Name => "stuck";
        public bool IsDatagram => true;
        public TransportCounters Counters { get; } = new();
        public async ValueTask<int> ReceiveAsync(Memory<byte> buffer, CancellationToken ct) { await Task.Delay(Timeout.Infinite, ct); return 0; }
        public async ValueTask SendAsync(ReadOnlyMemory<byte> data, CancellationToken ct) { FirstSend.TrySetResult(); await Release.Task.WaitAsync(ct); }
        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
