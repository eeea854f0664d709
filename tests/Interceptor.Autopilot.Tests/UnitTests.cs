using Interceptor.Autopilot;
using Interceptor.Core;

namespace Interceptor.Autopilot.Tests;

public sealed class MaskAndModeTests
{
    [Fact]
    public void Type_masks_equal_the_values_the_autopilots_accepted()
    {
        Assert.Equal(3527, PositionTargetMask.Velocity);              // both captures
        Assert.Equal(1479, PositionTargetMask.VelocityYawRate);       // PX4 capture
        Assert.Equal(2552, PositionTargetMask.PositionYaw);           // PX4 capture
        Assert.Equal(3135, PositionTargetMask.Acceleration);          // both captures (0x0C3F)
        Assert.Equal(3072, PositionTargetMask.PositionVelocityAcceleration);
        Assert.Equal(0x0C07, PositionTargetMask.VelocityAcceleration); // ArduCopter capture
        Assert.Equal(7, AttitudeTargetMask.AttitudeThrust);
    }

    [Fact]
    public void Px4_custom_modes_follow_the_main_and_sub_mode_layout()
    {
        Assert.Equal(0x00060000u, Px4Modes.Offboard);
        Assert.Equal(0x03040000u, Px4Modes.Hold);
        Assert.Equal("AUTO.LOITER", Px4Modes.Name(0x03040000));
        Assert.Equal("OFFBOARD", Px4Modes.Name(0x00060000));
        Assert.Equal("POSCTL", Px4Modes.Name(Px4Modes.Posctl));
        Assert.Equal("AUTO.LAND", Px4Modes.Name(Px4Modes.Land));
        Assert.Equal(4u, ArduCopterModes.Guided);
        Assert.Equal("GUIDED", ArduCopterModes.Name(4));
        Assert.Equal("LAND", ArduCopterModes.Name(9));
    }

    [Fact]
    public void Adapters_ask_for_the_modes_with_the_captured_commands()
    {
        var px4 = AutopilotAdapter.For(AutopilotKind.Px4);
        Assert.Equal(new CommandSpec(AutopilotCommands.DoSetMode, 1, 6), px4.ModeCommand(VehicleMode.ExternalControl));
        Assert.Equal(new CommandSpec(AutopilotCommands.DoSetMode, 1, 4, 3), px4.ModeCommand(VehicleMode.Hold));
        Assert.Equal(AutopilotCommands.NavLand, px4.ModeCommand(VehicleMode.Land).Command);
        var ardu = AutopilotAdapter.For(AutopilotKind.ArduPilot);
        Assert.Equal(new CommandSpec(AutopilotCommands.DoSetMode, 1, 4), ardu.ModeCommand(VehicleMode.ExternalControl));
        Assert.Equal(new CommandSpec(AutopilotCommands.DoSetMode, 1, 9), ardu.ModeCommand(VehicleMode.Land));
        Assert.True(px4.NeedsSetpointStream);
        Assert.False(ardu.NeedsSetpointStream);
    }
}

public sealed class BootClockTests
{
    [Fact]
    public void Round_trip_offset_is_the_midpoint_estimate_of_the_smallest_rtt()
    {
        var c = new BootClock();
        c.AddRoundTrip(sentLocalS: 10.0, remoteS: 15.010, receivedLocalS: 10.030); // rtt 30 ms, offset 4.995
        Assert.Equal(4.995, c.OffsetS, 9);
        c.AddRoundTrip(sentLocalS: 11.0, remoteS: 16.0015, receivedLocalS: 11.003); // rtt 3 ms, offset 5.0
        Assert.Equal(5.0, c.OffsetS, 9);
        Assert.Equal(0.003, c.RoundTripS, 9);
        c.AddRoundTrip(sentLocalS: 12.0, remoteS: 17.05, receivedLocalS: 12.1); // slower: ignored while in the window
        Assert.Equal(5.0, c.OffsetS, 9);
        Assert.Equal(20.0, c.FromBootMs(25_000), 9);
    }

    [Fact]
    public void One_way_bound_takes_the_least_delayed_sample_until_a_round_trip_exists()
    {
        var c = new BootClock();
        c.AddOneWay(remoteS: 105.000, receivedLocalS: 100.020); // delay >= 0: offset >= 4.98
        c.AddOneWay(remoteS: 105.100, receivedLocalS: 100.102);
        Assert.Equal(4.998, c.OffsetS, 9);
        // A slower sample does not lower the bound by more than the drift allowance.
        c.AddOneWay(remoteS: 106.000, receivedLocalS: 101.102);
        Assert.Equal(4.998 - BootClock.DriftAllowance * 1.0, c.OffsetS, 9);
        Assert.False(c.HasRoundTrip);
        c.AddRoundTrip(200, 205.001, 200.002);
        Assert.Equal(5.0, c.OffsetS, 9);
    }

