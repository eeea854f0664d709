using Interceptor.Autopilot;
using Interceptor.Core;
using Interceptor.Mavlink;
using Interceptor.Mavlink.Messages;
using Interceptor.Mavlink.Tlog;
using Interceptor.Testing;

namespace Interceptor.Autopilot.Tests;

/// <summary>Replays the autopilot side of the real captures (../shared/captures) into a session that only
/// listens, and checks what it concluded against the timelines in the captures' README.</summary>
public sealed class CaptureReplayTests
{
    private sealed class Recorder : IFrameSink
    {
        public readonly List<byte[]> Frames = new();
        public void Send(ReadOnlySpan<byte> frame) => Frames.Add(frame.ToArray());
    }

    private static double EventTime(VehicleSession s, SessionEventKind kind, string contains) =>
        s.Events.First(e => e.Kind == kind && e.Message.Contains(contains, StringComparison.Ordinal)).TimeS;

    [Fact]
    public void Px4_capture_replay_gives_the_captured_mode_timeline_and_never_control()
    {
        var time = new ManualTimeProvider();
        var sink = new Recorder();
        var session = new VehicleSession(new VehicleSessionOptions { Autopilot = AutopilotKind.Px4 }, sink, time);
        var parser = new MavlinkParser();
        using var reader = CaptureReader.Open(RepoPaths.SharedFile("captures", "px4-sih-offboard-session.bin"));
        long t0 = -1;
        int timesyncRequests = 0;
        double lastPositionS = 0;
        while (reader.TryRead(out var rec))
        {
            if (t0 < 0) t0 = rec.TimestampUs;
            double t = (rec.TimestampUs - t0) * 1e-6;
            if (t > session.NowS) time.AdvanceSeconds(t - session.NowS);
            if (rec.Direction != CaptureDirection.FromAutopilot) continue;
            foreach (var frame in parser.Parse(rec.Bytes.Span))
            {
                if (frame.MessageId is LocalPositionNedMessage.MavlinkMessageId or OdometryMessage.MavlinkMessageId) lastPositionS = t;
                if (frame.MessageId == TimesyncMessage.MavlinkMessageId && frame.TryDecode(out TimesyncMessage ts) && ts.Tc1 == 0
                    && session.Phase != SessionPhase.Connecting) timesyncRequests++; // before PX4's first HEARTBEAT we do not know it yet
                session.Handle(frame);
            }
            parser.ResetStream();
            session.Tick();
        }

        var connected = session.Events.First();
        Assert.Equal(SessionEventKind.Connected, connected.Kind);
        Assert.Contains("AUTO.LOITER", connected.Message);
        Assert.Contains(session.Events, e => e.Kind == SessionEventKind.Ready);
        // README timeline: OFFBOARD at 1.86 s, armed at 2.86 s, failsafe OFFBOARD -> POSCTL 1.04 s after the
        // setpoints stop at 49.46 s, AUTO.LAND at 53.48 s, disarmed at 74.9 s (HEARTBEAT at 1 Hz: up to 1 s later).
        Assert.InRange(EventTime(session, SessionEventKind.ModeChanged, "AUTO.LOITER -> OFFBOARD"), 1.86, 2.9);
        Assert.InRange(EventTime(session, SessionEventKind.Armed, "armed"), 2.86, 3.9);
        Assert.InRange(EventTime(session, SessionEventKind.ModeChanged, "OFFBOARD -> POSCTL"), 50.4, 51.6);
        Assert.InRange(EventTime(session, SessionEventKind.ModeChanged, "-> AUTO.LAND"), 53.4, 54.6);
        Assert.InRange(EventTime(session, SessionEventKind.Disarmed, "disarmed"), 74.8, 75.8);
        // After landing PX4's HEARTBEAT shows OFFBOARD again: that is not control.
        Assert.Equal("OFFBOARD", session.Status.ModeName);
        Assert.False(session.Status.Armed);
        Assert.False(session.InExternalControl);
        Assert.Equal(SessionPhase.Ready, session.Phase);
        Assert.DoesNotContain(session.Events, e => e.Kind is SessionEventKind.LinkLost or SessionEventKind.ControlLost);
        // Gimbal COMMAND_LONGs and other frames not for us were ignored, not acted on.
        Assert.True(session.FramesIgnored > 0);
        // Home from HOME_POSITION, own state stamped on our clock from time_boot_ms.
        Assert.NotNull(session.Status.Home);
        Assert.Equal(47.3977, session.Status.Home!.Value.LatDeg, 3);
        Assert.True(session.TryGetOwnState(out var own));
        // Stamped by the autopilot shortly before it was received (one-way bound: never after the receive time).
        Assert.InRange(lastPositionS - own.TimeS, 0.0, 0.06);
        Assert.InRange(own.PosNed.Z, -1, 1); // landed (local z of the ground differs from the EKF origin by 0.6 m)
        Assert.True(own.VelNed.Length < 0.3);
        // Every TIMESYNC request PX4 sent got an answer echoing its ts1.
        var replies = sink.Frames.Count(f => MavlinkFrame.Check(f, out var fr, out _) == MavlinkFrameCheck.Ok
            && fr.MessageId == TimesyncMessage.MavlinkMessageId && fr.TryDecode(out TimesyncMessage m) && m.Tc1 != 0);
        Assert.True(timesyncRequests > 700, $"{timesyncRequests} requests");
        Assert.Equal(timesyncRequests, replies);
    }

    [Fact]
    public void ArduCopter_capture_replay_gives_guided_arming_and_land()
    {
        var time = new ManualTimeProvider();
        var session = new VehicleSession(new VehicleSessionOptions { Autopilot = AutopilotKind.ArduPilot }, new Recorder(), time);
        var parser = new MavlinkParser();
        using var reader = CaptureReader.Open(RepoPaths.SharedFile("captures", "arducopter-guided-session.chunks"));
        long t0 = -1;
        while (reader.TryRead(out var rec))
        {
            if (t0 < 0) t0 = rec.TimestampUs;
            double t = (rec.TimestampUs - t0) * 1e-6;
            if (t > session.NowS) time.AdvanceSeconds(t - session.NowS);
            if (rec.Direction != CaptureDirection.FromAutopilot) continue;
            foreach (var frame in parser.Parse(rec.Bytes.Span)) session.Handle(frame);
            session.Tick();
        }
        var connected = session.Events.First();
        Assert.Contains("LAND", connected.Message);
        // README: GUIDED at 0.058 s, armed after the ARM at 0.109 s, LAND requested at 53.1 s.
        Assert.InRange(EventTime(session, SessionEventKind.ModeChanged, "LAND -> GUIDED"), 0.0, 1.1);
        Assert.InRange(EventTime(session, SessionEventKind.Armed, "armed"), 0.1, 1.2);
        Assert.InRange(EventTime(session, SessionEventKind.ModeChanged, "GUIDED -> LAND"), 53.0, 54.2);
        Assert.Contains(session.Events, e => e.Kind == SessionEventKind.StatusText && e.Message.Contains("Arming motors", StringComparison.Ordinal));
        Assert.Contains(session.Events, e => e.Kind == SessionEventKind.Ready);
        Assert.Equal(ArduCopterModes.Land, session.Status.CustomMode);
        Assert.NotNull(session.Status.Home);
        Assert.Equal(50.45, session.Status.Home!.Value.LatDeg, 2);
        Assert.False(session.InExternalControl);
    }
}
