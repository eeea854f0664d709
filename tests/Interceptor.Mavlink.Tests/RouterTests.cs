using System.Net;
using Interceptor.Mavlink.Routing;
using Interceptor.Mavlink.Transports;

namespace Interceptor.Mavlink.Tests;

public class RouterTests
{
    private sealed class Inbox
    {
        public readonly List<(byte Sys, byte Comp, uint Id)> Frames = new();
        public Inbox(IMavlinkChannel ch) => ch.Subscribe((in MavlinkFrame f, in MavlinkFrameContext c) =>
        {
            lock (Frames) Frames.Add((f.SystemId, f.ComponentId, f.MessageId));
        });
    }

    [Fact]
    public async Task RoutesByTargetBroadcastsTheRestAndNeverEchoes()
    {
        using var router = new MavlinkRouter();
        var autopilot = router.CreateLocalChannel("autopilot");
        var gcs = router.CreateLocalChannel("gcs");
        var stack = router.CreateLocalChannel("stack");
        var (ap, g, s) = (new Inbox(autopilot), new Inbox(gcs), new Inbox(stack));

        await autopilot.SendAsync(TransportTestFrames.Heartbeat(1, 1, 0), default);
        Assert.Equal([((byte)1, (byte)1, 0u)], g.Frames);
        Assert.Single(s.Frames);
        Assert.Empty(ap.Frames); // never echoed

        await gcs.SendAsync(TransportTestFrames.Heartbeat(255, 190, 0, mavType: 6, autopilot: 8), default);
        await stack.SendAsync(TransportTestFrames.Heartbeat(1, 191, 0, mavType: 18, autopilot: 8), default);
        Assert.Equal(2, ap.Frames.Count);

        // The ground station commands the autopilot: only the autopilot gets it.
        await gcs.SendAsync(TransportTestFrames.CommandLong(255, 190, 1, 1, 1, 400), default);
        Assert.Equal(76u, ap.Frames[^1].Id);
        Assert.DoesNotContain(s.Frames, f => f.Id == 76);

        // The stack's companion (1/191) is addressed by component: only the stack gets it.
        await gcs.SendAsync(TransportTestFrames.CommandLong(255, 190, 2, 1, 191, 511), default);
        Assert.Single(s.Frames, f => f.Id == 76);
        Assert.Single(ap.Frames, f => f.Id == 76);

        // target_component 0 reaches every channel where system 1 lives (autopilot and stack), not the sender.
        await gcs.SendAsync(TransportTestFrames.CommandLong(255, 190, 3, 1, 0, 176), default);
        Assert.Equal(2, ap.Frames.Count(f => f.Id == 76));
        Assert.Equal(2, s.Frames.Count(f => f.Id == 76));

        // Unknown target: dropped and counted. Unknown component of a known system: sent where the system lives.
        await gcs.SendAsync(TransportTestFrames.CommandLong(255, 190, 4, 9, 1, 400), default);
        Assert.Equal(1, router.FramesWithoutRoute);
        await stack.SendAsync(TransportTestFrames.CommandLong(1, 191, 1, 255, 55, 400), default);
        Assert.Single(g.Frames, f => f.Id == 76);
        Assert.DoesNotContain(g.Frames, f => f.Sys == 255);
        Assert.Equal([autopilot, stack], router.RoutesTo(1, 0));
        Assert.Equal([gcs], router.RoutesTo(255, 190));
    }

    [Fact]
    public async Task LocalChannelRejectsBytesThatAreNotOneFrame()
    {
        using var router = new MavlinkRouter();
        var a = router.CreateLocalChannel("a");
        var frame = TransportTestFrames.Heartbeat(1, 1, 0);
        await Assert.ThrowsAsync<ArgumentException>(async () => await a.SendAsync(frame.AsMemory(0, frame.Length - 1), default));
        await Assert.ThrowsAsync<ArgumentException>(async () => await a.SendAsync((byte[])[.. frame, .. frame], default));
    }

    [Fact]
    public async Task GroundStationSharesTheAutopilotLinkOverUdp()
    {
        var ct = new CancellationTokenSource(TimeSpan.FromSeconds(10)).Token;
        // "Autopilot" and "ground station" are plain UDP links; the router listens for both.
        await using var apSide = new MavlinkLink(UdpTransport.Listen(new IPEndPoint(IPAddress.Loopback, 0))).Start();
        await using var gcsSide = new MavlinkLink(UdpTransport.Listen(new IPEndPoint(IPAddress.Loopback, 0))).Start();
        await using var autopilot = new MavlinkLink(UdpTransport.Connect(((UdpTransport)apSide.Transport).LocalEndPoint)).Start();
        await using var gcs = new MavlinkLink(UdpTransport.Connect(((UdpTransport)gcsSide.Transport).LocalEndPoint)).Start();
        using var router = new MavlinkRouter();
        router.Add(apSide);
        router.Add(gcsSide);
        var atGcs = new TaskCompletionSource<uint>(TaskCreationOptions.RunContinuationsAsynchronously);
        var atAp = new TaskCompletionSource<uint>(TaskCreationOptions.RunContinuationsAsynchronously);
        gcs.Subscribe((in MavlinkFrame f, in MavlinkFrameContext c) => { if (f.MessageId == 0) atGcs.TrySetResult(f.SystemId); });
        autopilot.Subscribe((in MavlinkFrame f, in MavlinkFrameContext c) => { if (f.MessageId == 76) atAp.TrySetResult(f.SystemId); });

        await gcs.SendAsync(TransportTestFrames.Heartbeat(255, 190, 0, 6, 8), ct); // teaches the router where the GCS is
        await autopilot.SendAsync(TransportTestFrames.Heartbeat(1, 1, 0), ct);
        Assert.Equal(1u, await atGcs.Task.WaitAsync(ct));
        await gcs.SendAsync(TransportTestFrames.CommandLong(255, 190, 1, 1, 1, 400), ct);
        Assert.Equal(255u, await atAp.Task.WaitAsync(ct));
        Assert.Equal(0, router.FramesWithoutRoute);
    }
}
