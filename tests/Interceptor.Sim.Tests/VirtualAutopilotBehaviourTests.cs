using Interceptor.Core;
using Interceptor.Mavlink.Messages;
using Interceptor.Sim.VirtualAutopilot;
using Vap = Interceptor.Sim.VirtualAutopilot.VirtualAutopilot;

namespace Interceptor.Sim.Tests;

/// <summary>Protocol rules of both personas, driven in-process in lockstep.</summary>
public class VirtualAutopilotBehaviourTests
{
    private const ushort MaskVelocity = 3527, MaskPositionYaw = 2552, MaskAccel = 3135, MaskPosition = 3576;

    private static (Vap Ap, CollectingSink Sink, TestGcs Gcs) Make(VapPersona persona, uint arduInitialMode = 0)
    {
        var sink = new CollectingSink();
        var ap = new Vap(new VirtualAutopilotOptions { Persona = persona, ArduInitialMode = arduInitialMode }, sink);
        sink.Autopilot = ap;
        return (ap, sink, new TestGcs(ap));
    }

    private static List<CommandAckMessage> AcksAfter(CollectingSink sink, double t) =>
        sink.Frames.Where(f => f.TimeS >= t && f.MessageId == CommandAckMessage.MavlinkMessageId).Select(f => f.Decode<CommandAckMessage>()).ToList();

    private static List<string> TextsAfter(CollectingSink sink, double t) =>
        sink.Frames.Where(f => f.TimeS >= t && f.MessageId == StatustextMessage.MavlinkMessageId).Select(f => f.Decode<StatustextMessage>().Text.ToString()).ToList();

    private static HeartbeatMessage LastHeartbeat(CollectingSink sink) => sink.All<HeartbeatMessage>().Last();

    // ---------------- PX4 ----------------

    [Fact]
    public void Px4_DoSetMode_offboard_is_acked_twice_and_accepted_while_disarmed_without_setpoints()
    {
        var (ap, sink, gcs) = Make(VapPersona.Px4);
        ap.Step(0.5);
        gcs.Command(176, 1, 6);
        ap.Step(1.2);
        var acks = sink.Frames.Where(f => f.MessageId == CommandAckMessage.MavlinkMessageId).ToList();
        Assert.Equal(2, acks.Count);
        Assert.All(acks, a => { var m = a.Decode<CommandAckMessage>(); Assert.Equal(176, m.Command); Assert.Equal(0, m.Result); Assert.Equal(255, m.TargetSystem); Assert.Equal(190, m.TargetComponent); });
        Assert.InRange(acks[1].TimeS - acks[0].TimeS, 0.004, 0.02);
        var hb = LastHeartbeat(sink);
        Assert.Equal(0x00060000u, hb.CustomMode);
        Assert.Equal(17, hb.BaseMode);     // custom | stabilize, disarmed (capture)
        Assert.Equal(3, hb.SystemStatus);  // standby
        Assert.False(ap.Armed);
    }

    [Fact]
    public void Px4_arming_in_offboard_needs_a_live_setpoint_stream()
    {
        var (ap, sink, gcs) = Make(VapPersona.Px4);
        gcs.Command(176, 1, 6);
        ap.Step(0.1);
        gcs.Command(400, 1);
        ap.Step(0.1);
        Assert.False(ap.Armed);
        Assert.Equal(1, AcksAfter(sink, 0).Last().Result); // TEMPORARILY_REJECTED
        gcs.Stream(1.0, 50, () => gcs.Setpoint(1, MaskVelocity));
        gcs.Command(400, 1);
        Assert.True(ap.Armed);
        Assert.Equal(0, AcksAfter(sink, 0).Last().Result);
        Assert.Equal("Armed by external command\t", TextsAfter(sink, 0).Last());
    }

