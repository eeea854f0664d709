using Interceptor.Core;
using Interceptor.Estimation;

namespace Interceptor.Estimation.Tests;

public class OwnStateAndConfigTests
{
    private static Vector3d Pos(double t) => new(3 + 10 * t + 1.5 * t * t, -2 * t, -50 - 0.25 * t * t);
    private static Vector3d Vel(double t) => new(10 + 3 * t, -2, -0.5 * t);

    [Fact]
    public void Hermite_interpolation_is_exact_for_constant_acceleration_motion()
    {
        var buf = new OwnStateBuffer(capacity: 8, maxExtrapolationS: 0.2);
        for (int k = 0; k < 12; k++) Assert.True(buf.Add(k * 0.1, Pos(k * 0.1), Vel(k * 0.1)));
        Assert.Equal(8, buf.Count); // oldest dropped: samples 0.4 .. 1.1 remain
        foreach (double t in new[] { 0.4, 0.43, 0.777, 1.05, 1.1 })
        {
            Assert.True(buf.TryGet(t, out var s));
            Assert.True((s.PosNed - Pos(t)).Length < 1e-12, $"t={t}: {s.PosNed} vs {Pos(t)}");
            Assert.True((s.VelNed - Vel(t)).Length < 1e-12); // velocity is linear in t here
        }
        Assert.False(buf.TryGet(0.35, out _));          // dropped
        Assert.True(buf.TryGet(1.25, out var ex));      // extrapolated with the newest velocity
        Assert.True((ex.PosNed - (Pos(1.1) + Vel(1.1) * 0.15)).Length < 1e-12);
        Assert.False(buf.TryGet(1.31, out _));          // beyond the extrapolation limit
    }

    [Fact]
    public void Own_state_samples_that_do_not_advance_or_are_not_finite_are_refused()
    {
        var buf = new OwnStateBuffer();
        Assert.False(buf.TryGet(0, out _));
        Assert.True(buf.Add(1, Vector3d.Zero, Vector3d.Zero));
        Assert.False(buf.Add(1, Vector3d.UnitX, Vector3d.Zero));
        Assert.False(buf.Add(0.5, Vector3d.UnitX, Vector3d.Zero));
        Assert.False(buf.Add(2, new Vector3d(double.NaN, 0, 0), Vector3d.Zero));
        Assert.False(buf.Add(double.PositiveInfinity, Vector3d.Zero, Vector3d.Zero));
        Assert.Equal(4, buf.RejectedCount);
        Assert.Equal(1, buf.Count);
    }

    [Fact]
    public void Relative_geometry_is_closed_form_and_finite_at_zero_range()
    {
        var target = new TargetEstimate(0, new Vector3d(100, 0, 0), new Vector3d(0, 10, 0), new Vector3d(0, 2, 0), true, 3);
        var rel = RelativeGeometry.Compute(target, Vector3d.Zero, Vector3d.Zero);
        Assert.Equal(100, rel.RangeM);
        Assert.Equal(0, rel.ClosingSpeedMps);
        Assert.Equal(new Vector3d(0, 0, 0.1), rel.LosRateNedRadS); // (r x v) / r^2 = (0, 0, 1000) / 1e4
        Assert.Equal(Vector3d.UnitX, rel.LosUnitNed);
        Assert.True(rel.TargetAccValid);

        var headOn = RelativeGeometry.Compute(target with { VelNed = new Vector3d(-30, 0, 0) }, Vector3d.Zero, new Vector3d(20, 0, 0));
        Assert.Equal(50, headOn.ClosingSpeedMps);
        Assert.Equal(Vector3d.Zero, headOn.LosRateNedRadS);

        var zero = RelativeGeometry.Compute(target, target.PosNed, Vector3d.Zero);
        Assert.Equal(0, zero.RangeM);
        Assert.Equal(Vector3d.Zero, zero.LosUnitNed);
        Assert.Equal(Vector3d.Zero, zero.LosRateNedRadS);
        Assert.Equal(0, zero.ClosingSpeedMps);
    }

    [Theory]
    [InlineData("CvAccelNoiseDensity", "-1")]
    [InlineData("CaJerkNoiseDensity", "NaN")]
    [InlineData("InitialManeuverProbability", "1.5")]
    [InlineData("HistoryCapacity", "1")]
    [InlineData("GateChi2Bearing", "0")]
    [InlineData("NisAverageWeight", "0")]
    public void Config_validation_names_the_field_and_value(string field, string value)
    {
        double v = double.Parse(value, System.Globalization.CultureInfo.InvariantCulture);
        var cfg = field switch
        {
            "CvAccelNoiseDensity" => new EstimatorConfig { CvAccelNoiseDensity = v },
            "CaJerkNoiseDensity" => new EstimatorConfig { CaJerkNoiseDensity = v },
            "InitialManeuverProbability" => new EstimatorConfig { InitialManeuverProbability = v },
            "HistoryCapacity" => new EstimatorConfig { HistoryCapacity = (int)v },
            "GateChi2Bearing" => new EstimatorConfig { GateChi2Bearing = v },
            _ => new EstimatorConfig { NisAverageWeight = v },
        };
        var ex = Assert.Throws<ValidationException>(() => new TargetEstimator(cfg));
        Assert.StartsWith($"{field} = {value}:", ex.Message);
    }

    [Fact]
    public void Explicit_initialise_validates_its_prior_and_restarts_a_diverged_track()
    {
        var est = new TargetEstimator();
        Assert.Throws<ValidationException>(() => est.Initialise(0, Vector3d.Zero, new Covariance3(1, 1, 1, 2, 0, 0), Vector3d.Zero, 5));
        Assert.Throws<ValidationException>(() => est.Initialise(0, Vector3d.Zero, Covariance3.Isotropic(1), Vector3d.Zero, 0));
        est.Initialise(2, new Vector3d(500, 0, -100), Covariance3.Isotropic(10), new Vector3d(-40, 0, 0), 5);
        Assert.True(est.TryGetEstimate(3, out var e));
        Assert.Equal(new Vector3d(460, 0, -100), e.PosNed);
        Assert.Equal(new Vector3d(-40, 0, 0), e.VelNed);
        // A bearing is now usable without any cue.
        Assert.Equal(MeasurementOutcome.Accepted, est.AddBearing(3, Vector3d.Zero, new Vector3d(460, 0.5, -100), 1e-3));
    }
}
