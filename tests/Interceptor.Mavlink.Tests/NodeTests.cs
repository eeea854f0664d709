using Interceptor.Core;
using Interceptor.Mavlink.Messages;
using Interceptor.Mavlink.Node;
using Interceptor.Mavlink.Routing;
using Interceptor.Mavlink.Transports;

namespace Interceptor.Mavlink.Tests;

public class NodeTests
{
    private static CancellationToken Timeout(int s = 20) => new CancellationTokenSource(TimeSpan.FromSeconds(s)).Token;

    private static async Task<(MavlinkLink Link, MavlinkNode Node)> Gcs(NodeTestAutopilot ap, MavlinkNodeOptions? options = null, TimeProvider? time = null)
    {
        var link = new MavlinkLink(UdpTransport.Connect(ap.EndPoint), time).Start();
        var node = new MavlinkNode(link, options ?? new MavlinkNodeOptions
        {
            Commands = new CommandOptions { AckTimeout = TimeSpan.FromMilliseconds(500), Retries = 3 },
            Params = new ParamOptions { Timeout = TimeSpan.FromMilliseconds(500), ListGapTimeout = TimeSpan.FromMilliseconds(300) },
        }).Start();
        await node.WaitForAutopilotAsync(1, Timeout());
        return (link, node);
    }

    // ---- heartbeat, discovery, link loss: deterministic with a manual clock over a router's local channels ----

    private static (ManualTimeProvider Time, MavlinkRouter Router, MavlinkNode Autopilot, MavlinkNode Gcs) LocalPair()
    {
        var time = new ManualTimeProvider();
        var router = new MavlinkRouter(time);
        var ap = new MavlinkNode(router.CreateLocalChannel("ap"), new MavlinkNodeOptions
        {
            SystemId = 1, ComponentId = 1, Type = MavType.Quadrotor, Autopilot = MavAutopilot.Px4, TimesyncPeriod = TimeSpan.Zero,
        });
        var gcs = new MavlinkNode(router.CreateLocalChannel("gcs"), new MavlinkNodeOptions { TimesyncPeriod = TimeSpan.Zero });
        return (time, router, ap, gcs);
    }

    [Fact]
    public async Task HeartbeatRunsAt1HzFromTheInjectedClock()
    {
        var (time, router, ap, gcs) = LocalPair();
        ap.Start(); gcs.Start();
        time.AdvanceSeconds(10);
        Assert.Equal(11, ap.HeartbeatsSent); // t = 0, 1, ..., 10
        var peer = gcs.GetPeer(new MavlinkAddress(1, 1))!;
        Assert.Equal(11, peer.HeartbeatCount);
        Assert.Equal((MavType.Quadrotor, MavAutopilot.Px4, false), (peer.Type, peer.Autopilot, peer.IsLost));
        var gcsSeenByAp = ap.GetPeer(new MavlinkAddress(255, 190))!;
        Assert.Equal(MavType.Gcs, gcsSeenByAp.Type);
        Assert.False(gcsSeenByAp.IsAutopilot);
        await ap.DisposeAsync(); await gcs.DisposeAsync(); router.Dispose();
    }

    [Fact]
    public async Task DiscoveryModeChangeLossAndRegainAreReported()
    {
        var (time, router, ap, gcs) = LocalPair();
        var events = new List<MavlinkPeerEvent>();
        gcs.PeerChanged += e => { if (e.Peer.Address.SystemId == 1) events.Add(e); };
        gcs.Start();
        var waiting = gcs.WaitForAutopilotAsync(1);
        Assert.False(waiting.IsCompleted);

        // The autopilot speaks by hand: PX4 AUTO.LOITER disarmed, then OFFBOARD armed.
        await ap.SendAsync(new HeartbeatMessage { TypeEnum = MavType.Quadrotor, AutopilotEnum = MavAutopilot.Px4, CustomMode = 0x03040000, BaseMode = 0x1D, MavlinkVersion = 3 });
        var found = await waiting.WaitAsync(Timeout());
        Assert.Equal((byte)4, found.Px4MainMode); // AUTO
        Assert.Equal((byte)3, found.Px4SubMode);  // LOITER
        time.AdvanceSeconds(1);
        await ap.SendAsync(new HeartbeatMessage { TypeEnum = MavType.Quadrotor, AutopilotEnum = MavAutopilot.Px4, CustomMode = 0x00060000, BaseMode = 0x1D | 0x80, MavlinkVersion = 3 });
        Assert.Equal([MavlinkPeerEventKind.Discovered, MavlinkPeerEventKind.StateChanged], events.Select(e => e.Kind));
        Assert.True(events[1].Peer.IsArmed);
        Assert.False(events[1].Previous!.IsArmed);
        Assert.Equal((byte)6, events[1].Peer.Px4MainMode);

        // Silence: lost once 3 s have passed since the last heartbeat (checks every 0.2 s).
        time.AdvanceSeconds(2.8);
        Assert.False(gcs.GetPeer(new MavlinkAddress(1, 1))!.IsLost);
        time.AdvanceSeconds(0.2);
        Assert.True(gcs.GetPeer(new MavlinkAddress(1, 1))!.IsLost);
        Assert.Equal(MavlinkPeerEventKind.Lost, events[^1].Kind);
        time.AdvanceSeconds(5);
        Assert.Equal(3, events.Count); // lost is reported once

        await ap.SendAsync(new HeartbeatMessage { TypeEnum = MavType.Quadrotor, AutopilotEnum = MavAutopilot.Px4, CustomMode = 0x00060000, BaseMode = 0x9D, MavlinkVersion = 3 });
        Assert.Equal(MavlinkPeerEventKind.Regained, events[^1].Kind);
        // The async queue carries the same sequence.
        var queued = new List<MavlinkPeerEventKind>();
        while (gcs.PeerEvents.TryRead(out var e)) if (e.Peer.Address.SystemId == 1) queued.Add(e.Kind);
        Assert.Equal(events.Select(e => e.Kind), queued);
        await ap.DisposeAsync(); await gcs.DisposeAsync(); router.Dispose();
    }

