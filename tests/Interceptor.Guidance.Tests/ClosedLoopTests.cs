using Interceptor.Core;
using Interceptor.Guidance;

namespace Interceptor.Guidance.Tests;

public class ClosedLoopTests
{
    public static TheoryData<string> HomingLaws => new() { "ppn", "tpn", "apn", "zem", "zem-full" };

    [Theory]
    [MemberData(nameof(HomingLaws))]
    public void Fast_interceptor_hits_a_crossing_shahed_class_target(string lawName)
    {
        // Interceptor at 60 m/s heading north-east; target 1 km north, 300 m east, 150 m higher, flying west at 45 m/s.
        var law = GuidanceLaws.Create(lawName, new GuidanceConfig { MaxSpeedMs = 60 });
        var r = ClosedLoop.Fly(law,
            ownPos: Vector3d.Zero, ownVel: new Vector3d(42.4, 42.4, 0),
            tgtPos: new Vector3d(1000, 300, -150), tgtVel: new Vector3d(0, -45, 0),
            dt: 1e-3, maxAccelMs2: 40, maxTimeS: 60);
        Assert.True(r.AllFinite);
        Assert.True(r.MissM < 0.5, $"{lawName}: miss {r.MissM:F3} m at t = {r.TimeOfClosestApproachS:F2} s");
    }

    [Theory]
    [MemberData(nameof(HomingLaws))]
    public void Head_on_and_tail_chase_hit(string lawName)
    {
        var law = GuidanceLaws.Create(lawName, new GuidanceConfig { MaxSpeedMs = 30 });
        var headOn = ClosedLoop.Fly(law, Vector3d.Zero, new Vector3d(30, 0, 0),
            new Vector3d(600, 40, -20), new Vector3d(-12, 0, 0), 1e-3, 30, 60);
        var tail = ClosedLoop.Fly(law, Vector3d.Zero, new Vector3d(30, 0, 0),
            new Vector3d(200, 30, -10), new Vector3d(12, 2, 0), 1e-3, 30, 60);
        Assert.True(headOn.MissM < 0.5, $"{lawName} head-on miss {headOn.MissM:F3} m");
        Assert.True(tail.MissM < 0.5, $"{lawName} tail-chase miss {tail.MissM:F3} m");
    }

    [Theory]
    [MemberData(nameof(HomingLaws))]
    public void X500_from_hover_through_the_shaper_hits_a_6ms_crossing_quad(string lawName)
    {
        var limits = VehicleLimits.X500;
        var law = GuidanceLaws.Create(lawName, GuidanceConfig.ForVehicle(limits));
        var shaper = new MultirotorCommandShaper(limits);
        var r = ClosedLoop.Fly(law, Vector3d.Zero, Vector3d.Zero,
            new Vector3d(150, -40, -30), new Vector3d(0, 6, 0), 1e-3, double.PositiveInfinity, 90, shaper);
        Assert.True(r.MissM < 0.5, $"{lawName}: miss {r.MissM:F3} m at t = {r.TimeOfClosestApproachS:F2} s");
    }

    [Theory]
    [InlineData("apn")]
    [InlineData("zem")]
    [InlineData("zem-full")]
    public void Known_target_acceleration_is_fed_forward(string lawName)
    {
        // Target 800 m ahead pulling a steady 0.5 g sideways and 0.1 g down (a turning Shahed-class target); the
        // interceptor (60 m/s, 9 m/s^2 -- below the 3 a_T that plain PN needs at the end) is told the acceleration.
        // With it the laws hit (the feed-forward demand is largest at the start and decays); without it they miss.
        var law = GuidanceLaws.Create(lawName, new GuidanceConfig { MaxSpeedMs = 60 });
        var aT = new Vector3d(0, 4.9, 1.0);
        ClosedLoop.Result Run(bool tell) => ClosedLoop.Fly(law, Vector3d.Zero, new Vector3d(60, 0, 0),
            new Vector3d(800, 100, -100), new Vector3d(-45, 0, 0), 1e-3, 9, 60, null, aT, tell);
        var told = Run(true);
        var blind = Run(false);
        Assert.True(told.MissM < 0.5, $"{lawName} with a_T: miss {told.MissM:F3} m");
        Assert.True(blind.MissM > 5, $"{lawName}: blind {blind.MissM:F3} m vs told {told.MissM:F3} m");
    }

    [Fact]
    public void Pursuit_hits_a_hovering_target_and_lead_pursuit_hits_a_moving_one()
    {
        var cfg = new GuidanceConfig { MaxSpeedMs = 30, VelocityTimeConstantS = 0.3 };
        var pursuitStatic = ClosedLoop.Fly(GuidanceLaws.Create("pursuit", cfg), Vector3d.Zero, new Vector3d(0, 10, 0),
            new Vector3d(300, 100, -20), Vector3d.Zero, 1e-3, 30, 60);
        var lead = ClosedLoop.Fly(GuidanceLaws.Create("lead", cfg), Vector3d.Zero, Vector3d.Zero,
            new Vector3d(300, 100, -20), new Vector3d(-5, 8, 0), 1e-3, 30, 60);
        var pursuitMoving = ClosedLoop.Fly(GuidanceLaws.Create("pursuit", cfg), Vector3d.Zero, Vector3d.Zero,
            new Vector3d(300, 100, -20), new Vector3d(-5, 8, 0), 1e-3, 30, 60);
        Assert.True(pursuitStatic.MissM < 0.5, $"pursuit vs hovering target: miss {pursuitStatic.MissM:F3} m");
        Assert.True(lead.MissM < 0.5, $"lead vs moving target: miss {lead.MissM:F3} m");
        // Pure pursuit's known weakness: the turn rate it needs grows without bound at the end, so with a
        // finite acceleration it overshoots a crossing target where lead pursuit does not.
        Assert.True(pursuitMoving.MissM > lead.MissM, $"pursuit {pursuitMoving.MissM:F3} m vs lead {lead.MissM:F3} m");
    }

    [Fact]
    public void Closest_approach_of_the_harness_is_exact_for_a_known_fly_by()
    {
        // Zero command law: own vehicle at rest, target passes 7 m abeam at 10 m/s -> miss exactly 7 m at t = 10 s.
        var r = ClosedLoop.Fly(new ZeroLaw(), Vector3d.Zero, Vector3d.Zero,
            new Vector3d(100, 7, 0), new Vector3d(-10, 0, 0), 0.0333, 10, 30);
        Assert.Equal(7.0, r.MissM, 9);
        Assert.Equal(10.0, r.TimeOfClosestApproachS, 6);
    }

    private sealed class ZeroLaw : IGuidanceLaw
    {
        public string Name => "zero";
        public Vector3d AccelerationCommandNed(in EngagementState state) => Vector3d.Zero;
    }
}