    [Fact]
    public void Px4_disarms_itself_ten_seconds_after_arming_without_takeoff()
    {
        var (ap, sink, gcs) = Make(VapPersona.Px4); // AUTO.LOITER
        gcs.Command(400, 1);
        Assert.True(ap.Armed);
        double armedAt = ap.TimeS;
        ap.Step(9.9);
        Assert.True(ap.Armed);
        ap.Step(0.2);
        Assert.False(ap.Armed);
        var t = sink.Frames.Last(f => f.MessageId == StatustextMessage.MavlinkMessageId);
        Assert.Equal("Disarmed by auto preflight disarming\t", t.Decode<StatustextMessage>().Text.ToString());
        Assert.InRange(t.TimeS - armedAt, 10.0, 10.01);
    }

    [Theory]
    [InlineData(MultirotorPresets.X500, 3.0)]     // stock MPC_Z_VEL_MAX_UP
    [InlineData(MultirotorPresets.FastQuad, 20.0)] // fast airframe: MPC_Z_VEL_MAX_UP raised to the airframe's speed
    public void Px4_offboard_climb_rate_is_limited_by_MPC_Z_VEL_MAX_UP_of_the_airframe(string preset, double expectedClimbMs)
    {
        var sink = new CollectingSink();
        var ap = new Vap(new VirtualAutopilotOptions { Persona = VapPersona.Px4, VehiclePreset = preset }, sink);
        sink.Autopilot = ap;
        var gcs = new TestGcs(ap);
        Px4OffboardClimb(ap, gcs);
        gcs.Stream(6, 50, () => gcs.Setpoint(1, MaskVelocity, vz: -20));
        Assert.InRange(-ap.Vehicle.VelNed.Z, expectedClimbMs - 0.3, expectedClimbMs + 0.3);
    }

    [Fact]
    public void Fast_airframe_limits_are_the_airframe_s_own_and_the_stock_airframe_keeps_the_persona_defaults()
    {
        var x500 = MultirotorPresets.Get(MultirotorPresets.X500);
        var fast = MultirotorPresets.Get(MultirotorPresets.FastQuad);
        Assert.Equal((12.0, 3.0, 1.5), (VapLimits.Px4(x500).MaxVelXyMs, VapLimits.Px4(x500).MaxVelUpMs, VapLimits.Px4(x500).MaxVelDownMs));
        Assert.Equal((12.0, 2.5, 1.5), (VapLimits.ArduPilot(x500).MaxVelXyMs, VapLimits.ArduPilot(x500).MaxVelUpMs, VapLimits.ArduPilot(x500).MaxVelDownMs));
        foreach (var l in new[] { VapLimits.Px4(fast), VapLimits.ArduPilot(fast) })
        {
            Assert.Equal((80.0, 80.0, 80.0), (l.MaxVelXyMs, l.MaxVelUpMs, l.MaxVelDownMs));
            Assert.Equal(fast.MaxTiltRad, l.MaxTiltRad, 12);
        }
    }

    private static void Px4OffboardClimb(Vap ap, TestGcs gcs, double climbS = 4)
    {
        gcs.Stream(1.0, 50, () => gcs.Setpoint(1, MaskVelocity));
        gcs.Command(176, 1, 6);
        gcs.Command(400, 1);
        gcs.Stream(climbS, 50, () => gcs.Setpoint(1, MaskVelocity, vz: -2));
    }