    [Fact]
    public async Task SlowSubscriberLosesOldestMessagesButNeverBlocksReceipt()
    {
        var (_, router, ap, gcs) = LocalPair();
        using var slow = gcs.Subscribe<HeartbeatMessage>(capacity: 4);
        using var fast = gcs.Subscribe<HeartbeatMessage>(capacity: 1000);
        for (uint i = 0; i < 100; i++)
            await ap.SendAsync(new HeartbeatMessage { CustomMode = i, TypeEnum = MavType.Quadrotor, AutopilotEnum = MavAutopilot.Px4 });
        Assert.Equal(96, slow.Dropped);
        Assert.Equal(0, fast.Dropped);
        var kept = new List<uint>();
        while (slow.Reader.TryRead(out var m)) kept.Add(m.Message.CustomMode);
        Assert.Equal([96u, 97u, 98u, 99u], kept);
        Assert.Equal(100, gcs.GetPeer(new MavlinkAddress(1, 1))!.HeartbeatCount);
        await ap.DisposeAsync(); await gcs.DisposeAsync(); router.Dispose();
    }

    [Fact]
    public async Task SubscriptionsSkipMessagesAddressedToOtherSystems()
    {
        var (_, router, ap, gcs) = LocalPair();
        using var mine = gcs.Subscribe<CommandLongMessage>();
        using var all = gcs.Subscribe<CommandLongMessage>(filter: new MessageFilter { OnlyAddressedToUs = false });
        await gcs.SendAsync(new HeartbeatMessage { TypeEnum = MavType.Gcs, AutopilotEnum = MavAutopilot.Invalid }); // the router learns where we are
        // PX4 commands its gimbal (1/0 -> target 1/154) and broadcasts; only the broadcast and our own are ours.
        await ap.SendAsync(new CommandLongMessage { Command = 1000, TargetSystem = 1, TargetComponent = 154 });
        await ap.SendAsync(new CommandLongMessage { Command = 1001, TargetSystem = 0, TargetComponent = 0 });
        await ap.SendAsync(new CommandLongMessage { Command = 2, TargetSystem = 255, TargetComponent = 190 });
        var got = new List<ushort>();
        while (mine.Reader.TryRead(out var m)) got.Add(m.Message.Command);
        Assert.Equal([(ushort)1001, (ushort)2], got);
        Assert.Equal(2, all.Delivered); // the router itself never sent 1/154 to us: no route to component 154
        await ap.DisposeAsync(); await gcs.DisposeAsync(); router.Dispose();
    }

    // ---- protocols between two nodes over loopback UDP, one playing the autopilot ----

