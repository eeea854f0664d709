using Interceptor.Core;

namespace Interceptor.Sim.Tests;

public class TargetModelTests
{
    private const double G = Wgs84.GravityMs2;

    private static ITargetModel Build(TargetSpec t, ulong seed = 1, double horizonS = 200)
    {
        var rng = SimRandom.ForStream(seed, 1);
        return WorldSetup.CreateTarget(t, t.StartPosNedM, t.HeadingDeg, t.SpeedMs, t.WeaveAccelG, t.WeavePeriodS, t.WeavePhaseDeg, horizonS, ref rng);
    }

    [Fact]
    public void Shahed_cruises_at_its_speed_along_its_heading()
    {
        var t = Build(new TargetSpec { Kind = TargetSpec.Shahed, StartPosNedM = new(0, 0, -500), SpeedMs = 48, HeadingDeg = 90 });
        for (double time = 0; time < 60; time += 0.7)
        {
            var k = t.StateAt(time);
            Assert.Equal(48, k.VelNedMs.Length, 9);
            Assert.Equal(new Vector3d(0, 48 * time, -500).East, k.PosNedM.East, 9);
            Assert.Equal(-500, k.PosNedM.Down, 9);
        }
    }

    [Theory]
    [InlineData(0.6, 6.0, 0.0)]
    [InlineData(1.0, 10.0, 37.0)]
    public void Shahed_weave_lateral_acceleration_amplitude_is_the_configured_g(double g, double periodS, double phaseDeg)
    {
        var t = Build(new TargetSpec
        {
            Kind = TargetSpec.Shahed, StartPosNedM = new(0, 0, -300), SpeedMs = 48, HeadingDeg = 180,
            WeaveAccelG = g, WeavePeriodS = periodS, WeavePhaseDeg = phaseDeg,
        });
        // Lateral (east) acceleration by a second difference of positions over two periods.
        double h = 1e-3, peak = 0, peakReported = 0;
        for (double time = 1; time < 1 + 2 * periodS; time += 0.01)
        {
            double a = (t.StateAt(time + h).PosNedM.East - 2 * t.StateAt(time).PosNedM.East + t.StateAt(time - h).PosNedM.East) / (h * h);
            peak = Math.Max(peak, Math.Abs(a));
            peakReported = Math.Max(peakReported, t.StateAt(time).AccNedMs2.Length);
            Assert.Equal(-48, t.StateAt(time).VelNedMs.North, 9); // along-track speed unchanged by the weave
        }
        Assert.Equal(g * G, peak, g * G * 0.005);
        Assert.Equal(g * G, peakReported, g * G * 0.005);
    }

    [Fact]
    public void Shahed_route_turns_at_turn_acceleration_and_keeps_speed()
    {
        var t = Build(new TargetSpec
        {
            Kind = TargetSpec.Shahed, StartPosNedM = new(0, 0, -500), SpeedMs = 50, TurnAccelG = 1.0,
            RouteNedM = [new(3000, 0, -500), new(3000, 3000, -500)],
        });
        double peak = 0;
        for (double time = 0; time < 150; time += 0.25)
        {
            var k = t.StateAt(time);
            Assert.Equal(50, k.VelNedMs.Length, 6);
            peak = Math.Max(peak, k.AccNedMs2.Length);
        }
        Assert.Equal(G, peak, 1e-3);
        // Long after the corner it flies east along the second leg, north = 3000 exactly.
        var late = t.StateAt(140);
        Assert.Equal(3000, late.PosNedM.North, 6);
        Assert.Equal(50, late.VelNedMs.East, 9);
    }

    [Fact]
    public void Shahed_terminal_dive_reaches_the_dive_angle()
    {
        var t = Build(new TargetSpec
        {
            Kind = TargetSpec.Shahed, StartPosNedM = new(0, 0, -1000), SpeedMs = 50, HeadingDeg = 0,
            DiveAngleDeg = 40, DiveAfterDistanceM = 1000, TurnAccelG = 2,
        });
        Assert.Equal(0, t.StateAt(10).VelNedMs.Down, 9);               // level before the dive point (t = 20 s)
        var k = t.StateAt(30);                                          // well into the dive
        Assert.Equal(40, Angles.ToDeg(Math.Atan2(k.VelNedMs.Down, k.VelNedMs.HorizontalLength)), 6);
        Assert.Equal(50, k.VelNedMs.Length, 6);
    }

    [Fact]
    public void Quad_jinks_are_deterministic_per_seed_and_bounded()
    {
        var spec = new TargetSpec
        {
            Kind = TargetSpec.Quad, StartPosNedM = new(0, 0, -50), SpeedMs = 10, HeadingDeg = 90,
            JinkAccelMs2 = 4, JinkIntervalMinS = 1, JinkIntervalMaxS = 3, JinkHeadingDeg = 45, JinkSpeedMinMs = 6, JinkSpeedMaxMs = 15,
        };
        var a = Build(spec, seed: 7);
        var b = Build(spec, seed: 7);
        var c = Build(spec, seed: 8);
        bool differs = false;
        for (double time = 0; time < 60; time += 0.37)
        {
            var ka = a.StateAt(time);
            Assert.Equal(ka, b.StateAt(time));
            differs |= ka.PosNedM != c.StateAt(time).PosNedM;
            Assert.True(ka.AccNedMs2.Length <= 4 + 1e-9);
            Assert.True(ka.VelNedMs.Length <= Math.Sqrt(15 * 15 + 1) + 1e-9);
            if (ka.AccNedMs2 == Vector3d.Zero && time > 5) Assert.InRange(ka.VelNedMs.HorizontalLength, 6 - 1e-9, 15 + 1e-9);
            // Position is the integral of velocity (piecewise-constant acceleration, continuous velocity).
            var kn = a.StateAt(time + 1e-4);
            Assert.Equal(0, ((kn.PosNedM - ka.PosNedM) / 1e-4 - ka.VelNedMs).Length, 2);
        }
        Assert.True(differs);
    }
}