    [Fact]
    public void Px4_offboard_loss_fails_safe_to_posctl_after_COM_OF_LOSS_T_and_the_vehicle_brakes()
    {
        var (ap, sink, gcs) = Make(VapPersona.Px4);
        Px4OffboardClimb(ap, gcs);
        gcs.Stream(4, 50, () => gcs.Setpoint(1, MaskVelocity, vx: 4));
        Assert.True(ap.InAir);
        Assert.InRange(ap.Vehicle.VelNed.X, 3.0, 4.5);
        double lastSp = ap.TimeS - 0.02;
        ap.Step(0.95);
        Assert.Equal(0x00060000u, ap.CustomMode);
        Assert.False(ap.FailsafeActive);
        ap.Step(0.2);
        var fs = sink.Frames.Single(f => f.MessageId == StatustextMessage.MavlinkMessageId && f.Decode<StatustextMessage>().Text.ToString() == "Failsafe activated\t");
        Assert.Equal(2, fs.Decode<StatustextMessage>().Severity); // MAV_SEVERITY_CRITICAL
        Assert.InRange(fs.TimeS - lastSp, 1.0, 1.01);
        Assert.Equal(0x00030000u, ap.CustomMode);   // POSCTL
        Assert.Equal(0x00060000u, ap.IntendedCustomMode);
        ap.Step(1.5);
        var hb = LastHeartbeat(sink);
        Assert.Equal(0x00030000u, hb.CustomMode);
        Assert.Equal(209, hb.BaseMode);
        Assert.Equal(5, hb.SystemStatus); // critical
        ap.Step(3);
        Assert.True(ap.Vehicle.VelNed.HorizontalLength < 0.3, $"still moving {ap.Vehicle.VelNed}");
        Assert.InRange(ap.Vehicle.VelNed.Z, 0.5, 0.8); // sinks as captured (0.65 m/s)
    }

    [Fact]
    public void Px4_setpoint_stream_slower_than_the_loss_timeout_triggers_the_failsafe_but_a_faster_one_does_not()
    {
        var (ap, _, gcs) = Make(VapPersona.Px4);
        Px4OffboardClimb(ap, gcs);
        gcs.Stream(5, 1.5, () => gcs.Setpoint(1, MaskVelocity));
        Assert.False(ap.FailsafeActive);
        gcs.Stream(3, 0.8, () => gcs.Setpoint(1, MaskVelocity));
        Assert.True(ap.FailsafeActive);
    }

    [Fact]
    public void Px4_rejects_frames_other_than_1_and_8_unpaired_axes_and_force_set_acceleration()
    {
        var (ap, _, gcs) = Make(VapPersona.Px4);
        Px4OffboardClimb(ap, gcs, climbS: 3);
        long before = ap.SetpointsRejected;
        gcs.Setpoint(7, MaskPosition);                          // LOCAL_OFFSET_NED
        gcs.Setpoint(9, MaskVelocity, vx: 1);                   // BODY_OFFSET_NED
        gcs.Setpoint(12, MaskVelocity, vx: 1);                  // BODY_FRD
        gcs.Setpoint(1, MaskVelocity | 0x08 & ~0x10);           // vx ignored, vy used: not a pair
        gcs.Setpoint(1, (ushort)(MaskAccel | 0x200), ax: 1);    // FORCE_SET with acceleration
        gcs.Setpoint(1, 0xFFF);                                 // nothing used
        Assert.Equal(before + 6, ap.SetpointsRejected);
        // Only rejected setpoints: the stream counts as lost.
        for (int i = 0; i < 60; i++) { gcs.Setpoint(7, MaskPosition); ap.Step(0.02); }
        Assert.True(ap.FailsafeActive);
    }

    [Fact]
    public void Px4_body_ned_velocity_is_rotated_by_heading()
    {
        var (ap, _, gcs) = Make(VapPersona.Px4);
        Px4OffboardClimb(ap, gcs, climbS: 3);
        // Turn to face east, then fly "forward".
        gcs.Stream(4, 50, () => gcs.Setpoint(1, MaskPositionYaw & ~0x4 | 0x4, yaw: (float)(Math.PI / 2)));
        gcs.Stream(4, 50, () => gcs.Setpoint(1, (ushort)(MaskVelocity & ~0x400), yaw: (float)(Math.PI / 2)));
        Assert.InRange(Angles.WrapPi(ap.YawRad - Math.PI / 2), -0.05, 0.05);
        gcs.Stream(5, 50, () => gcs.Setpoint(8, MaskVelocity, vx: 3));
        Assert.InRange(ap.Vehicle.VelNed.Y, 2.5, 3.3);
        Assert.InRange(ap.Vehicle.VelNed.X, -0.3, 0.3);
    }

