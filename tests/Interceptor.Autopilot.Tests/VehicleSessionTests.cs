using Interceptor.Autopilot;
using Interceptor.Core;
using Interceptor.Mavlink.Messages;

namespace Interceptor.Autopilot.Tests;

public sealed class VehicleSessionTests
{
    private static readonly Vector3d Ground = new(1, 2, 0);
    private static readonly Vector3d Air = new(1, 2, -20);

    [Fact]
    public void Ready_needs_heartbeat_position_and_home_and_requests_telemetry_rates()
    {
        var ap = new FakeAutopilot(AutopilotKind.Px4);
        var ready = ap.Session.WaitReadyAsync(10);
        ap.Heartbeat();
        ap.Session.Tick();
        Assert.Equal(SessionPhase.Connected, ap.Session.Phase);
        ap.Position(Ground);
        ap.Session.Tick();
        Assert.False(ready.IsCompleted);
        ap.Home();
        ap.Session.Tick();
        Assert.Equal(SessionPhase.Ready, ap.Session.Phase);
        Assert.True(FakeAutopilot.Done(ready).Success);
        // MAV_CMD_SET_MESSAGE_INTERVAL p1 = message id, p2 = interval in microseconds.
        var intervals = ap.Commands(AutopilotCommands.SetMessageInterval).ToDictionary(c => (uint)c.Param1, c => c.Param2);
        Assert.Equal(20000f, intervals[32]);   // LOCAL_POSITION_NED 50 Hz
        Assert.Equal(20000f, intervals[31]);   // ATTITUDE_QUATERNION 50 Hz
        Assert.Equal(1e6f, intervals[242]);    // HOME_POSITION 1 Hz
        Assert.All(ap.SentOf<CommandLongMessage>(), c => Assert.Equal((1, 1), (c.Message.TargetSystem, c.Message.TargetComponent)));
    }

    [Fact]
    public void Px4_offboard_is_confirmed_by_heartbeat_not_by_the_double_ack()
    {
        var ap = new FakeAutopilot(AutopilotKind.Px4, new VehicleSessionOptions { PreStreamS = 1.0 });
        ap.CustomMode = Px4Modes.Hold;
        ap.Connect(Ground);
        var arm = ap.Session.ArmAsync();
        // Proof of life first: setpoints stream for PreStreamS before DO_SET_MODE goes out.
        ap.Run(0.99, Ground);
        Assert.Empty(ap.Commands(AutopilotCommands.DoSetMode));
        var early = ap.SentOf<SetPositionTargetLocalNedMessage>();
        Assert.InRange(early.Count, 48, 51); // 50 Hz
        Assert.All(early, s => Assert.Equal((PositionTargetMask.PositionYaw, (byte)1), (s.Message.TypeMask, s.Message.CoordinateFrame)));
        ap.Run(0.05, Ground);
        var setMode = Assert.Single(ap.Commands(AutopilotCommands.DoSetMode));
        Assert.Equal((1f, 6f), (setMode.Param1, setMode.Param2));
        // PX4 answers twice with ACCEPTED; the mode has not changed in HEARTBEAT yet.
        ap.Ack(AutopilotCommands.DoSetMode);
        ap.Ack(AutopilotCommands.DoSetMode);
        ap.Run(0.5, Ground);
        Assert.Empty(ap.Commands(AutopilotCommands.ComponentArmDisarm));
        Assert.False(arm.IsCompleted);
        ap.CustomMode = Px4Modes.Offboard;
        ap.Run(0.6, Ground); // the next HEARTBEAT shows OFFBOARD
        var armCmd = Assert.Single(ap.Commands(AutopilotCommands.ComponentArmDisarm));
        Assert.Equal(1f, armCmd.Param1);
        ap.Ack(AutopilotCommands.ComponentArmDisarm);
        Assert.False(arm.IsCompleted);
        ap.Armed = true;
        ap.Run(1.0, Ground);
        Assert.True(arm.IsCompleted);
        Assert.True(FakeAutopilot.Done(arm).Success, FakeAutopilot.Done(arm).Message);
    }