    [Fact]
    public async Task CommandsHandleAcksRetriesInProgressDoubleAcksAndTimeouts()
    {
        var ct = Timeout();
        await using var ap = NodeTestAutopilot.Start();
        var (link, gcs) = await Gcs(ap);
        await using var _l = link; await using var _n = gcs;
        var target = ap.Address;

        var mode = await gcs.CommandLongAsync(target, MavCmd.DoSetMode, 1, 6, cancellationToken: ct);
        Assert.True(mode.Accepted);
        Assert.Equal(1, mode.Attempts);

        // PX4's second ack for DO_SET_MODE is visible to callers who wait for it. (A late second ack of the previous
        // DO_SET_MODE would be taken for this one's: acks carry no request id, so let it pass first.)
        await Task.Delay(200, ct);
        var mode2 = await gcs.CommandLongAsync(target, MavCmd.DoSetMode, 1, 6,
            options: new CommandOptions { CollectLaterAcks = TimeSpan.FromMilliseconds(400) }, cancellationToken: ct);
        Assert.Equal([MavResult.Accepted, MavResult.Accepted], mode2.Acks.Select(a => a.Result));

        var arm = await gcs.CommandLongAsync(target, MavCmd.ComponentArmDisarm, 1, cancellationToken: ct);
        Assert.Equal(MavResult.Accepted, arm.Result);
        Assert.Equal([MavResult.InProgress, MavResult.InProgress, MavResult.Accepted], arm.Acks.Select(a => a.Result));
        Assert.Equal([(byte)10, (byte)60, (byte)100], arm.Acks.Select(a => a.ProgressPercent));
        Assert.Equal(1, arm.Attempts);

        var takeoff = await gcs.CommandLongAsync(target, MavCmd.NavTakeoff, param7: 20, cancellationToken: ct);
        Assert.True(takeoff.Accepted);
        Assert.Equal(3, takeoff.Attempts);
        lock (ap.CommandsSeen)
            Assert.Equal([(byte)0, (byte)1, (byte)2], ap.CommandsSeen.Where(c => c.CommandEnum == MavCmd.NavTakeoff).Select(c => c.Confirmation));

        var land = await gcs.CommandLongAsync(target, MavCmd.NavLand, cancellationToken: ct);
        Assert.Equal(MavResult.Denied, land.Result);
        Assert.False(land.Accepted);

        var ignored = await gcs.CommandLongAsync(target, MavCmd.DoMotorTest,
            options: new CommandOptions { AckTimeout = TimeSpan.FromMilliseconds(100), Retries = 1 }, cancellationToken: ct);
        Assert.True(ignored.TimedOut);
        Assert.Equal(2, ignored.Attempts);
        Assert.Empty(ignored.Acks);

        var reposition = await gcs.CommandIntAsync(target, MavCmd.DoReposition, MavFrame.GlobalRelativeAlt, x: 473977420, y: 85455940, z: 30, cancellationToken: ct);
        Assert.True(reposition.Accepted);
        lock (ap.CommandIntsSeen) Assert.Equal((473977420, 85455940, 30f), (ap.CommandIntsSeen[0].X, ap.CommandIntsSeen[0].Y, ap.CommandIntsSeen[0].Z));
    }

    [Fact]
    public async Task ConnectFromAUrlOwnsItsLink()
    {
        var ct = Timeout();
        await using var ap = NodeTestAutopilot.Start();
        var node = await MavlinkNode.ConnectAsync($"udpout://127.0.0.1:{ap.EndPoint.Port}", cancellationToken: ct);
        var peer = await node.WaitForAutopilotAsync(1, ct);
        Assert.Equal((MavType.Quadrotor, MavAutopilot.Px4), (peer.Type, peer.Autopilot));
        Assert.True(node.OwnedLink!.FramesReceived > 0);
        await node.DisposeAsync();
        await node.OwnedLink.Completion.WaitAsync(ct);
        Assert.False(node.OwnedLink.TrySend(TransportTestFrames.Heartbeat(255, 190, 0)));
    }

    [Fact]
    public async Task SetMessageIntervalSendsMicroseconds()
    {
        var ct = Timeout();
        await using var ap = NodeTestAutopilot.Start();
        var (link, gcs) = await Gcs(ap);
        await using var _l = link; await using var _n = gcs;
        Assert.True((await gcs.SetMessageIntervalAsync(ap.Address, 32, 20, cancellationToken: ct)).Accepted);
        Assert.True((await gcs.SetMessageIntervalAsync(ap.Address, 85, 0, cancellationToken: ct)).Accepted);
        Assert.True((await gcs.ResetMessageIntervalAsync(ap.Address, 30, cancellationToken: ct)).Accepted);
        lock (ap.CommandsSeen)
            Assert.Equal([(32f, 50000f), (85f, -1f), (30f, 0f)],
                ap.CommandsSeen.Where(c => c.CommandEnum == MavCmd.SetMessageInterval).Select(c => (c.Param1, c.Param2)));
        Assert.Throws<ArgumentOutOfRangeException>(() => { _ = gcs.SetMessageIntervalAsync(ap.Address, 32, double.NaN); });
        Assert.Throws<ArgumentOutOfRangeException>(() => { _ = gcs.SetMessageIntervalAsync(ap.Address, 32, -1); });
    }

