using Interceptor.Mavlink;
using Interceptor.Mavlink.Messages;
using Interceptor.Sim.VirtualAutopilot;
using Interceptor.Testing;
using Xunit.Abstractions;

namespace Interceptor.Sim.Tests;

/// <summary>Replays the client side of each real capture into the virtual autopilot (lockstep, same times) and
/// compares both autopilot streams: message set, rates (within 20 %), HEARTBEAT mode sequence, COMMAND_ACK
/// sequence and STATUSTEXTs.</summary>
public class VirtualAutopilotCaptureTests(ITestOutputHelper output)
{
    private static readonly Lazy<CaptureSession> Px4Capture = new(() =>
        CaptureSession.Load(RepoPaths.SharedFile("captures", "px4-sih-offboard-session.bin")));
    private static readonly Lazy<CaptureSession> ArduCapture = new(() =>
        CaptureSession.Load(RepoPaths.SharedFile("captures", "arducopter-guided-session.chunks")));

    /// <summary>PX4 messages the virtual autopilot does not produce (identification, event and link bookkeeping
    /// that no flight logic reads), and traffic not addressed to a client (gimbal COMMAND_LONG, PARAM_VALUE bursts).</summary>
    private static readonly HashSet<uint> Px4LeftOut =
    [
        12901, 12904,  // OPEN_DRONE_ID_LOCATION, OPEN_DRONE_ID_SYSTEM
        8,             // LINK_NODE_STATUS
        380, 410, 411, // TIME_ESTIMATE_TO_TARGET, EVENT, CURRENT_EVENT_SEQUENCE
        CommandLongMessage.MavlinkMessageId, ParamValueMessage.MavlinkMessageId,
    ];

    /// <summary>ArduCopter messages not produced: terrain database traffic, ESC telemetry, the third IMU, parameter echoes.</summary>
    private static readonly HashSet<uint> ArduLeftOut =
    [
        TerrainReportMessage.MavlinkMessageId, TerrainRequestMessage.MavlinkMessageId, EscTelemetry1To4Message.MavlinkMessageId,
        ScaledImu3Message.MavlinkMessageId, ParamValueMessage.MavlinkMessageId,
    ];

    private (CollectingSink Sink, VirtualAutopilot.VirtualAutopilot Ap) RunPx4()
    {
        var cap = Px4Capture.Value;
        var sink = new CollectingSink();
        var ap = new VirtualAutopilot.VirtualAutopilot(new VirtualAutopilotOptions { Persona = VapPersona.Px4 }, sink);
        sink.Autopilot = ap;
        cap.Replay(ap, cap.DurationS);
        return (sink, ap);
    }

    private (CollectingSink Sink, VirtualAutopilot.VirtualAutopilot Ap) RunArdu()
    {
        var cap = ArduCapture.Value;
        var sink = new CollectingSink();
        // The capture began in LAND, disarmed, after an earlier flight.
        var ap = new VirtualAutopilot.VirtualAutopilot(new VirtualAutopilotOptions { Persona = VapPersona.ArduPilot, ArduInitialMode = VirtualAutopilot.VirtualAutopilot.ArduLand }, sink);
        sink.Autopilot = ap;
        cap.Replay(ap, cap.DurationS);
        return (sink, ap);
    }

    [Fact]
    public void Px4_identity_message_set_and_rates_match_the_capture()
    {
        var cap = Px4Capture.Value;
        var (sink, _) = RunPx4();
        Assert.All(sink.Frames, f => { Assert.Equal(1, f.SystemId); Assert.Equal(1, f.ComponentId); });
        var hb = sink.All<HeartbeatMessage>().First();
        Assert.Equal(2, hb.Type);       // quadrotor
        Assert.Equal(12, hb.Autopilot); // PX4
        CompareSetAndRates(cap.FromAutopilot, sink.Frames, Px4LeftOut, windowStartS: 1.0, windowEndS: 49.0);
    }

    [Fact]
    public void ArduCopter_identity_message_set_and_rates_match_the_capture()
    {
        var cap = ArduCapture.Value;
        var (sink, _) = RunArdu();
        Assert.All(sink.Frames, f => { Assert.Equal(1, f.SystemId); Assert.Equal(1, f.ComponentId); });
        var hb = sink.All<HeartbeatMessage>().First();
        Assert.Equal(2, hb.Type);
        Assert.Equal(3, hb.Autopilot); // ArduPilotMega
        CompareSetAndRates(cap.FromAutopilot, sink.Frames, ArduLeftOut, windowStartS: 1.0, windowEndS: 50.0);
    }