    [Fact]
    public void ArduCopter_goes_guided_arms_and_takes_off_with_nav_takeoff()
    {
        var ap = new FakeAutopilot(AutopilotKind.ArduPilot);
        ap.CustomMode = ArduCopterModes.Stabilize;
        ap.Connect(Ground);
        var takeoff = ap.Session.TakeoffAsync(20);
        ap.Run(0.05, Ground);
        var mode = Assert.Single(ap.Commands(AutopilotCommands.DoSetMode));
        Assert.Equal((1f, 4f), (mode.Param1, mode.Param2));
        Assert.Empty(ap.SentOf<SetPositionTargetLocalNedMessage>()); // GUIDED needs no proof-of-life stream
        ap.Ack(AutopilotCommands.DoSetMode);
        ap.CustomMode = ArduCopterModes.Guided;
        ap.Run(1.0, Ground);
        Assert.Single(ap.Commands(AutopilotCommands.ComponentArmDisarm));
        ap.Armed = true;
        ap.Run(1.0, Ground);
        var nav = Assert.Single(ap.Commands(AutopilotCommands.NavTakeoff));
        Assert.Equal(20f, nav.Param7);
        Assert.False(takeoff.IsCompleted);
        ap.Run(0.5, new Vector3d(1, 2, -19.8));
        Assert.True(takeoff.IsCompleted);
        Assert.True(FakeAutopilot.Done(takeoff).Success, FakeAutopilot.Done(takeoff).Message);
        Assert.Contains(ap.Session.Events, e => e.Kind == SessionEventKind.TakeoffComplete);
    }

    [Fact]
    public void Failed_ack_fails_the_operation_with_the_result_named()
    {
        var ap = new FakeAutopilot(AutopilotKind.ArduPilot);
        ap.CustomMode = ArduCopterModes.Guided;
        ap.Connect(Ground);
        var arm = ap.Session.ArmAsync();
        ap.Run(0.05, Ground);
        ap.Run(1.0, Ground);
        ap.Ack(AutopilotCommands.ComponentArmDisarm, CommandResults.Failed);
        ap.Run(0.05, Ground);
        Assert.True(arm.IsCompleted);
        Assert.False(FakeAutopilot.Done(arm).Success);
        Assert.Contains("FAILED", FakeAutopilot.Done(arm).Message);
    }

    private static FakeAutopilot InExternalControl(AutopilotKind kind, SetpointForm? form = null)
    {
        var ap = new FakeAutopilot(kind, new VehicleSessionOptions { PreStreamS = 0, Form = form });
        ap.CustomMode = ap.Session.Adapter.CustomModeOf(VehicleMode.ExternalControl);
        ap.Armed = true;
        ap.Connect(Air);
        var enter = ap.Session.EnterExternalControlAsync();
        ap.Run(1.05, Air);
        Assert.True(enter.IsCompleted);
        Assert.True(FakeAutopilot.Done(enter).Success, FakeAutopilot.Done(enter).Message);
        Assert.True(ap.Session.InExternalControl);
        return ap;
    }

    [Theory]
    [InlineData(AutopilotKind.Px4)]
    [InlineData(AutopilotKind.ArduPilot)]
    public void Guidance_that_misses_its_deadline_stops_the_stream_and_commands_hold(AutopilotKind kind)
    {
        var ap = InExternalControl(kind, SetpointForm.VelocityAcceleration);
        double deadline = ap.Session.Options.GuidanceDeadlineS;
        for (int i = 0; i < 50; i++)
        {
            Assert.True(ap.Session.SubmitGuidance(new GuidanceCommand(ap.Session.NowS, new Vector3d(1, 0, 0))));
            ap.Run(0.02, Air);
        }
        double frozenAt = ap.Session.NowS;
        ap.Run(1.0, Air, stepS: 0.005);
        var setpoints = ap.SentOf<SetPositionTargetLocalNedMessage>(frozenAt);
        Assert.Empty(setpoints);
        var stalled = ap.Session.Events.Single(e => e.Kind == SessionEventKind.GuidanceStalled);
        Assert.InRange(stalled.TimeS - (frozenAt - 0.02), deadline, deadline + 0.006);
        var hold = ap.Commands(AutopilotCommands.DoSetMode).Last();
        if (kind == AutopilotKind.Px4) Assert.Equal((1f, 4f, 3f), (hold.Param1, hold.Param2, hold.Param3)); // AUTO.LOITER
        else Assert.Equal((1f, 5f), (hold.Param1, hold.Param2)); // LOITER
        Assert.Equal(SessionPhase.GuidanceStalled, ap.Session.Phase);
        Assert.False(ap.Session.SubmitGuidance(new GuidanceCommand(ap.Session.NowS, Vector3d.Zero)));
    }

