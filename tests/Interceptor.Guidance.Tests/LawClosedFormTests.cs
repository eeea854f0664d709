using Interceptor.Core;
using Interceptor.Guidance;

namespace Interceptor.Guidance.Tests;

/// <summary>Each law against geometry computed by hand.</summary>
public class LawClosedFormTests
{
    private const double Tol = 1e-12;

    private static GuidanceConfig Cfg(double n = 3, double vmax = 20, TimeToGoMethod tgo = TimeToGoMethod.InterceptAtMaxSpeed) =>
        new() { NavigationConstant = n, MaxSpeedMs = vmax, TimeToGo = tgo, VelocityTimeConstantS = 0.5 };

    private static void AssertVec(Vector3d expected, Vector3d actual, double tol = 1e-9)
    {
        Assert.True((expected - actual).Length <= tol * Math.Max(1, expected.Length), $"expected {expected}, got {actual}");
    }

    [Theory]
    [InlineData("ppn")]
    [InlineData("tpn")]
    [InlineData("apn")]
    [InlineData("zem")]
    [InlineData("zem-full")]
    [InlineData("lead")]
    public void Collision_course_at_max_speed_commands_zero(string name)
    {
        // Own 20 m/s north (= MaxSpeedMs); target at (100, -50) flying east 10 m/s: v_rel = (-20, 10) = -0.2 r,
        // so the LOS rate is zero and the collision triangle closes at t = 5 s.
        var s = EngagementState.FromAbsolute(Vector3d.Zero, new Vector3d(20, 0, 0), new Vector3d(100, -50, 0), new Vector3d(0, 10, 0));
        Assert.Equal(Vector3d.Zero, s.LosRateNed);
        var a = GuidanceLaws.Create(name, Cfg()).AccelerationCommandNed(s);
        Assert.True(a.Length < 1e-12, $"{name}: {a}");
    }

    // Geometry A: target 100 m north, relative velocity (-30, 10, 0), own 20 m/s north (= MaxSpeedMs so the
    // speed hold is zero). R = 100, Vc = 30, LOS rate = r x v / R^2 = (0, 0, 0.1) rad/s.
    private static readonly EngagementState A = EngagementState.FromRelative(
        new Vector3d(100, 0, 0), new Vector3d(-30, 10, 0), new Vector3d(20, 0, 0));

    [Fact]
    public void Geometry_helpers_match_hand_values()
    {
        Assert.Equal(100, A.RangeM, Tol);
        Assert.Equal(30, A.ClosingSpeedMs, Tol);
        AssertVec(new Vector3d(0, 0, 0.1), A.LosRateNed, Tol);
        AssertVec(new Vector3d(-10, 10, 0), A.TargetVelNed, Tol);
    }

    [Fact]
    public void Tpn_magnitude_is_N_Vc_losrate_perpendicular_to_LOS()
    {
        var a = GuidanceLaws.Create("tpn", Cfg(n: 4)).AccelerationCommandNed(A);
        // N Vc |omega| = 4 * 30 * 0.1 = 12 m/s^2, along omega x u = +east.
        AssertVec(new Vector3d(0, 12, 0), a);
    }

    [Fact]
    public void Ppn_is_N_losrate_cross_own_velocity()
    {
        var a = GuidanceLaws.Create("ppn", Cfg(n: 4)).AccelerationCommandNed(A);
        // N |v_own| |omega| = 4 * 20 * 0.1 = 8 m/s^2, perpendicular to own velocity (north) -> east.
        AssertVec(new Vector3d(0, 8, 0), a);
        Assert.Equal(0, Vector3d.Dot(a, A.OwnVelNed), Tol);
    }

    [Fact]
    public void Apn_adds_half_N_target_acceleration_across_the_LOS()
    {
        var s = A with { TargetAccNed = new Vector3d(3, 4, -2), TargetAccKnown = true };
        var a = GuidanceLaws.Create("apn", Cfg(n: 4)).AccelerationCommandNed(s);
        // TPN (0, 12, 0) + N/2 * (0, 4, -2) (the part across u = north) = (0, 20, -4).
        AssertVec(new Vector3d(0, 20, -4), a);
        // Unknown acceleration: plain TPN, whatever the field holds.
        var unknown = s with { TargetAccKnown = false, TargetAccNed = new Vector3d(double.NaN, 0, 0) };
        AssertVec(new Vector3d(0, 12, 0), GuidanceLaws.Create("apn", Cfg(n: 4)).AccelerationCommandNed(unknown));
    }

    [Fact]
    public void Zem_on_a_crossing_geometry_with_closest_approach_tgo_matches_hand_computation()
    {
        // r = (100, 0, 0), v = (-20, 5, 0): tgo = -r.v/|v|^2 = 2000/425 = 80/17 s,
        // ZEM = r + v tgo = (100/17, 400/17, 0), N/tgo^2 = 3 * 289 / 6400.
        var s = EngagementState.FromRelative(new Vector3d(100, 0, 0), new Vector3d(-20, 5, 0), new Vector3d(20, 0, 0));
        var full = new ZemLaw(Cfg(tgo: TimeToGoMethod.ClosestApproach), fullZem: true);
        var (zem, tgo) = full.ZeroEffortMiss(s);
        Assert.Equal(80.0 / 17.0, tgo, Tol);
        AssertVec(new Vector3d(100.0 / 17.0, 400.0 / 17.0, 0), zem);
        AssertVec(new Vector3d(0.796875, 3.1875, 0), full.AccelerationCommandNed(s));
        // Default form keeps the part across the LOS (north): (0, 3.1875, 0); speed hold is zero at 20 m/s north.
        AssertVec(new Vector3d(0, 3.1875, 0), new ZemLaw(Cfg(tgo: TimeToGoMethod.ClosestApproach)).AccelerationCommandNed(s));
    }

