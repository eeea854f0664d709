using FsCheck;
using FsCheck.Fluent;
using Interceptor.Core;
using Interceptor.Guidance;

namespace Interceptor.Guidance.Tests;

/// <summary>Random inputs, including NaN, infinities, zeros and extreme magnitudes.</summary>
public class PropertyTests
{
    private static readonly Gen<double> Ordinary = Gen.Choose(-2_000_000, 2_000_000).Select(i => i / 1000.0);
    private static readonly Gen<double> Nasty = Gen.Elements(0.0, -0.0, 1e-300, -1e-300, 1e300, -1e300, 1e-9,
        double.NaN, double.PositiveInfinity, double.NegativeInfinity, double.Epsilon);
    private static readonly Gen<double> AnyComponent = Gen.Frequency((10, Ordinary), (1, Nasty));
    private static readonly Gen<Vector3d> AnyVector =
        from x in AnyComponent from y in AnyComponent from z in AnyComponent select new Vector3d(x, y, z);
    private static readonly Gen<Vector3d> FiniteVector =
        from x in Ordinary from y in Ordinary from z in Ordinary select new Vector3d(x, y, z);
    private static readonly Gen<EngagementState> AnyState =
        from r in AnyVector from v in AnyVector from o in AnyVector from a in AnyVector
        from known in Gen.Elements(true, false)
        select new EngagementState(r, v, o, a, known);

    // Fixed seed: the same 2000 cases every run (reproducible CI); change the seed to explore further.
    private static readonly Config Runs = Config.QuickThrowOnFailure.WithMaxTest(2000)
        .WithReplay(Microsoft.FSharp.Core.FSharpOption<Replay>.Some(
            new Replay(new Rnd(20261122UL, 0x9E3779B97F4A7C15UL), Microsoft.FSharp.Core.FSharpOption<int>.None)));

    [Fact]
    public void Every_law_output_is_finite_for_any_input()
    {
        var laws = GuidanceLaws.Names.Select(n => GuidanceLaws.Create(n)).ToArray();
        Check.One(Runs, Prop.ForAll(AnyState.ToArbitrary(), s => laws.All(l => l.AccelerationCommandNed(s).IsFinite)));
    }

    [Fact]
    public void Every_time_to_go_is_finite_and_within_its_bounds()
    {
        Check.One(Runs, Prop.ForAll(AnyState.ToArbitrary(), s =>
            Enum.GetValues<TimeToGoMethod>().All(m =>
                TimeToGo.Estimate(s, m, 20, 0.1, 120) is var t && t >= 0.1 && t <= 120)));
    }

    [Fact]
    public void Shaped_commands_are_finite_and_never_exceed_vehicle_limits()
    {
        foreach (var limits in new[] { VehicleLimits.X500, VehicleLimits.FastInterceptor, new VehicleLimits(5, 0.2, 1.2, 0.8, 0) })
        {
            var shaper = new MultirotorCommandShaper(limits);
            double fMax = limits.MaxSpecificForceMs2, fMin = limits.MinThrustToWeight * VehicleLimits.GravityMs2;
            var gen = from a in AnyVector from v in AnyVector from los in AnyVector from yaw in AnyComponent select (a, v, los, yaw);
            Check.One(Runs, Prop.ForAll(gen.ToArbitrary(), t =>
            {
                var c = shaper.Shape(t.a, t.v, t.los, t.yaw);
                var f = c.SpecificForceNed;
                double fUp = -f.Z;
                bool finite = c.AccelerationNed.IsFinite && f.IsFinite && c.VelocitySetpointNed.IsFinite && c.AttitudeNed.IsFinite
                              && double.IsFinite(c.NormalizedThrust) && double.IsFinite(c.YawRad)
                              && double.IsFinite(c.LosElevationRad) && double.IsFinite(c.CameraLosElevationRad);
                bool withinLimits = f.Length <= fMax * (1 + 1e-12)
                                    && fUp >= fMin * (1 - 1e-12)
                                    && Math.Atan2(f.HorizontalLength, fUp) <= limits.MaxTiltRad + 1e-12
                                    && c.NormalizedThrust is >= 0 and <= 1
                                    && c.VelocitySetpointNed.Length <= limits.MaxSpeedMs * (1 + 1e-12)
                                    && Math.Abs(c.AttitudeNed.Norm - 1) < 1e-12
                                    && c.YawRad is >= -Math.PI and <= Math.PI;
                // AccelerationNed is the specific force plus gravity; the attitude's thrust axis is along f.
                bool consistent = (c.AccelerationNed - (f + new Vector3d(0, 0, VehicleLimits.GravityMs2))).Length < 1e-9
                                  && (f.Length < 1e-9 || (c.AttitudeNed.Rotate(new Vector3d(0, 0, -1)) - f / f.Length).Length < 1e-9);
                return finite && withinLimits && consistent;
            }));
        }
    }

    [Fact]
    public void Speed_limit_holds_for_level_flight_without_other_clamps()
    {
        // Horizontal velocity and horizontal commands small enough that neither tilt nor thrust cut in:
        // the along-velocity acceleration is at most (Vmax - speed) / tau.
        var shaper = new MultirotorCommandShaper(VehicleLimits.FastInterceptor);
        var small = Gen.Choose(-20_000, 20_000).Select(i => i / 1000.0);
        var speed = Gen.Choose(0, 100_000).Select(i => i / 1000.0);
        var gen = from ax in small from ay in small from s in speed from h in Gen.Choose(0, 359) select (ax, ay, s, h);
        Check.One(Runs, Prop.ForAll(gen.ToArbitrary(), t =>
        {
            var v = new Vector3d(t.s * Math.Cos(t.h * Angles.DegToRad), t.s * Math.Sin(t.h * Angles.DegToRad), 0);
            var c = shaper.Shape(new Vector3d(t.ax, t.ay, 0), v, new Vector3d(1, 0, 0));
            if (t.s < 1e-6) return true;
            double aPar = Vector3d.Dot(c.AccelerationNed, v / t.s);
            // When the tilt or thrust cut also acted (braking hard from overspeed), it scales the braking down:
            // the vehicle limit wins, the speed limit is best effort.
            bool otherCut = (c.Limits & (ShapingLimits.Tilt | ShapingLimits.Thrust)) != 0;
            return aPar <= (80 - t.s) / 0.5 + 1e-9 || (otherCut && t.s > 80);
        }));
    }

    [Fact]
    public void Finite_states_keep_laws_continuous_in_scale()
    {
        // Scaling the geometry (r by k, v unchanged) scales PN lateral terms by 1/k: a sanity check that the
        // laws use the LOS rate, not raw positions. Closing geometries only.
        var law = GuidanceLaws.Create("tpn", new GuidanceConfig { MaxSpeedMs = 1000 });
        var gen = from r in FiniteVector from v in FiniteVector select (r, v);
        Check.One(Runs, Prop.ForAll(gen.ToArbitrary(), t =>
        {
            var s1 = EngagementState.FromRelative(t.r, t.v, Vector3d.Zero);
            if (!(s1.RangeM > 1) || !(s1.ClosingSpeedMs > 0)) return true;
            var s2 = s1 with { RelPosNed = t.r * 2 };
            var hold = t.r / t.r.Length * (1000 / 0.5);
            var l1 = law.AccelerationCommandNed(s1) - hold;
            var l2 = law.AccelerationCommandNed(s2) - hold;
            return (l1 - l2 * 2).Length <= 1e-6 * Math.Max(1, l1.Length);
        }));
    }
}