    private void CompareSetAndRates(List<CapturedFrame> real, List<CapturedFrame> virt, HashSet<uint> leftOut, double windowStartS, double windowEndS)
    {
        var realIds = real.Select(f => f.MessageId).ToHashSet();
        var virtIds = virt.Select(f => f.MessageId).ToHashSet();
        var missing = realIds.Where(id => !leftOut.Contains(id) && !virtIds.Contains(id)).Select(Name).ToList();
        Assert.True(missing.Count == 0, "messages in the capture but not produced: " + string.Join(", ", missing));
        var extra = virtIds.Where(id => !realIds.Contains(id)).Select(Name).ToList();
        Assert.True(extra.Count == 0, "messages produced but absent from the capture: " + string.Join(", ", extra));

        double span = windowEndS - windowStartS;
        int compared = 0;
        foreach (var id in realIds.Where(virtIds.Contains).OrderBy(i => i))
        {
            if (id is CommandAckMessage.MavlinkMessageId or StatustextMessage.MavlinkMessageId) continue; // events, compared as sequences
            int nReal = real.Count(f => f.MessageId == id && f.TimeS >= windowStartS && f.TimeS < windowEndS);
            int nVirt = virt.Count(f => f.MessageId == id && f.TimeS >= windowStartS && f.TimeS < windowEndS);
            output.WriteLine($"{Name(id),-28} real {nReal / span,7:F2} Hz   virtual {nVirt / span,7:F2} Hz");
            if (nReal < 5) continue; // conditional messages (e.g. a target only in one flight phase): presence checked above
            compared++;
            Assert.True(Math.Abs(nVirt - nReal) <= 0.2 * nReal,
                $"{Name(id)}: {nVirt / span:F2} Hz virtual vs {nReal / span:F2} Hz captured in [{windowStartS}, {windowEndS}) s");
        }
        Assert.True(compared >= 10, $"only {compared} message rates compared");
    }

    private static string Name(uint id) => MavlinkMessages.Find(id)?.Name ?? id.ToString();

    private static List<(uint Custom, byte Base, byte Status)> ModeTransitions(IEnumerable<CapturedFrame> frames)
    {
        var list = new List<(uint, byte, byte)>();
        foreach (var f in frames.Where(f => f.MessageId == HeartbeatMessage.MavlinkMessageId))
        {
            var h = f.Decode<HeartbeatMessage>();
            var k = (h.CustomMode, h.BaseMode, h.SystemStatus);
            if (list.Count == 0 || list[^1] != k) list.Add(k);
        }
        return list;
    }

    private static List<(ushort Command, byte Result)> Acks(IEnumerable<CapturedFrame> frames) =>
        frames.Where(f => f.MessageId == CommandAckMessage.MavlinkMessageId).Select(f => f.Decode<CommandAckMessage>())
            .Select(a => (a.Command, a.Result)).ToList();

    private static List<string> Texts(IEnumerable<CapturedFrame> frames) =>
        frames.Where(f => f.MessageId == StatustextMessage.MavlinkMessageId).Select(f => f.Decode<StatustextMessage>().Text.ToString()).ToList();

    [Fact]
    public void Px4_modes_acks_and_statustexts_follow_the_capture()
    {
        var cap = Px4Capture.Value;
        var (sink, ap) = RunPx4();
        var real = ModeTransitions(cap.FromAutopilot);
        var virt = ModeTransitions(sink.Frames);
        output.WriteLine("real:    " + string.Join(" -> ", real.Select(m => $"0x{m.Custom:X8}/{m.Base}/{m.Status}")));
        output.WriteLine("virtual: " + string.Join(" -> ", virt.Select(m => $"0x{m.Custom:X8}/{m.Base}/{m.Status}")));
        // AUTO.LOITER -> OFFBOARD -> armed -> POSCTL failsafe -> AUTO.LAND -> disarmed, OFFBOARD shown again.
        Assert.Equal(real.Select(m => (m.Custom, m.Base)), virt.Select(m => (m.Custom, m.Base)));
        // system_status too, except the capture's last heartbeat (MAV_STATE_UNINIT while PX4 was being stopped).
        Assert.Equal(real.Take(real.Count - 1).Select(m => m.Status), virt.Take(virt.Count - 1).Select(m => m.Status));
        Assert.Equal(0x00060000u, ap.CustomMode);
        Assert.False(ap.Armed);

        Assert.Equal(Acks(cap.FromAutopilot), Acks(sink.Frames)); // 5x SET_MESSAGE_INTERVAL, DO_SET_MODE twice, ARM, LAND
        Assert.Equal(Texts(cap.FromAutopilot), Texts(sink.Frames));
    }