    [Fact]
    public void Px4_land_command_lands_disarms_and_shows_the_intended_mode_again()
    {
        var (ap, sink, gcs) = Make(VapPersona.Px4);
        Px4OffboardClimb(ap, gcs, climbS: 3);
        double t0 = ap.TimeS;
        gcs.Command(21);
        var texts = TextsAfter(sink, t0);
        Assert.Equal("Landing at current position\t", texts[0]);
        Assert.Equal(0x06040000u, ap.CustomMode);
        for (int i = 0; i < 400 && ap.Armed; i++) ap.Step(0.1);
        Assert.False(ap.Armed);
        texts = TextsAfter(sink, t0);
        Assert.Equal(["Landing at current position\t", "Landing detected\t", "Disarmed by landing\t"], texts);
        Assert.Equal(0x06040000u, ap.CustomMode); // LAND was selected (not a failsafe override): it stays
    }

    [Fact]
    public void Timesync_requests_are_answered_with_the_boot_clock_for_both_personas()
    {
        foreach (var persona in new[] { VapPersona.Px4, VapPersona.ArduPilot })
        {
            var (ap, sink, gcs) = Make(persona);
            ap.Step(2.0);
            double t = ap.TimeS;
            gcs.Send(new TimesyncMessage { Tc1 = 0, Ts1 = 123456789, TargetSystem = 1, TargetComponent = 1 });
            var reply = sink.Frames.Where(f => f.TimeS >= t && f.MessageId == TimesyncMessage.MavlinkMessageId)
                .Select(f => f.Decode<TimesyncMessage>()).Single(m => m.Ts1 == 123456789);
            long expected = (long)Math.Round((ap.Options.BootTimeAtStartS + t) * 1e9);
            Assert.InRange(reply.Tc1, expected - 1_000_000, expected + 1_000_000);
            Assert.Equal(255, reply.TargetSystem);
        }
    }

    [Fact]
    public void Set_message_interval_changes_the_rate_and_minus_one_stops_the_stream()
    {
        var (ap, sink, gcs) = Make(VapPersona.Px4);
        gcs.Command(511, LocalPositionNedMessage.MavlinkMessageId, 100_000); // 10 Hz
        gcs.Command(511, AttitudeMessage.MavlinkMessageId, -1);
        ap.Step(10.0);
        Assert.Equal(100, sink.Frames.Count(f => f.MessageId == LocalPositionNedMessage.MavlinkMessageId), 1.0);
        Assert.Equal(1, sink.Frames.Count(f => f.MessageId == AttitudeMessage.MavlinkMessageId), 1.0); // only the one sent at t = 0
        Assert.All(AcksAfter(sink, 0), a => Assert.Equal(0, a.Result));
        gcs.Command(511, 9999, 100_000);
        Assert.Equal(2, AcksAfter(sink, 0).Last().Result); // unknown message: denied
    }

    // ---------------- ArduCopter ----------------

    private static void ArduTakeoff(Vap ap, TestGcs gcs, float altM = 10)
    {
        gcs.Command(511, PositionTargetLocalNedMessage.MavlinkMessageId, 100_000); // the target echo, as the capture's client asks
        gcs.Command(176, 1, 4);
        gcs.Command(400, 1);
        gcs.Command(22, p7: altM);
        for (int i = 0; i < 300 && !(ap.Vehicle.PosNed.Z < -altM + 0.3); i++) ap.Step(0.1);
        ap.Step(2);
    }

