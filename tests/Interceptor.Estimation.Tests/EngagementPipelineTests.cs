using Interceptor.Core;
using Interceptor.Estimation;
using Xunit.Abstractions;
using static Interceptor.Estimation.Tests.TestScenarios;

namespace Interceptor.Estimation.Tests;

/// <summary>The estimator as the flight pipeline uses it: own state from telemetry (50 Hz), a late C2 cue
/// stream (1 Hz, 10 m, 0.5 s latency) and a seeker (30 Hz, 1 mrad, 50 ms latency), queried at 50 Hz by
/// guidance while an interceptor closes on a Shahed-class target from behind.</summary>
public class EngagementPipelineTests(ITestOutputHelper output)
{
    private sealed record Metrics(int NearSamples, double WorstNearM, double WorstCrossNearM, double WorstLosRateNearRadS,
        TargetEstimator Estimator);

    private Metrics Run(ModelSet models, double weaveG, int seed)
    {
        var tgt = new WeavingTarget(new Vector3d(1800, 400, -300), 48, weaveG * 9.81, 10);
        var est = new TargetEstimator(new EstimatorConfig { Models = models });
        var rng = new Random(seed);
        // Interceptor kinematics: 75 m/s towards a crude lead point on the true target (a stand-in for
        // guidance; the estimator is what is under test). Loop at 150 Hz: seeker every 5th step (30 Hz),
        // telemetry and guidance queries every 3rd (50 Hz), cue every 150th (1 Hz).
        Vector3d own = new(0, 0, -250), ownVel = new(60, 0, 0);
        const double dt = 1.0 / 150, seekerLatency = 0.05, cueLatency = 0.5;
        var pendingSeeker = new Queue<(double T, Vector3d Los)>();
        var pendingCue = new Queue<(double T, Vector3d Pos)>();
        double worstNear = 0, worstCross = 0, worstLosRate = 0;
        int near = 0;
        for (int k = 0; k < 15000; k++)
        {
            double t = k * dt;
            Vector3d rel = tgt.Pos(t) - own;
            double range = rel.Length;
            if (range < 30) break;
            if (k % 3 == 0) est.AddOwnState(t, own, ownVel);
            if (k % 150 == 0) pendingCue.Enqueue((t, tgt.Pos(t) + GaussVec(rng, 10)));
            if (k % 5 == 0) pendingSeeker.Enqueue((t, NoisyLos(rng, rel, 1e-3)));
            while (pendingCue.Count > 0 && pendingCue.Peek().T + cueLatency <= t + 1e-9)
            {
                var c = pendingCue.Dequeue();
                est.AddPositionCue(c.T, c.Pos, 10);
            }
            while (pendingSeeker.Count > 0 && pendingSeeker.Peek().T + seekerLatency <= t + 1e-9)
            {
                var b = pendingSeeker.Dequeue();
                est.AddBearing(b.T, b.Los, 1e-3);
            }
            if (k % 3 == 0 && range < 300 && est.TryGetRelative(t, out var r, out _))
            {
                Vector3d trueRelVel = tgt.Vel(t) - ownVel;
                Vector3d trueLosRate = Vector3d.Cross(rel, trueRelVel) / rel.LengthSquared;
                Vector3d err = r.RelPosNed - rel;
                worstNear = Math.Max(worstNear, err.Length);
                worstCross = Math.Max(worstCross, err.RejectFrom(rel / range).Length);
                worstLosRate = Math.Max(worstLosRate, (r.LosRateNedRadS - trueLosRate).Length);
                near++;
            }
            Vector3d aim = tgt.Pos(t + range / 120) - own;
            ownVel = aim / aim.Length * 75;
            own += ownVel * dt;
        }
        output.WriteLine($"{models} weave {weaveG} g: inside 300 m ({near} samples) worst error {worstNear:F2} m, " +
                         $"cross-LOS {worstCross:F2} m, LOS rate {worstLosRate * 1e3:F1} mrad/s; {est.Counters}");
        return new Metrics(near, worstNear, worstCross, worstLosRate, est);
    }

    [Fact]
    public void Imm_keeps_the_end_game_relative_estimate_tight_on_a_weaving_shahed()
    {
        var m = Run(ModelSet.Imm, 0.8, 17);
        Assert.True(m.NearSamples > 400);
        Assert.Equal(DivergenceReason.None, m.Estimator.Divergence);
        Assert.True(m.WorstCrossNearM < 1.0, $"cross-LOS error {m.WorstCrossNearM}");
        Assert.True(m.WorstNearM < 8, $"relative position error {m.WorstNearM}");
        Assert.True(m.WorstLosRateNearRadS < 0.03, $"LOS rate error {m.WorstLosRateNearRadS}");
        Assert.True(m.Estimator.Counters.OutOfSequence > 50); // every cue arrived after later bearings
    }

    [Fact]
    public void Imm_end_game_error_is_well_below_a_single_cv_filter_on_a_weaving_shahed()
    {
        var imm = Run(ModelSet.Imm, 0.8, 17);
        var cv = Run(ModelSet.ConstantVelocity, 0.8, 17);
        Assert.True(imm.WorstNearM < 0.5 * cv.WorstNearM, $"IMM {imm.WorstNearM} vs CV {cv.WorstNearM}");
        Assert.True(imm.WorstLosRateNearRadS < cv.WorstLosRateNearRadS);
    }

    [Fact]
    public void Imm_end_game_on_a_straight_shahed_is_limited_by_cue_range_accuracy_only()
    {
        var m = Run(ModelSet.Imm, 0.0, 17);
        Assert.Equal(DivergenceReason.None, m.Estimator.Divergence);
        Assert.True(m.WorstCrossNearM < 1.0, $"cross-LOS error {m.WorstCrossNearM}");
        Assert.True(m.WorstNearM < 15, $"relative position error {m.WorstNearM}"); // along-LOS: 10 m cues
    }
}