    [Fact]
    public void A_remote_clock_jumping_back_is_a_reboot_and_resets_the_estimate()
    {
        var c = new BootClock();
        c.AddOneWay(500, 100);
        c.AddOneWay(2, 101); // rebooted
        Assert.Equal(1, c.Resets);
        Assert.Equal(-99, c.OffsetS, 9);
    }
}

public sealed class SetpointShaperTests
{
    private static readonly OwnTelemetry Hover = new(0, new Vector3d(0, 0, -20), Vector3d.Zero, Quaterniond.Identity, Vector3d.Zero, true);

    [Fact]
    public void Zero_acceleration_is_level_attitude_at_hover_thrust()
    {
        var s = new SetpointShaper();
        var a = s.AttitudeFor(Vector3d.Zero, 0.3, AutopilotKind.Px4);
        var (roll, pitch, yaw) = a.Attitude.ToEuler();
        Assert.Equal(0, roll, 9);
        Assert.Equal(0, pitch, 9);
        Assert.Equal(0.3, yaw, 9);
        Assert.Equal(0.5, a.Thrust, 9);
    }

    [Fact]
    public void Forward_acceleration_of_one_g_pitches_the_nose_down_45_degrees_with_sqrt2_thrust()
    {
        var s = new SetpointShaper();
        var a = s.AttitudeFor(new Vector3d(Wgs84.GravityMs2, 0, 0), 0, AutopilotKind.Px4);
        var (roll, pitch, _) = a.Attitude.ToEuler();
        Assert.Equal(0, roll, 9);
        Assert.Equal(-Math.PI / 4, pitch, 9);
        Assert.Equal(0.5 * Math.Sqrt(2), a.Thrust, 9);
        // The body thrust axis (-z) points along a - g.
        var thrustAxis = a.Attitude.Rotate(new Vector3d(0, 0, -1));
        Assert.Equal(Math.Sqrt(0.5), thrustAxis.X, 9);
        Assert.Equal(-Math.Sqrt(0.5), thrustAxis.Z, 9);
    }

    [Fact]
    public void Tilt_is_limited()
    {
        var s = new SetpointShaper(new SetpointShaperOptions { MaxTiltRad = Angles.ToRad(30) });
        var a = s.AttitudeFor(new Vector3d(50, 0, 0), 0, AutopilotKind.Px4);
        Assert.Equal(-Angles.ToRad(30), a.Attitude.ToEuler().PitchRad, 9);
    }

    [Fact]
    public void Velocity_reference_integrates_the_command_and_stays_within_the_lead_limit()
    {
        var s = new SetpointShaper(new SetpointShaperOptions { MaxVelocityLeadMS = 1.0, VelocityBleedTimeS = 1e6 });
        ShapedSetpoint sp = default;
        for (int i = 0; i <= 10; i++)
            Assert.True(s.TryShape(new GuidanceCommand(i * 0.02, new Vector3d(2, 0, 0)), Hover, SetpointForm.VelocityAcceleration, AutopilotKind.Px4, out sp));
        Assert.Equal(2 * 0.2, sp.Position.VelNed.X, 6); // 10 steps of 20 ms at 2 m/s^2
        Assert.Equal(PositionTargetMask.VelocityAcceleration, sp.Position.TypeMask);
        for (int i = 11; i <= 100; i++)
            s.TryShape(new GuidanceCommand(i * 0.02, new Vector3d(2, 0, 0)), Hover, SetpointForm.VelocityAcceleration, AutopilotKind.Px4, out sp);
        Assert.Equal(1.0, sp.Position.VelNed.X, 6); // the vehicle did not follow: clamped at the lead limit
    }

    [Fact]
    public void Non_finite_input_produces_no_setpoint()
    {
        var s = new SetpointShaper();
        Assert.False(s.TryShape(new GuidanceCommand(0, new Vector3d(double.NaN, 0, 0)), Hover, SetpointForm.AttitudeThrust, AutopilotKind.Px4, out _));
        Assert.False(s.TryShape(new GuidanceCommand(0, Vector3d.Zero, double.PositiveInfinity, true), Hover, SetpointForm.Acceleration, AutopilotKind.Px4, out _));
        Assert.Throws<ValidationException>(() => new SetpointShaper(new SetpointShaperOptions { HoverThrust = 1.5 }));
    }
}
