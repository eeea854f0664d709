using Interceptor.Core;
using Interceptor.Sim;

namespace Interceptor.Sim.Tests;

public class SeekerTests
{
    private static SeekerParams Params(double mountPitchDeg = 0, double noiseMrad = 0, double latencyS = 0.05) => new(
        true, noiseMrad * 1e-3, 1.0 / 30, latencyS, Angles.ToRad(30), Angles.ToRad(24),
        Frames.CameraToBody(Angles.ToRad(mountPitchDeg)), 1.0, 1e9, 1.0);

    private static Vector3d Dir(double azDeg, double elDeg) // elevation positive up, NED
    {
        double az = Angles.ToRad(azDeg), el = Angles.ToRad(elDeg);
        return new Vector3d(Math.Cos(el) * Math.Cos(az), Math.Cos(el) * Math.Sin(az), -Math.Sin(el)) * 100;
    }

    [Theory]
    [InlineData(0, 0, 0, true)]
    [InlineData(29.9, 0, 0, true)]
    [InlineData(30.1, 0, 0, false)]
    [InlineData(-30.1, 0, 0, false)]
    [InlineData(0, 23.9, 0, true)]
    [InlineData(0, 24.1, 0, false)]
    [InlineData(0, -24.1, 0, false)]
    [InlineData(0, 43.9, 20, true)]   // camera pitched up 20 deg: upper edge at 44 deg
    [InlineData(0, 44.1, 20, false)]
    [InlineData(0, -3.9, 20, true)]   // lower edge at -4 deg
    [InlineData(0, -4.1, 20, false)]
    [InlineData(180, 0, 0, false)]    // behind
    public void Field_of_view_is_body_fixed_and_rectangular(double azDeg, double elDeg, double mountDeg, bool expected)
    {
        var p = Params(mountDeg);
        var level = Quaterniond.FromEuler(0, 0, 0);
        Assert.Equal(expected, SeekerModel.InFieldOfView(p, SeekerModel.LosInCamera(p, level, Dir(azDeg, elDeg))));
    }

    [Fact]
    public void Field_of_view_follows_yaw_and_tilt()
    {
        var p = Params();
        // Yawed 90 deg (facing east): a target due east is centred, due north is outside.
        var east = Quaterniond.FromEuler(0, 0, Angles.ToRad(90));
        Assert.True(SeekerModel.InFieldOfView(p, SeekerModel.LosInCamera(p, east, Dir(90, 0))));
        Assert.False(SeekerModel.InFieldOfView(p, SeekerModel.LosInCamera(p, east, Dir(0, 0))));
        // Pitched 40 deg nose down (accelerating forward): a target on the horizon is above the 24 deg half-FOV.
        var noseDown = MultirotorModel.AttitudeFrom(new Vector3d(Math.Sin(Angles.ToRad(40)), 0, -Math.Cos(Angles.ToRad(40))), 0);
        Assert.False(SeekerModel.InFieldOfView(p, SeekerModel.LosInCamera(p, noseDown, Dir(0, 0))));
        Assert.True(SeekerModel.InFieldOfView(p, SeekerModel.LosInCamera(p, noseDown, Dir(0, -30))));
    }

    [Fact]
    public void Bearing_noise_has_the_configured_sigma_per_axis()
    {
        var p = Params(noiseMrad: 2);
        var noise = SimRandom.ForStream(3, 2);
        var detect = SimRandom.ForStream(3, 3);
        var truth = Dir(10, 5);
        double sum2 = 0;
        int n = 20000;
        for (int i = 0; i < n; i++)
        {
            Assert.True(SeekerModel.TryMeasure(p, i / 30.0, Vector3d.Zero, Quaterniond.Identity, truth, 2e-3, ref noise, ref detect, out var m, out _));
            double err = Angles.Between(m.LosUnitNed, truth);
            sum2 += err * err;
        }
        // Two independent axes: E[err^2] = 2 sigma^2 (small angles).
        Assert.Equal(2e-3, Math.Sqrt(sum2 / n / 2), 2e-3 * 0.03);
    }

    [Fact]
    public void Measurement_is_stamped_at_exposure_and_available_latency_later()
    {
        var p = Params(latencyS: 0.05);
        var noise = new SimRandom(1); var detect = new SimRandom(2);
        Assert.True(SeekerModel.TryMeasure(p, 1.2, Vector3d.Zero, Quaterniond.Identity, Dir(0, 0), 1e-3, ref noise, ref detect, out var m, out bool inFov));
        Assert.True(inFov);
        Assert.Equal(1.2, m.ExposureTimeS);
        Assert.Equal(1.25, m.AvailableTimeS, 12);
        Assert.Equal(1.0, Vector3d.Dot(m.LosUnitNed, Vector3d.UnitX), 12);
    }

    [Fact]
    public void In_the_closed_loop_every_bearing_reaches_the_estimator_at_the_first_tick_after_its_latency()
    {
        var rec = new RecordingEstimator();
        var spec = TestScenarios.Crossing() with { Seeker = TestScenarios.Crossing().Seeker with { LatencyS = 0.05, FrameRateHz = 30 } };
        var r = EngagementRunner.Run(spec, "zem", 5, new RunOptions { EstimatorFactory = () => rec, ApplyDispersions = false });
        Assert.True(rec.Bearings.Count > 100, $"only {rec.Bearings.Count} bearings");
        double tick = 1.0 / spec.Guidance.GuidanceRateHz;
        foreach (var (arrival, stamp) in rec.Bearings)
        {
            double frames = stamp * 30;
            Assert.Equal(Math.Round(frames), frames, 6);                 // exposures on the 30 Hz frame clock
            double wait = arrival - (stamp + 0.05);
            Assert.InRange(wait, -1e-9, tick - 1e-9);                    // delivered at the first tick >= exposure + latency
        }
        // All but those still in flight (exposed within the last latency) when the run ended were delivered.
        Assert.InRange(rec.Bearings.Count, r.SeekerDetections - 2, r.SeekerDetections);
        foreach (var (arrival, stamp) in rec.Cues) Assert.InRange(arrival - (stamp + spec.Cue.LatencyS), -1e-9, tick - 1e-9);
    }

    [Fact]
    public void Detection_probability_falls_with_range()
    {
        var p = Params() with { MaxDetectionProbability = 0.9, DetectionRange50M = 1000, DetectionRangeWidthM = 100 };
        Assert.Equal(0.45, p.DetectionProbability(1000), 12);
        Assert.Equal(0.9 / (1 + Math.Exp(-5)), p.DetectionProbability(500), 12);
        Assert.True(p.DetectionProbability(2000) < 1e-4);
    }
}
