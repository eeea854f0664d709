using Interceptor.Core;
using Interceptor.Guidance;

namespace Interceptor.Guidance.Tests;

/// <summary>The documented behaviour for degenerate geometry and bad inputs (see README).</summary>
public class DegenerateGeometryTests
{
    public static TheoryData<string> AllLaws()
    {
        var d = new TheoryData<string>();
        foreach (var n in GuidanceLaws.Names) d.Add(n);
        return d;
    }

    private static readonly GuidanceConfig Cfg = new() { MaxSpeedMs = 20, VelocityTimeConstantS = 0.5 };

    [Theory]
    [MemberData(nameof(AllLaws))]
    public void Zero_range_commands_zero(string name)
    {
        var law = GuidanceLaws.Create(name, Cfg);
        Assert.Equal(Vector3d.Zero, law.AccelerationCommandNed(EngagementState.FromRelative(Vector3d.Zero, new Vector3d(-5, 1, 0), new Vector3d(10, 0, 0))));
        // Below MinRangeM (default 0.01 m) counts as zero range.
        Assert.Equal(Vector3d.Zero, law.AccelerationCommandNed(EngagementState.FromRelative(new Vector3d(0.005, 0, 0), new Vector3d(-5, 1, 0), new Vector3d(10, 0, 0))));
    }

    [Theory]
    [MemberData(nameof(AllLaws))]
    public void Non_finite_inputs_command_zero(string name)
    {
        var law = GuidanceLaws.Create(name, Cfg);
        var good = EngagementState.FromRelative(new Vector3d(100, 10, -5), new Vector3d(-20, 3, 0), new Vector3d(15, 0, 0));
        double[] bad = [double.NaN, double.PositiveInfinity, double.NegativeInfinity];
        foreach (double x in bad)
        {
            Assert.Equal(Vector3d.Zero, law.AccelerationCommandNed(good with { RelPosNed = new Vector3d(x, 10, -5) }));
            Assert.Equal(Vector3d.Zero, law.AccelerationCommandNed(good with { RelVelNed = new Vector3d(-20, x, 0) }));
            Assert.Equal(Vector3d.Zero, law.AccelerationCommandNed(good with { OwnVelNed = new Vector3d(15, 0, x) }));
            Assert.Equal(Vector3d.Zero, law.AccelerationCommandNed(good with { TargetAccNed = new Vector3d(x, 0, 0), TargetAccKnown = true }));
            // Unknown target acceleration is not read, so garbage there changes nothing.
            Assert.Equal(law.AccelerationCommandNed(good), law.AccelerationCommandNed(good with { TargetAccNed = new Vector3d(x, x, x) }));
        }
    }

    [Theory]
    [MemberData(nameof(AllLaws))]
    public void Huge_inputs_stay_finite(string name)
    {
        var law = GuidanceLaws.Create(name, Cfg);
        var s = new EngagementState(new Vector3d(1e300, -1e300, 1e300), new Vector3d(-1e300, 1e300, 1e-300),
            new Vector3d(1e300, 1e300, -1e300), new Vector3d(1e300, 0, 0), true);
        Assert.True(law.AccelerationCommandNed(s).IsFinite);
        var tiny = new EngagementState(new Vector3d(0.02, 0, 0), new Vector3d(-1e-300, 1e-300, 0), Vector3d.Zero, Vector3d.Zero, false);
        Assert.True(law.AccelerationCommandNed(tiny).IsFinite);
    }

    [Theory]
    [InlineData("ppn")]
    [InlineData("tpn")]
    [InlineData("apn")]
    [InlineData("zem")]
    public void Target_behind_and_receding_turns_the_vehicle_round(string name)
    {
        // Target 100 m north, own flying south at 10 m/s away from it, target drifting east at 5 m/s:
        // v_rel = (10, 5, 0), Vc = -10 (opening). Lateral terms are off; the speed hold pushes along the LOS with
        // ((20 - 10) + 10) / 0.5 = 40 m/s^2.
        var s = EngagementState.FromAbsolute(Vector3d.Zero, new Vector3d(-10, 0, 0), new Vector3d(100, 0, 0), new Vector3d(0, 5, 0),
            new Vector3d(0, 3, 0));
        Assert.True(s.ClosingSpeedMs < 0);
        var a = GuidanceLaws.Create(name, Cfg).AccelerationCommandNed(s);
        Assert.Equal(new Vector3d(40, 0, 0), a);
    }

    [Theory]
    [InlineData("ppn")]
    [InlineData("tpn")]
    [InlineData("apn")]
    [InlineData("zem")]
    public void Zero_closing_speed_from_hover_accelerates_at_the_target(string name)
    {
        // Own at rest, target 100 m north crossing east at 10 m/s: Vc = 0 exactly, lateral terms off,
        // speed hold (20 - 0) / 0.5 = 40 along the LOS.
        var s = EngagementState.FromAbsolute(Vector3d.Zero, Vector3d.Zero, new Vector3d(100, 0, 0), new Vector3d(0, 10, 0));
        Assert.Equal(0.0, s.ClosingSpeedMs);
        Assert.Equal(new Vector3d(40, 0, 0), GuidanceLaws.Create(name, Cfg).AccelerationCommandNed(s));
    }

    [Fact]
    public void Ppn_with_zero_own_velocity_has_no_lateral_term()
    {
        // Closing (target approaches), own at rest: PPN's N omega x v_own vanishes; only the hold remains.
        var s = EngagementState.FromRelative(new Vector3d(100, 0, 0), new Vector3d(-10, 10, 0), Vector3d.Zero);
        Assert.Equal(new Vector3d(40, 0, 0), GuidanceLaws.Create("ppn", Cfg).AccelerationCommandNed(s));
    }

    [Fact]
    public void Zem_full_with_opening_range_under_closest_approach_pushes_at_the_target()
    {
        // tgo floors at MinTimeToGoS = 0.1: ZEM = r + v * 0.1 = (101, 0.5, 0); a = 3 ZEM / 0.01.
        var cfg = Cfg with { TimeToGo = TimeToGoMethod.ClosestApproach };
        var s = EngagementState.FromRelative(new Vector3d(100, 0, 0), new Vector3d(10, 5, 0), new Vector3d(-10, 0, 0));
        var a = GuidanceLaws.Create("zem-full", cfg).AccelerationCommandNed(s);
        Assert.Equal(30300, a.X, 9);
        Assert.Equal(150, a.Y, 9);
        Assert.Equal(0, a.Z);
    }

    [Fact]
    public void Target_directly_behind_and_closing_is_still_guided()
    {
        // A faster target overtaking from behind: own north 10 m/s, target 100 m south flying north at 30 m/s,
        // 1 m/s drift east. Vc = 20 > 0, so PN acts (towards the target's drift) -- finite and non-zero.
        var s = EngagementState.FromAbsolute(Vector3d.Zero, new Vector3d(10, 0, 0), new Vector3d(-100, 0, 0), new Vector3d(30, 1, 0));
        foreach (var name in new[] { "tpn", "zem" })
        {
            var a = GuidanceLaws.Create(name, Cfg).AccelerationCommandNed(s);
            Assert.True(a.IsFinite && a.Y > 0, $"{name}: {a}");
        }
    }
}