    [Fact]
    public async Task ParametersReadSetVerifyAndListWithGapRecovery()
    {
        var ct = Timeout();
        await using var ap = NodeTestAutopilot.Start(paramCount: 40);
        ap.SkipInList.UnionWith([3, 17, 39]);
        var (link, gcs) = await Gcs(ap);
        await using var _l = link; await using var _n = gcs;

        var p7 = await gcs.ReadParamAsync(ap.Address, "P007", cancellationToken: ct);
        Assert.Equal(("P007", 7f, (ushort)7, (ushort)41), (p7.Name, p7.RawValue, p7.Index, p7.Count));
        var byIndex = await gcs.ReadParamAsync(ap.Address, 12, cancellationToken: ct);
        Assert.Equal("P012", byIndex.Name);

        var set = await gcs.SetParamAsync(ap.Address, "P005", 2.5f, MavParamType.Real32, cancellationToken: ct);
        Assert.True(set.Verified);
        Assert.Equal(2.5f, set.Echo.RawValue);
        var clamped = await gcs.SetParamAsync(ap.Address, "LIMITED", 50, MavParamType.Real32, ParamEncoding.CCast, cancellationToken: ct);
        Assert.False(clamped.Verified);
        Assert.Equal(10f, clamped.Echo.RawValue);

        var list = await gcs.ListParamsAsync(ap.Address, cancellationToken: ct);
        Assert.True(list.Complete, $"missing {string.Join(",", list.Missing)}");
        Assert.Equal(41, list.Params.Count);
        Assert.Equal(Enumerable.Range(0, 41).Select(i => (ushort)i), list.Params.Select(p => p.Index));
        Assert.Equal(2.5f, list.Params[5].RawValue);
        Assert.Equal(1, list.GapRequestRounds);

        await Assert.ThrowsAsync<TimeoutException>(() => gcs.ReadParamAsync(ap.Address, "NOPE",
            new ParamOptions { Timeout = TimeSpan.FromMilliseconds(50), Retries = 1 }, ct));
        await Assert.ThrowsAsync<ArgumentException>(() => gcs.ReadParamAsync(ap.Address, "A_NAME_LONGER_THAN_16", cancellationToken: ct));
    }

    [Fact]
    public void ParamEncodingMatchesBothAutopilots()
    {
        // PX4 copies int32 bytes into the float; ArduPilot casts.
        float px4 = MavlinkParam.Encode(6, MavParamType.Int32, ParamEncoding.Bytewise);
        Assert.Equal(6, BitConverter.SingleToInt32Bits(px4));
        Assert.Equal(6.0, MavlinkParam.Decode(px4, MavParamType.Int32, ParamEncoding.Bytewise));
        Assert.Equal(6f, MavlinkParam.Encode(6, MavParamType.Int32, ParamEncoding.CCast));
        Assert.Equal(-3.0, MavlinkParam.Decode(MavlinkParam.Encode(-3, MavParamType.Int8, ParamEncoding.Bytewise), MavParamType.Int8, ParamEncoding.Bytewise));
        Assert.Equal(4000000000.0, MavlinkParam.Decode(MavlinkParam.Encode(4e9, MavParamType.Uint32, ParamEncoding.Bytewise), MavParamType.Uint32, ParamEncoding.Bytewise));
        Assert.Throws<ArgumentOutOfRangeException>(() => MavlinkParam.Encode(300, MavParamType.Uint8, ParamEncoding.CCast));
        Assert.Throws<ArgumentOutOfRangeException>(() => MavlinkParam.Encode(1.5, MavParamType.Int32, ParamEncoding.CCast));
        Assert.Throws<ArgumentOutOfRangeException>(() => MavlinkParam.Encode(double.NaN, MavParamType.Real32, ParamEncoding.CCast));
    }

    [Fact]
    public async Task TimesyncEstimatesThePeerClockOffsetAndAnswersRequests()
    {
        var ct = Timeout();
        // The autopilot's clock runs 1234.5 s ahead of ours.
        var apTime = new OffsetTimeProvider(TimeProvider.System, TimeSpan.FromSeconds(1234.5));
        await using var ap = NodeTestAutopilot.Start(apTime);
        var (link, gcs) = await Gcs(ap, new MavlinkNodeOptions { TimesyncPeriod = TimeSpan.FromMilliseconds(20) });
        await using var _l = link; await using var _n = gcs;
        TimesyncEstimate? est = null;
        while (est is not { Samples: >= 10 })
        {
            await Task.Delay(20, ct);
            est = gcs.GetTimesync(ap.Address);
        }
        Assert.InRange(est.Value.OffsetS, 1234.5 - 0.005, 1234.5 + 0.005);
        Assert.InRange(est.Value.RttS, 0, 0.5);
        Assert.True(ap.Node.TimesyncRequestsAnswered >= 10);

        // A peer time maps back onto our clock.
        long now = TimeProvider.System.GetTimestamp();
        long apNowUs = (long)(apTime.GetTimestamp() * (1e6 / apTime.TimestampFrequency));
        Assert.True(gcs.TryPeerTimeToLocalTimestamp(ap.Address, apNowUs, out long local));
        Assert.InRange((local - now) / (double)TimeProvider.System.TimestampFrequency, -0.005, 0.005);
    }
}
