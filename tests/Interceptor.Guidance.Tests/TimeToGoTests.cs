using Interceptor.Core;
using Interceptor.Guidance;

namespace Interceptor.Guidance.Tests;

public class TimeToGoTests
{
    private const double Min = 0.1, Max = 120;

    [Fact]
    public void Head_on_every_estimator_gives_R_over_Vc_exactly()
    {
        // R = 200, own 30 m/s north, target 10 m/s south: Vc = 40 -> 5 s.
        var r = new Vector3d(200, 0, 0);
        var v = new Vector3d(-40, 0, 0);
        var own = new Vector3d(30, 0, 0);
        Assert.Equal(5.0, TimeToGo.RangeOverClosingSpeed(r, v, Min, Max));
        Assert.Equal(5.0, TimeToGo.ClosestApproach(r, v, Min, Max));
        Assert.Equal(5.0, TimeToGo.InterceptAtSpeed(r, v, own, 20, Min, Max), 12); // s = max(20, |own|) = 30
    }

    [Fact]
    public void Off_head_on_closest_approach_is_exact_and_range_over_closing_speed_overestimates()
    {
        var r = new Vector3d(100, 0, 0);
        var v = new Vector3d(-20, 5, 0);
        double cpa = TimeToGo.ClosestApproach(r, v, Min, Max);
        Assert.Equal(80.0 / 17.0, cpa, 12);
        Assert.Equal(5.0, TimeToGo.RangeOverClosingSpeed(r, v, Min, Max), 12);
        // The distance really is smallest at cpa.
        double Dist(double t) => (r + v * t).Length;
        Assert.True(Dist(cpa) < Dist(cpa - 1e-3) && Dist(cpa) < Dist(cpa + 1e-3));
    }

    [Fact]
    public void Opening_range_and_zero_relative_velocity_give_the_minimum()
    {
        var r = new Vector3d(100, 0, 0);
        Assert.Equal(Min, TimeToGo.RangeOverClosingSpeed(r, new Vector3d(10, 3, 0), Min, Max));
        Assert.Equal(Min, TimeToGo.ClosestApproach(r, new Vector3d(10, 3, 0), Min, Max));
        Assert.Equal(Min, TimeToGo.RangeOverClosingSpeed(r, new Vector3d(0, 7, 0), Min, Max)); // Vc = 0
        Assert.Equal(Min, TimeToGo.ClosestApproach(r, Vector3d.Zero, Min, Max));
        Assert.Equal(Min, TimeToGo.RangeOverClosingSpeed(Vector3d.Zero, new Vector3d(-1, 0, 0), Min, Max));
    }

    [Fact]
    public void Intercept_at_speed_handles_a_receding_slower_target_and_falls_back_when_outrun()
    {
        var r = new Vector3d(100, 0, 0);
        // Target recedes at 10 m/s, we can do 20 from a hover: |100 + 10 t| = 20 t -> t = 10 s.
        Assert.Equal(10.0, TimeToGo.InterceptAtSpeed(r, new Vector3d(10, 0, 0), Vector3d.Zero, 20, Min, Max), 12);
        // Target recedes at 30 m/s: no intercept -> closest approach (opening) -> minimum.
        Assert.Equal(Min, TimeToGo.InterceptAtSpeed(r, new Vector3d(30, 0, 0), Vector3d.Zero, 20, Min, Max));
        // Equal speeds (linear case): target 20 m/s head-on at us, speed 20: |100 - 20 t| = 20 t -> t = 2.5 s.
        Assert.Equal(2.5, TimeToGo.InterceptAtSpeed(r, new Vector3d(-20, 0, 0), Vector3d.Zero, 20, Min, Max), 12);
    }

    [Fact]
    public void Faster_target_crossing_ahead_has_two_intercepts_and_the_earliest_is_taken()
    {
        // Target 100 m north flying south-east at 30 m/s; |r + vT t| = s t with |vT| = 30 > s = 20.
        var r = new Vector3d(100, 0, 0);
        var vT = new Vector3d(-24, 18, 0);
        Assert.True(TimeToGo.TryInterceptTime(r, vT, 20, out double t));
        Assert.Equal(20 * t, (r + vT * t).Length, 9);
        // Earliest: no smaller positive root.
        double a = vT.LengthSquared - 400, b = 2 * Vector3d.Dot(r, vT), c = r.LengthSquared;
        double t1 = (-b - Math.Sqrt(b * b - 4 * a * c)) / (2 * a), t2 = (-b + Math.Sqrt(b * b - 4 * a * c)) / (2 * a);
        Assert.Equal(Math.Min(t1, t2), t, 9);
    }

    [Fact]
    public void Results_are_clamped_and_non_finite_inputs_give_the_minimum()
    {
        var r = new Vector3d(1000, 0, 0);
        Assert.Equal(Max, TimeToGo.RangeOverClosingSpeed(r, new Vector3d(-1e-3, 0, 0), Min, Max));
        Assert.Equal(Max, TimeToGo.ClosestApproach(r, new Vector3d(-1e-3, 0, 0), Min, Max));
        Assert.Equal(Min, TimeToGo.ClosestApproach(new Vector3d(0.001, 0, 0), new Vector3d(-100, 0, 0), Min, Max));
        var nan = new Vector3d(double.NaN, 0, 0);
        var inf = new Vector3d(0, double.PositiveInfinity, 0);
        foreach (var (p, v) in new[] { (nan, r), (r, nan), (inf, r), (r, inf) })
        {
            Assert.Equal(Min, TimeToGo.RangeOverClosingSpeed(p, v, Min, Max));
            Assert.Equal(Min, TimeToGo.ClosestApproach(p, v, Min, Max));
            Assert.Equal(Min, TimeToGo.InterceptAtSpeed(p, v, Vector3d.Zero, 20, Min, Max));
            // A non-finite own velocity only spoils the speed; the estimate stays finite and in range.
            double t = TimeToGo.InterceptAtSpeed(r, new Vector3d(-5, 0, 0), v, 20, Min, Max);
            Assert.InRange(t, Min, Max);
        }
    }
}