    [Fact]
    public void Zem_with_intercept_at_max_speed_tgo_matches_hand_computation()
    {
        // Own 20 m/s north, target 100 m north flying east 12 m/s: |(100, 12 t)| = 20 t -> t = 6.25 s.
        // v = (-20, 12, 0): ZEM = (100 - 125, 75, 0) = (-25, 75, 0); N/tgo^2 = 3 / 39.0625 = 0.0768.
        var s = EngagementState.FromAbsolute(Vector3d.Zero, new Vector3d(20, 0, 0), new Vector3d(100, 0, 0), new Vector3d(0, 12, 0));
        AssertVec(new Vector3d(-1.92, 5.76, 0), GuidanceLaws.Create("zem-full", Cfg()).AccelerationCommandNed(s));
        AssertVec(new Vector3d(0, 5.76, 0), GuidanceLaws.Create("zem", Cfg()).AccelerationCommandNed(s));
    }

    [Fact]
    public void Zem_known_target_acceleration_adds_half_N_of_it()
    {
        var s = EngagementState.FromAbsolute(Vector3d.Zero, new Vector3d(20, 0, 0), new Vector3d(100, 0, 0), new Vector3d(0, 12, 0),
            new Vector3d(0, 2, 1));
        // ZEM += a_T tgo^2 / 2 -> command += N/2 a_T = 1.5 * (0, 2, 1) (all across the LOS).
        AssertVec(new Vector3d(-1.92, 5.76 + 3, 1.5), GuidanceLaws.Create("zem-full", Cfg()).AccelerationCommandNed(s));
        AssertVec(new Vector3d(0, 5.76 + 3, 1.5), GuidanceLaws.Create("zem", Cfg()).AccelerationCommandNed(s));
    }

    [Fact]
    public void Zem_from_hover_at_a_hovering_target()
    {
        // tgo = R / Vmax = 5 s; full ZEM = r -> 3 * 100 / 25 = 12 north. Default form: ZEM across LOS is zero,
        // speed hold = (20 - 0) / 0.5 = 40 north.
        var s = EngagementState.FromRelative(new Vector3d(100, 0, 0), Vector3d.Zero, Vector3d.Zero);
        AssertVec(new Vector3d(12, 0, 0), GuidanceLaws.Create("zem-full", Cfg()).AccelerationCommandNed(s));
        AssertVec(new Vector3d(40, 0, 0), GuidanceLaws.Create("zem", Cfg()).AccelerationCommandNed(s));
    }

    [Fact]
    public void Pursuit_commands_max_speed_towards_the_target()
    {
        // R = 50 along (0.6, 0.8, 0); a = (20 * u - v_own) / 0.5.
        var s = EngagementState.FromRelative(new Vector3d(30, 40, 0), new Vector3d(5, 5, 5), new Vector3d(0, 0, 2));
        var a = GuidanceLaws.Create("pursuit", Cfg()).AccelerationCommandNed(s);
        AssertVec(new Vector3d(24, 32, -4), a);
        // At the commanded velocity already: zero.
        var on = s with { OwnVelNed = new Vector3d(12, 16, 0) };
        Assert.True(GuidanceLaws.Create("pursuit", Cfg()).AccelerationCommandNed(on).Length < 1e-12);
    }

    [Fact]
    public void Lead_pursuit_aims_at_the_collision_triangle_point()
    {
        // Target 100 m north flying east 12 m/s, speed 20: t = 6.25 s, aim (100, 75) -> unit (0.8, 0.6).
        var s = EngagementState.FromAbsolute(Vector3d.Zero, Vector3d.Zero, new Vector3d(100, 0, 0), new Vector3d(0, 12, 0));
        AssertVec(new Vector3d(32, 24, 0), GuidanceLaws.Create("lead", Cfg()).AccelerationCommandNed(s));
        // Target faster than us and escaping: no intercept point -> pure pursuit.
        var escape = EngagementState.FromAbsolute(Vector3d.Zero, Vector3d.Zero, new Vector3d(100, 0, 0), new Vector3d(30, 0, 0));
        AssertVec(new Vector3d(40, 0, 0), GuidanceLaws.Create("lead", Cfg()).AccelerationCommandNed(escape));
    }

    [Fact]
    public void Speed_hold_accelerates_from_hover_and_stops_at_max_speed()
    {
        // Crossing target, own at rest: TPN lateral N Vc v_perp / R plus hold (20 - 0) / 0.5 = 40 along the LOS.
        // r = (100, 0, 0), v = (-10, 10, 0): Vc = 10, lateral = 3 * 10 * 10 / 100 = 3 east.
        var s = EngagementState.FromRelative(new Vector3d(100, 0, 0), new Vector3d(-10, 10, 0), Vector3d.Zero);
        AssertVec(new Vector3d(40, 3, 0), GuidanceLaws.Create("tpn", Cfg()).AccelerationCommandNed(s));
        // Flying at 20 m/s at a 30 deg lead angle: hold is zero (no pursuit bias).
        var lead = s with { OwnVelNed = new Vector3d(20 * Math.Cos(Math.PI / 6), 20 * Math.Sin(Math.PI / 6), 0) };
        var a = GuidanceLaws.Create("tpn", Cfg()).AccelerationCommandNed(lead);
        Assert.Equal(0, a.X, 1e-12);
    }
}
