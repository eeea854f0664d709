using Interceptor.Core;

namespace Interceptor.Sim.Tests;

public class EngagementRunnerTests
{
    [Fact]
    public void Closest_approach_of_a_flyby_is_exact_between_steps()
    {
        // Interceptor holds a hover (no track); the target flies past at 50 m/s with a 7.3 m offset.
        // The closest approach (t = 2.01 s) falls inside a 10 ms step and must come out exact.
        var spec = TestScenarios.Crossing(dtS: 0.01) with
        {
            Target = new TargetSpec { Kind = TargetSpec.ConstantVelocity, StartPosNedM = new(100.5, 7.3, -100), SpeedMs = 50, HeadingDeg = 180 },
            Sim = new SimSpec { DtS = 0.01, MaxTimeS = 4 },
        };
        var r = EngagementRunner.Run(spec, "zem", 1, new RunOptions { EstimatorFactory = () => new NeverTracks(), ApplyDispersions = false });
        Assert.Equal(7.3, r.MissDistanceM, 9);
        Assert.Equal(2.01, r.TimeOfClosestApproachS, 9);
        Assert.Equal(new Vector3d(0, 7.3, 0).East, r.MissVectorNedM.East, 9);
        Assert.Equal(50, r.ClosingSpeedMs, 9);
    }

    [Fact]
    public void Miss_distance_does_not_depend_on_the_step_size()
    {
        var opts = new RunOptions { Noiseless = true, ApplyDispersions = false };
        var coarse = EngagementRunner.Run(TestScenarios.Crossing(0.0025), "zem", 3, opts);
        var fine = EngagementRunner.Run(TestScenarios.Crossing(0.0025 / 4), "zem", 3, opts);
        Assert.Equal(EngagementOutcome.ClosestApproach, coarse.Outcome);
        Assert.Equal(coarse.MissDistanceM, fine.MissDistanceM, 3);     // within 0.5 mm
        Assert.Equal(coarse.TimeOfClosestApproachS, fine.TimeOfClosestApproachS, 4);
    }

    [Fact]
    public void Noiseless_constant_velocity_target_is_intercepted_within_half_a_metre_by_the_default_law()
    {
        var r = EngagementRunner.Run(TestScenarios.Crossing(), "default", 11, new RunOptions { Noiseless = true, ApplyDispersions = false });
        Assert.Equal(EngagementOutcome.ClosestApproach, r.Outcome);
        Assert.True(r.MissDistanceM < 0.5, $"miss {r.MissDistanceM} m");
        Assert.True(r.SeekerDetections > 0);
        Assert.True(r.PeakAccelMs2 > 5 && double.IsFinite(r.PeakAccelMs2));
    }

    [Fact]
    public void Same_seed_gives_bit_identical_results_on_any_thread_and_different_seeds_differ()
    {
        var spec = TestScenarios.Crossing() with
        {
            Dispersions = new DispersionSpec { TargetStartOffsetNedM = new(50, 50, 10), SensorNoiseScale = new ValueRange(0.5, 1.5) },
        };
        var opts = new RunOptions { RecordTrajectory = true };
        var a = EngagementRunner.Run(spec, "zem", 42, opts);
        var results = new EngagementResult[4];
        Parallel.For(0, 4, i => results[i] = EngagementRunner.Run(spec, "zem", 42, opts));
        foreach (var b in results)
        {
            Assert.Equal(BitConverter.DoubleToInt64Bits(a.MissDistanceM), BitConverter.DoubleToInt64Bits(b.MissDistanceM));
            Assert.Equal(a.TimeOfClosestApproachS, b.TimeOfClosestApproachS);
            Assert.Equal(a.PeakAccelMs2, b.PeakAccelMs2);
            Assert.Equal(a.SeekerDetections, b.SeekerDetections);
            Assert.Equal(a.Trajectory, b.Trajectory);
        }
        var c = EngagementRunner.Run(spec, "zem", 43, opts);
        Assert.NotEqual(a.MissDistanceM, c.MissDistanceM);
        Assert.NotEqual(a.Trajectory[0].TargetPosNedM, c.Trajectory[0].TargetPosNedM); // different dispersion draw
    }

    [Fact]
    public void Trajectory_is_decimated_time_ordered_and_contains_the_closest_approach()
    {
        var r = EngagementRunner.Run(TestScenarios.Crossing(), "zem", 2, new RunOptions { RecordTrajectory = true, TrajectoryIntervalS = 0.5 });
        Assert.True(r.Trajectory.Count > 10);
        for (int i = 1; i < r.Trajectory.Count; i++) Assert.True(r.Trajectory[i].TimeS >= r.Trajectory[i - 1].TimeS);
        var cpa = Assert.Single(r.Trajectory, s => s.TimeS == r.TimeOfClosestApproachS);
        Assert.Equal(r.MissDistanceM, (cpa.TargetPosNedM - cpa.InterceptorPosNedM).Length, 9);
    }

    [Fact]
    public void Dispersions_stay_within_their_ranges_and_can_be_switched_off()
    {
        var spec = TestScenarios.Crossing() with
        {
            Dispersions = new DispersionSpec { InterceptorStartOffsetNedM = new(10, 0, 2), TargetStartOffsetNedM = new(0, 30, 0) },
        };
        var nominal = WorldSetup.Create(spec, 9, applyDispersions: false, noiseless: false);
        Assert.Equal(spec.Interceptor.StartPosNedM, nominal.InterceptorStart.PosNedM);
        Assert.Equal(spec.Target.StartPosNedM, nominal.Target.StateAt(0).PosNedM);
        for (ulong seed = 0; seed < 50; seed++)
        {
            var w = WorldSetup.Create(spec, seed, applyDispersions: true, noiseless: false);
            var di = w.InterceptorStart.PosNedM - spec.Interceptor.StartPosNedM;
            var dt = w.Target.StateAt(0).PosNedM - spec.Target.StartPosNedM;
            Assert.InRange(Math.Abs(di.North), 0, 10); Assert.Equal(0, di.East); Assert.InRange(Math.Abs(di.Down), 0, 2);
            Assert.Equal(0, dt.North); Assert.InRange(Math.Abs(dt.East), 0, 30); Assert.Equal(0, dt.Down);
        }
    }

    [Fact]
    public void Unknown_law_and_bad_step_ratio_are_rejected_with_the_field_named()
    {
        var e1 = Assert.Throws<ValidationException>(() => EngagementRunner.Run(TestScenarios.Crossing(), "warp-drive", 1));
        Assert.Contains("warp-drive", e1.Message);
        var e2 = Assert.Throws<ValidationException>(() => EngagementRunner.Run(TestScenarios.Crossing(0.003), "zem", 1));
        Assert.Contains("Sim.DtS = 0.003", e2.Message);
    }
}
