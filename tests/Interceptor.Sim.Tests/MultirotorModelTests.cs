using Interceptor.Core;

namespace Interceptor.Sim.Tests;

public class MultirotorModelTests
{
    private const double G = Wgs84.GravityMs2;

    [Theory]
    [InlineData(MultirotorPresets.FastQuad)]
    [InlineData(MultirotorPresets.X500)]
    public void Hover_holds_position_and_altitude(string preset)
    {
        var m = new MultirotorModel(MultirotorPresets.Get(preset));
        var s = MultirotorModel.Hover(new Vector3d(10, -5, -100), Vector3d.Zero, 0.3);
        var cmd = m.ThrustCommand(Vector3d.Zero);
        Assert.Equal(new Vector3d(0, 0, -G), cmd);
        for (int i = 0; i < 4000; i++) s = m.Step(s, cmd, 0.3, 0.0025);
        Assert.Equal(-100, s.PosNedM.Down, 9);
        Assert.Equal(10, s.PosNedM.North, 9);
        Assert.Equal(0, s.VelNedMs.Length, 9);
    }

    [Fact]
    public void Constant_tilt_gives_g_tan_tilt_horizontal_acceleration()
    {
        double tilt = Angles.ToRad(30);
        var p = MultirotorPresets.Get(MultirotorPresets.FastQuad) with { DragPerM = 0 };
        var m = new MultirotorModel(p);
        double aH = G * Math.Tan(tilt);
        var cmd = m.ThrustCommand(new Vector3d(aH, 0, 0));
        Assert.Equal(tilt, Math.Atan2(cmd.HorizontalLength, -cmd.Down), 12);
        // Start with the thrust already settled: dv/dt = (g tan tilt, 0, 0) exactly, altitude held.
        var s = new MultirotorState(new Vector3d(0, 0, -50), Vector3d.Zero, cmd, 0);
        for (int i = 0; i < 800; i++) s = m.Step(s, cmd, 0, 0.0025);
        Assert.Equal(aH * 2.0, s.VelNedMs.North, 9);
        Assert.Equal(0.5 * aH * 4.0, s.PosNedM.North, 9);
        Assert.Equal(-50, s.PosNedM.Down, 9);
    }

    [Theory]
    [InlineData(MultirotorPresets.FastQuad, 80)]
    [InlineData(MultirotorPresets.X500, 12)]
    public void Full_tilt_reaches_top_speed_and_never_exceeds_it(string preset, double vmax)
    {
        var m = new MultirotorModel(MultirotorPresets.Get(preset));
        var s = MultirotorModel.Hover(new Vector3d(0, 0, -100), Vector3d.Zero, 0);
        var cmd = m.ThrustCommand(new Vector3d(0, 1000, 0)); // far beyond the tilt limit: full tilt east, level
        Assert.Equal(m.Params.MaxTiltRad, Math.Atan2(cmd.HorizontalLength, -cmd.Down), 12);
        double peak = 0;
        for (int i = 0; i < 60 * 400; i++)
        {
            s = m.Step(s, cmd, 0, 0.0025);
            peak = Math.Max(peak, s.VelNedMs.HorizontalLength);
        }
        Assert.InRange(s.VelNedMs.East, vmax * 0.999, vmax);
        Assert.True(peak <= vmax + 1e-9, $"peak {peak} > {vmax}");
        // The attitude lag dips the thrust while tilting (a little height is lost), then weight is held again.
        Assert.Equal(0, s.VelNedMs.Down, 6);
        Assert.InRange(s.PosNedM.Down, -103, -97);
    }

    [Fact]
    public void Thrust_command_respects_tilt_and_thrust_to_weight()
    {
        var p = MultirotorPresets.Get(MultirotorPresets.X500);
        var m = new MultirotorModel(p);
        foreach (var a in new[] { new Vector3d(100, 0, 0), new Vector3d(30, 40, -50), new Vector3d(0, 0, -100), new Vector3d(-5, 5, 30), new Vector3d(double.NaN, 0, 0) })
        {
            var f = m.ThrustCommand(a);
            Assert.True(f.IsFinite);
            Assert.True(Math.Atan2(f.HorizontalLength, -f.Down) <= p.MaxTiltRad + 1e-12);
            Assert.True(f.Length <= p.ThrustToWeight * G + 1e-9);
            Assert.True(-f.Down >= MultirotorModel.MinThrustAccMs2 - 1e-12);
        }
    }

    [Fact]
    public void Thrust_magnitude_follows_first_order_lag()
    {
        var p = MultirotorPresets.Get(MultirotorPresets.FastQuad);
        var m = new MultirotorModel(p);
        var s = MultirotorModel.Hover(new Vector3d(0, 0, -1000), Vector3d.Zero, 0);
        var cmd = new Vector3d(0, 0, -2 * G);
        double tau = p.ThrustTimeConstantS, dt = tau / 400;
        for (int i = 0; i < 400; i++) s = m.Step(s, cmd, 0, dt);
        // After one time constant 1 - e^-1 of the step is done.
        Assert.Equal(G + G * (1 - Math.Exp(-1)), -s.ThrustAccNedMs2.Down, 6);
    }

    [Fact]
    public void Attitude_puts_body_minus_z_along_thrust_with_heading()
    {
        var thrust = new Vector3d(3, -2, -9);
        var q = MultirotorModel.AttitudeFrom(thrust, 0.7);
        var up = q.Rotate(new Vector3d(0, 0, -1));
        Assert.Equal(0, (up - thrust / thrust.Length).Length, 12);
        var level = MultirotorModel.AttitudeFrom(new Vector3d(0, 0, -G), 0.7);
        Assert.Equal(0.7, level.ToEuler().YawRad, 12);
    }

    [Fact]
    public void Presets_resolve_overrides_and_rederive_drag()
    {
        var p = MultirotorPresets.Resolve(new InterceptorSpec { Preset = MultirotorPresets.FastQuad, MaxSpeedMs = 60 });
        Assert.Equal(60, p.MaxSpeedMs);
        Assert.Equal(G * Math.Tan(p.MaxTiltRad) / 3600, p.DragPerM, 15);
        var x = MultirotorPresets.Get(MultirotorPresets.X500);
        Assert.Equal(45, Angles.ToDeg(x.MaxTiltRad), 12);
        Assert.Equal(2.0, x.ThrustToWeight);
    }
}