    [Fact]
    public void ArduCopter_arming_needs_an_armable_mode_and_takeoff_needs_guided_and_armed()
    {
        var (ap, sink, gcs) = Make(VapPersona.ArduPilot, Vap.ArduLand);
        gcs.Command(400, 1);
        Assert.False(ap.Armed);
        Assert.Equal(4, AcksAfter(sink, 0).Last().Result); // FAILED
        Assert.Equal("Arm: Mode not armable", TextsAfter(sink, 0).Last());
        gcs.Command(176, 1, 4);
        gcs.Command(22, p7: 10);
        Assert.Equal(4, AcksAfter(sink, 0).Last().Result); // takeoff while disarmed: FAILED
        gcs.Command(400, 1);
        Assert.True(ap.Armed);
        Assert.Equal("Arming motors", TextsAfter(sink, 0).Last());
        Assert.Contains(sink.Frames, f => f.MessageId == HomePositionMessage.MavlinkMessageId);
        Assert.Contains(sink.Frames, f => f.MessageId == GpsGlobalOriginMessage.MavlinkMessageId);
        ap.Step(1.1);
        var hb = LastHeartbeat(sink);
        Assert.Equal(4u, hb.CustomMode);
        Assert.Equal(217, hb.BaseMode);
        gcs.Command(22, p7: 10);
        Assert.Equal(0, AcksAfter(sink, 0).Last().Result);
        ap.Step(12);
        Assert.InRange(ap.Vehicle.PosNed.Z, -10.3, -9.7);
    }

    [Fact]
    public void ArduCopter_disarms_after_DISARM_DELAY_on_the_ground()
    {
        var (ap, sink, gcs) = Make(VapPersona.ArduPilot);
        gcs.Command(176, 1, 4);
        gcs.Command(400, 1);
        ap.Step(9.9);
        Assert.True(ap.Armed);
        ap.Step(0.2);
        Assert.False(ap.Armed);
        Assert.Equal("Disarming motors", TextsAfter(sink, 0).Last());
    }

    [Fact]
    public void ArduCopter_velocity_target_lapses_after_GUID_TIMEOUT_and_the_copter_brakes()
    {
        var (ap, sink, gcs) = Make(VapPersona.ArduPilot);
        ArduTakeoff(ap, gcs);
        gcs.Stream(6, 10, () => gcs.Setpoint(1, MaskVelocity, vx: 5));
        double last = ap.TimeS - 0.1;
        Assert.InRange(ap.Vehicle.VelNed.X, 4.5, 5.5);
        ap.Step(last + 2.8 - ap.TimeS);
        Assert.InRange(ap.Vehicle.VelNed.X, 4.5, 5.5); // still following inside GUID_TIMEOUT
        ap.Step(0.4);
        var echo = sink.All<PositionTargetLocalNedMessage>().Last();
        Assert.Equal(3079, echo.TypeMask);
        Assert.Equal(0f, echo.Vx);
        ap.Step(5);
        Assert.True(ap.Vehicle.VelNed.Length < 0.3, $"still moving {ap.Vehicle.VelNed}");
        Assert.Equal(4u, ap.CustomMode); // still GUIDED
    }

    [Fact]
    public void ArduCopter_position_target_does_not_lapse()
    {
        var (ap, sink, gcs) = Make(VapPersona.ArduPilot);
        ArduTakeoff(ap, gcs);
        gcs.Setpoint(1, MaskPosition, x: 40, y: 0, z: -10);
        ap.Step(20);
        Assert.InRange(ap.Vehicle.PosNed.X, 39.5, 40.5);
        var echo = sink.All<PositionTargetLocalNedMessage>().Last();
        Assert.Equal(3576, echo.TypeMask);
        Assert.Equal(40f, echo.X);
        Assert.Contains(sink.Frames, f => f.MessageId == PositionTargetGlobalIntMessage.MavlinkMessageId);
    }