    [Fact]
    public void ArduCopter_modes_acks_and_statustexts_follow_the_capture()
    {
        var cap = ArduCapture.Value;
        var (sink, _) = RunArdu();
        var real = ModeTransitions(cap.FromAutopilot);
        var virt = ModeTransitions(sink.Frames);
        output.WriteLine("real:    " + string.Join(" -> ", real.Select(m => $"{m.Custom}/{m.Base}/{m.Status}")));
        output.WriteLine("virtual: " + string.Join(" -> ", virt.Select(m => $"{m.Custom}/{m.Base}/{m.Status}")));
        Assert.Equal(real, virt); // LAND -> GUIDED -> armed -> flying -> LAND
        Assert.Equal(Acks(cap.FromAutopilot), Acks(sink.Frames));
        // The capture's texts minus the previous flight's "Disarming motors" at connect and EKF3 yaw-alignment news.
        var realTexts = Texts(cap.FromAutopilot.Where(f => f.TimeS > 0.05)).Where(t => !t.StartsWith("EKF3", StringComparison.Ordinal));
        Assert.Equal(realTexts, Texts(sink.Frames));
    }

    [Fact]
    public void Px4_offboard_loss_failsafe_fires_one_loss_timeout_after_the_last_setpoint_as_captured()
    {
        var cap = Px4Capture.Value;
        var (sink, _) = RunPx4();
        double lastSp = cap.ToAutopilot.Where(f => f.MessageId == SetPositionTargetLocalNedMessage.MavlinkMessageId && f.TimeS < 53).Max(f => f.TimeS);
        double Failsafe(IEnumerable<CapturedFrame> fs) => fs.First(f => f.MessageId == StatustextMessage.MavlinkMessageId
            && f.Decode<StatustextMessage>().Text.ToString().StartsWith("Failsafe activated", StringComparison.Ordinal)).TimeS;
        double realDelay = Failsafe(cap.FromAutopilot) - lastSp, virtDelay = Failsafe(sink.Frames) - lastSp;
        output.WriteLine($"failsafe after {realDelay:F3} s (capture), {virtDelay:F3} s (virtual)");
        Assert.InRange(realDelay, 1.0, 1.1);
        Assert.InRange(virtDelay, 1.0, 1.1);
    }

    [Fact]
    public void Flight_phases_resemble_the_captures()
    {
        // PX4: climb at vz -2 (capture vz -1.8), hold z -10 (capture -10.07), 5 m/s dash reaches several m/s.
        var (px4, _) = RunPx4();
        var lp = px4.All<LocalPositionNedMessage>().ToList();
        var at9 = lp.Last(l => l.TimeBootMs < 5000 + 9.3 * 1000);
        Assert.InRange(at9.Vz, -2.2, -1.5);
        var at15 = lp.Last(l => l.TimeBootMs < 5000 + 15.3 * 1000);
        Assert.InRange(at15.Z, -10.5, -9.5);
        var at21 = lp.Last(l => l.TimeBootMs < 5000 + 21.3 * 1000);
        Assert.InRange(at21.Vx, 4.0, 5.5);

        // ArduCopter: take-off to 20 m, vx 5 after 6 s (capture 5.12), vz -2 (capture -2.01).
        var (ardu, _) = RunArdu();
        var al = ardu.All<LocalPositionNedMessage>().ToList();
        var a19 = al.Last(l => l.TimeBootMs < 5000 + 19.0 * 1000);
        Assert.InRange(a19.Vx, 4.5, 5.5);
        var a28 = al.Last(l => l.TimeBootMs < 5000 + 28.0 * 1000);
        Assert.InRange(a28.Vz, -2.3, -1.7);
    }
}