    [Fact]
    public void Stale_or_non_finite_guidance_is_refused_and_nothing_is_sent()
    {
        var ap = InExternalControl(AutopilotKind.Px4);
        int before = ap.Sent.Count;
        double now = ap.Session.NowS;
        Assert.False(ap.Session.SubmitGuidance(new GuidanceCommand(now - 0.2, new Vector3d(1, 0, 0))));
        Assert.False(ap.Session.SubmitGuidance(new GuidanceCommand(now, new Vector3d(double.NaN, 0, 0))));
        Assert.False(ap.Session.SubmitGuidance(new GuidanceCommand(now, new Vector3d(0, double.PositiveInfinity, 0))));
        Assert.Equal(before, ap.Sent.Count);
        Assert.Equal(3, ap.Session.GuidanceRejected);
        Assert.True(ap.Session.SubmitGuidance(new GuidanceCommand(now, new Vector3d(1, 0, 0))));
        Assert.Equal(before + 1, ap.Sent.Count);
    }

    [Theory]
    [InlineData(AutopilotKind.Px4)]
    [InlineData(AutopilotKind.ArduPilot)]
    public void A_mode_change_we_did_not_ask_for_stops_commanding_at_once(AutopilotKind kind)
    {
        var ap = InExternalControl(kind);
        Assert.True(ap.Session.SubmitGuidance(new GuidanceCommand(ap.Session.NowS, new Vector3d(1, 0, 0))));
        ap.CustomMode = kind == AutopilotKind.Px4 ? Px4Modes.Posctl : ArduCopterModes.Loiter;
        ap.Time.AdvanceSeconds(0.001);
        ap.Heartbeat();
        double lostAt = ap.Session.NowS;
        Assert.Equal(SessionPhase.ControlLost, ap.Session.Phase);
        Assert.False(ap.Session.InExternalControl);
        Assert.False(ap.Session.SubmitGuidance(new GuidanceCommand(ap.Session.NowS, new Vector3d(1, 0, 0))));
        ap.Run(3, Air);
        // Nothing but our heartbeat and TIMESYNC afterwards: no setpoint, no command.
        Assert.Empty(ap.SentOf<SetPositionTargetLocalNedMessage>(lostAt));
        Assert.Empty(ap.SentOf<SetAttitudeTargetMessage>(lostAt));
        Assert.Empty(ap.SentOf<CommandLongMessage>(lostAt));
        Assert.Contains(kind == AutopilotKind.Px4 ? "POSCTL" : "LOITER", ap.Session.Events.Single(e => e.Kind == SessionEventKind.ControlLost).Message);
    }

    [Fact]
    public void Px4_showing_offboard_again_after_landing_is_not_control()
    {
        var ap = InExternalControl(AutopilotKind.Px4);
        var land = ap.Session.LandAsync();
        ap.Run(0.1, Air);
        Assert.Equal(AutopilotCommands.NavLand, ap.SentOf<CommandLongMessage>().Last().Message.Command);
        ap.CustomMode = Px4Modes.Land;
        ap.Run(1.0, Air);
        Assert.True(FakeAutopilot.Done(land).Success, FakeAutopilot.Done(land).Message);
        // Landed and disarmed: PX4's HEARTBEAT shows OFFBOARD again (captured at 74.9 s).
        ap.Armed = false;
        ap.CustomMode = Px4Modes.Offboard;
        ap.Run(2.0, Ground);
        Assert.Equal("OFFBOARD", ap.Session.Status.ModeName);
        Assert.False(ap.Session.InExternalControl);
        Assert.Equal(SessionPhase.AutopilotMode, ap.Session.Phase);
        Assert.False(ap.Session.SubmitGuidance(new GuidanceCommand(ap.Session.NowS, Vector3d.Zero)));
    }