    [Fact]
    public void ArduCopter_accepts_frames_1_7_8_9_and_brakes_silently_on_frame_12()
    {
        var (ap, sink, gcs) = Make(VapPersona.ArduPilot);
        ArduTakeoff(ap, gcs);
        gcs.Stream(5, 10, () => gcs.Setpoint(1, MaskVelocity, vx: 5));
        Assert.True(Math.Abs(Angles.WrapPi(ap.YawRad)) < 0.1); // nose into the direction of travel (north)
        long rejected = ap.SetpointsRejected;
        int acks = AcksAfter(sink, 0).Count;
        gcs.Stream(4, 10, () => gcs.Setpoint(12, MaskVelocity, vy: 3));
        Assert.Equal(rejected + 40, ap.SetpointsRejected);
        Assert.Equal(acks, AcksAfter(sink, 0).Count); // no ACK for setpoints
        Assert.True(ap.Vehicle.VelNed.Length < 0.3, $"still moving {ap.Vehicle.VelNed}");
        var echo = sink.All<PositionTargetLocalNedMessage>().Last();
        Assert.Equal(3079, echo.TypeMask);
        Assert.Equal(0f, echo.Vx); Assert.Equal(0f, echo.Vy);

        // Frame 7: offset (0,0,0) = hold here; frame 8: body velocity; frame 9: body offset.
        var here = ap.Vehicle.PosNed;
        gcs.Setpoint(7, MaskPosition);
        ap.Step(3);
        Assert.True((ap.Vehicle.PosNed - here).Length < 0.3);
        Assert.Equal(rejected + 40, ap.SetpointsRejected);
        double yaw = ap.YawRad;
        gcs.Stream(5, 10, () => gcs.Setpoint(8, MaskVelocity, vx: 4));
        Assert.InRange(ap.Vehicle.VelNed.X * Math.Cos(yaw) + ap.Vehicle.VelNed.Y * Math.Sin(yaw), 3.5, 4.5);
        var p9 = ap.Vehicle.PosNed;
        gcs.Setpoint(9, MaskPosition, x: 0, y: 0, z: -5);
        ap.Step(8);
        Assert.InRange(ap.Vehicle.PosNed.Z, p9.Z - 5.5, p9.Z - 4.5);
        Assert.Equal(rejected + 40, ap.SetpointsRejected);
    }

    [Fact]
    public void ArduCopter_setpoints_outside_guided_are_ignored()
    {
        var (ap, _, gcs) = Make(VapPersona.ArduPilot);
        ArduTakeoff(ap, gcs);
        gcs.Command(176, 1, 5); // LOITER: the pilot takes over
        var here = ap.Vehicle.PosNed;
        gcs.Stream(4, 10, () => gcs.Setpoint(1, MaskVelocity, vx: 5));
        Assert.True((ap.Vehicle.PosNed - here).Length < 0.5);
        Assert.Equal(5u, ap.CustomMode);
    }

    [Fact]
    public void ArduCopter_attitude_target_thrust_is_a_climb_rate_and_half_holds_altitude()
    {
        var (ap, sink, gcs) = Make(VapPersona.ArduPilot);
        ArduTakeoff(ap, gcs);
        double z0 = ap.Vehicle.PosNed.Z;
        var q = Quaterniond.FromEuler(0, Angles.ToRad(-10), 0);
        void Send(float thrust)
        {
            var m = new SetAttitudeTargetMessage { TypeMask = 7, Thrust = thrust, TargetSystem = 1, TargetComponent = 1 };
            m.Q[0] = (float)q.W; m.Q[1] = (float)q.X; m.Q[2] = (float)q.Y; m.Q[3] = (float)q.Z;
            gcs.Send(m);
        }
        gcs.Stream(3, 10, () => Send(0.5f));
        Assert.InRange(ap.Vehicle.PosNed.Z, z0 - 0.3, z0 + 0.3);
        Assert.InRange(Angles.ToDeg(ap.Vehicle.Attitude.ToEuler().PitchRad), -10.5, -9.5);
        Assert.True(ap.Vehicle.VelNed.X > 1.0);
        Assert.Equal(0x51 | 0x80, LastHeartbeat(sink).BaseMode); // 209 in the angle sub-mode
        gcs.Stream(2, 10, () => Send(1.0f));
        Assert.InRange(-ap.Vehicle.VelNed.Z, 2.0, 2.7); // full stick: PILOT_SPEED_UP 2.5 m/s
    }

    [Fact]
    public void ArduCopter_land_mode_descends_lands_and_disarms()
    {
        var (ap, sink, gcs) = Make(VapPersona.ArduPilot);
        ArduTakeoff(ap, gcs, 15);
        gcs.Command(176, 1, 9);
        Assert.Equal(9u, LastHeartbeat(sink).CustomMode); // immediate HEARTBEAT on mode change
        ap.Step(2);
        Assert.InRange(ap.Vehicle.VelNed.Z, 1.3, 1.6); // WPNAV_SPEED_DN above LAND_ALT_LOW (capture: 1.47)
        for (int i = 0; i < 600 && ap.Armed; i++) ap.Step(0.1);
        Assert.False(ap.Armed);
        Assert.True(ap.Vehicle.OnGround);
        Assert.Equal("Disarming motors", TextsAfter(sink, 0).Last());
    }

    [Fact]
    public void ArduCopter_request_data_stream_sets_group_rates()
    {
        var (ap, sink, gcs) = Make(VapPersona.ArduPilot);
        gcs.Send(new RequestDataStreamMessage { ReqStreamId = 0, ReqMessageRate = 0, StartStop = 0, TargetSystem = 1, TargetComponent = 1 });
        gcs.Send(new RequestDataStreamMessage { ReqStreamId = 6, ReqMessageRate = 20, StartStop = 1, TargetSystem = 1, TargetComponent = 1 });
        double t0 = ap.TimeS;
        ap.Step(5);
        var after = sink.Frames.Where(f => f.TimeS > t0).ToList();
        Assert.Equal(100, after.Count(f => f.MessageId == GlobalPositionIntMessage.MavlinkMessageId), 1.0);
        Assert.Equal(100, after.Count(f => f.MessageId == LocalPositionNedMessage.MavlinkMessageId), 1.0);
        Assert.Equal(0, after.Count(f => f.MessageId == AttitudeMessage.MavlinkMessageId));
        Assert.Equal(5, after.Count(f => f.MessageId == HeartbeatMessage.MavlinkMessageId), 1.0);
    }

    [Fact]
    public void Px4_return_to_launch_climbs_to_RTL_RETURN_ALT_flies_home_and_lands()
    {
        var (ap, sink, gcs) = Make(VapPersona.Px4);
        Px4OffboardClimb(ap, gcs, climbS: 3);
        gcs.Stream(8, 50, () => gcs.Setpoint(1, MaskVelocity, vx: 5));
        Assert.True(ap.Vehicle.PosNed.X > 20);
        gcs.Command(20);
        Assert.Equal(0, AcksAfter(sink, 0).Last().Result);
        Assert.Equal(0x05040000u, ap.CustomMode); // AUTO.RTL
        double maxAlt = 0;
        for (int i = 0; i < 2000 && ap.Armed; i++) { ap.Step(0.1); maxAlt = Math.Max(maxAlt, -ap.Vehicle.PosNed.Z); }
        Assert.False(ap.Armed);
        Assert.InRange(maxAlt, 59.5, 61);
        Assert.True(ap.Vehicle.PosNed.HorizontalLength < 1.5, $"landed at {ap.Vehicle.PosNed}");
        Assert.False(ap.FailsafeActive);
    }