    [Fact]
    public void Link_loss_is_detected_from_missing_heartbeats_and_the_stream_stops()
    {
        var ap = InExternalControl(AutopilotKind.ArduPilot);
        double t0 = ap.Session.NowS;
        for (int i = 0; i < 300; i++)
        {
            ap.Session.SubmitGuidance(new GuidanceCommand(ap.Session.NowS, Vector3d.Zero));
            ap.Time.AdvanceSeconds(0.01);
            ap.Session.Tick(); // no heartbeat, no telemetry: the link is silent
        }
        var lost = ap.Session.Events.Single(e => e.Kind == SessionEventKind.LinkLost);
        Assert.InRange(lost.TimeS - t0, 2.0 - 1.0, 2.0 + 0.011); // the last heartbeat came up to 1 s before t0
        Assert.Equal(SessionPhase.LinkLost, ap.Session.Phase);
        Assert.Empty(ap.SentOf<SetAttitudeTargetMessage>(lost.TimeS + 1e-9));
        Assert.Empty(ap.SentOf<SetPositionTargetLocalNedMessage>(lost.TimeS + 1e-9));
        ap.Heartbeat();
        Assert.Contains(ap.Session.Events, e => e.Kind == SessionEventKind.LinkRestored);
        Assert.False(ap.Session.InExternalControl);
    }

    [Fact]
    public void Setpoint_frames_carry_the_documented_masks_and_frame_bytes()
    {
        var ap = InExternalControl(AutopilotKind.Px4, SetpointForm.VelocityAcceleration);
        double t = ap.Session.NowS;
        Assert.True(ap.Session.SubmitGuidance(new GuidanceCommand(t, new Vector3d(2, -1, 0.5))));
        Assert.True(ap.Session.SubmitGuidance(new GuidanceCommand(t, new Vector3d(2, -1, 0.5), 0.25, YawValid: true)));
        ap.Session.SetForm(SetpointForm.Acceleration);
        Assert.True(ap.Session.SubmitGuidance(new GuidanceCommand(t, new Vector3d(2, -1, 0.5))));
        var sp = ap.SentOf<SetPositionTargetLocalNedMessage>(t);
        Assert.Equal(3, sp.Count);
        var raw = ap.Sent.Where(s => s.TimeS >= t).Select(s => s.Frame).ToList();
        // MAVLink 2 header 10 bytes; type_mask at payload offset 48 (uint16 LE), coordinate_frame at 52.
        Assert.Equal(new byte[] { 0x07, 0x0C }, raw[^3][(10 + 48)..(10 + 50)]); // 3079: velocity + acceleration
        Assert.Equal(new byte[] { 0x07, 0x08 }, raw[^2][(10 + 48)..(10 + 50)]); // 2055: + yaw
        Assert.Equal(new byte[] { 0x3F, 0x0C }, raw[^1][(10 + 48)..(10 + 50)]); // 3135: acceleration
        Assert.All(raw.TakeLast(3), f => Assert.Equal(1, f[10 + 52]));
        Assert.Equal((2f, -1f, 0.5f), (sp[0].Message.Afx, sp[0].Message.Afy, sp[0].Message.Afz));
        Assert.Equal(0.25f, sp[1].Message.Yaw);
    }

    [Fact]
    public void Answers_autopilot_timesync_requests_and_maps_boot_time_with_round_trips()
    {
        var ap = new FakeAutopilot(AutopilotKind.Px4);
        ap.Connect(Ground);
        ap.Inject(new TimesyncMessage { Tc1 = 0, Ts1 = 123_456_789, TargetSystem = 0, TargetComponent = 0 });
        var reply = ap.SentOf<TimesyncMessage>().Last().Message;
        Assert.Equal(123_456_789, reply.Ts1);
        Assert.NotEqual(0, reply.Tc1);
        // Our own request (sent on connect); the autopilot's boot clock reads 5 s more than ours.
        var request = ap.SentOf<TimesyncMessage>().First(m => m.Message.Tc1 == 0).Message;
        ap.Time.AdvanceSeconds(0.004);
        double sentS = (request.Ts1 - 1e9) * 1e-9;
        long remoteNs = (long)((sentS + 0.002 + 5.0) * 1e9);
        ap.Inject(new TimesyncMessage { Tc1 = remoteNs, Ts1 = request.Ts1, TargetSystem = 255, TargetComponent = 190 });
        Assert.True(ap.Session.Clock.HasRoundTrip);
        Assert.Equal(5.0, ap.Session.Clock.OffsetS, 6);
        Assert.Equal(0.004, ap.Session.Clock.RoundTripS, 6);
    }
}