    [Fact]
    public void Px4_set_mode_message_and_request_message_are_honoured()
    {
        var (ap, sink, gcs) = Make(VapPersona.Px4);
        gcs.Send(new SetModeMessage { TargetSystem = 1, BaseMode = 1, CustomMode = Vap.Px4Mode(Vap.Px4MainPosctl) });
        Assert.Equal(0x00030000u, ap.CustomMode);
        Assert.Equal((ushort)176, AcksAfter(sink, 0).Last().Command);
        int homes = sink.Frames.Count(f => f.MessageId == HomePositionMessage.MavlinkMessageId);
        gcs.Command(512, HomePositionMessage.MavlinkMessageId);
        Assert.Equal(homes + 1, sink.Frames.Count(f => f.MessageId == HomePositionMessage.MavlinkMessageId));
        var home = sink.All<HomePositionMessage>().Last();
        Assert.Equal(473977434, home.Latitude, 1.0);
        Assert.Equal(0, AcksAfter(sink, 0).Last().Result);
        gcs.Command(512, 424242);
        Assert.Equal(2, AcksAfter(sink, 0).Last().Result);
        gcs.Command(31000);
        Assert.Equal(3, AcksAfter(sink, 0).Last().Result); // unknown command: UNSUPPORTED
    }

    [Fact]
    public void ArduCopter_rtl_returns_to_where_it_armed_and_lands()
    {
        var (ap, sink, gcs) = Make(VapPersona.ArduPilot);
        ap.PlaceVehicle(new Vector3d(30, -20, 0), Vector3d.Zero, 0);
        ArduTakeoff(ap, gcs);
        gcs.Stream(6, 10, () => gcs.Setpoint(1, MaskVelocity, vy: 5));
        gcs.Command(176, 1, 6);
        Assert.Equal(6u, LastHeartbeat(sink).CustomMode);
        double maxAlt = 0;
        for (int i = 0; i < 1200 && ap.Armed; i++) { ap.Step(0.1); maxAlt = Math.Max(maxAlt, -ap.Vehicle.PosNed.Z); }
        Assert.False(ap.Armed);
        Assert.InRange(maxAlt, 14.5, 15.8); // RTL_ALT 15 m
        Assert.True((ap.Vehicle.PosNed - new Vector3d(30, -20, 0)).HorizontalLength < 1.5, $"landed at {ap.Vehicle.PosNed}");
    }

    [Fact]
    public void Px4_attitude_target_thrust_is_normalised_with_hover_at_one_over_thrust_to_weight()
    {
        var (ap, _, gcs) = Make(VapPersona.Px4); // x500: T/W 2, hover thrust 0.5 (capture: 0.5 held altitude)
        Px4OffboardClimb(ap, gcs, climbS: 4);
        gcs.Stream(3, 50, () => gcs.Setpoint(1, MaskVelocity));
        double z0 = ap.Vehicle.PosNed.Z;
        var q = Quaterniond.FromEuler(0, Angles.ToRad(-10), 0);
        void Send(float thrust)
        {
            var m = new SetAttitudeTargetMessage { TypeMask = 7, Thrust = thrust, TargetSystem = 1, TargetComponent = 1 };
            m.Q[0] = (float)q.W; m.Q[1] = (float)q.X; m.Q[2] = (float)q.Y; m.Q[3] = (float)q.Z;
            gcs.Send(m);
        }
        gcs.Stream(3, 50, () => Send(0.5f));
        Assert.InRange(Angles.ToDeg(ap.Vehicle.Attitude.ToEuler().PitchRad), -10.5, -9.5);
        Assert.True(ap.Vehicle.VelNed.X > 1.0, $"vx {ap.Vehicle.VelNed.X}");   // capture: +1.73 after 3 s
        Assert.InRange(ap.Vehicle.PosNed.Z - z0, -0.2, 1.5);                  // tilted at hover thrust: sinks slowly
        Assert.False(ap.FailsafeActive);
        gcs.Stream(1, 50, () => Send(0.8f));
        Assert.True(ap.Vehicle.VelNed.Z < -1.0, $"vz {ap.Vehicle.VelNed.Z}");  // more than hover thrust climbs
    }
}
