using Interceptor.Core;

namespace Interceptor.Estimation;

/// <summary>Which motion models the estimator runs.</summary>
public enum ModelSet
{
    /// <summary>Single constant-velocity Kalman filter (no acceleration estimate).</summary>
    ConstantVelocity,
    /// <summary>Single constant-acceleration (white-jerk) Kalman filter.</summary>
    ConstantAcceleration,
    /// <summary>Interacting multiple model mixing constant velocity and constant acceleration (default):
    /// follows weaving targets that defeat a single CV model without the CA model's noise on straight legs.</summary>
    Imm,
}

/// <summary>Tuning of <see cref="TargetEstimator"/>. Units in names; <see cref="Validate"/> names the field
/// and value of anything out of range. Defaults suit a Shahed-class target (45-51 m/s, weave 0.6-1 g,
/// period 5-15 s) seen by C2 cues (1-10 Hz, 2-20 m) and a 30 Hz seeker (~1 mrad).</summary>
public sealed record EstimatorConfig
{
    public ModelSet Models { get; init; } = ModelSet.Imm;

    /// <summary>CV model white-acceleration spectral density per axis [m^2/s^3].</summary>
    public double CvAccelNoiseDensity { get; init; } = 1.0;

    /// <summary>CA model white-jerk spectral density per axis [m^2/s^5].</summary>
    public double CaJerkNoiseDensity { get; init; } = 10.0;

    /// <summary>Constrain the manoeuvring model's acceleration to be perpendicular to the target velocity
    /// (turns at constant speed, as a cruising fixed wing weaves). Bearings cannot see acceleration along the
    /// line of sight; without this constraint a tail chase on a weaving target lets that unobserved
    /// component drift between cues. Consider turning it off when speed changes dominate (terminal dive).</summary>
    public bool ManeuverAccelPerpendicularToVelocity { get; init; } = true;

    /// <summary>IMM: mean time the target stays in the CV mode before switching [s].</summary>
    public double CvMeanSojournS { get; init; } = 10.0;

    /// <summary>IMM: mean time the target stays in the manoeuvring (CA) mode [s].</summary>
    public double CaMeanSojournS { get; init; } = 10.0;

    /// <summary>IMM: initial probability of the manoeuvring mode.</summary>
    public double InitialManeuverProbability { get; init; } = 0.2;

    /// <summary>Prior 1-sigma of the target velocity (mean zero) when a track starts from a position cue [m/s].</summary>
    public double InitialVelSigmaMps { get; init; } = 60.0;

    /// <summary>Prior 1-sigma of the target acceleration (mean zero) at track start [m/s^2].</summary>
    public double InitialAccSigmaMps2 { get; init; } = 5.0;

    /// <summary>Chi-square gate for 2-dof (bearing) innovations; 13.82 = 99.9 %.</summary>
    public double GateChi2Bearing { get; init; } = 13.8155;

    /// <summary>Chi-square gate for 3-dof (position cue) innovations; 16.27 = 99.9 %.</summary>
    public double GateChi2Position { get; init; } = 16.2662;

    /// <summary>Measurement history kept for out-of-sequence re-filtering (entries, fixed at construction).</summary>
    public int HistoryCapacity { get; init; } = 256;

    /// <summary>Measurements older than the newest by more than this are folded into the base state;
    /// a measurement older than the base is rejected as too old [s]. Must exceed the largest latency.</summary>
    public double HistoryWindowS { get; init; } = 2.0;

    /// <summary>Estimate is invalid when the query time is this long after the newest measurement [s].</summary>
    public double MaxCoastS { get; init; } = 5.0;

    /// <summary>Estimate is invalid while the position 1-sigma (sqrt trace) exceeds this [m].</summary>
    public double MaxValidPosSigmaM { get; init; } = 300.0;

    /// <summary>Covariance ceilings: per-axis 1-sigma caps for position [m], velocity [m/s] and acceleration
    /// [m/s^2]; bounds covariance growth with bearings only or long coasts.</summary>
    public double CeilingPosSigmaM { get; init; } = 5000.0;
    public double CeilingVelSigmaMps { get; init; } = 300.0;
    public double CeilingAccSigmaMps2 { get; init; } = 100.0;

    /// <summary>Bearings are skipped when the predicted range is below this (geometry degenerate) [m].</summary>
    public double MinBearingRangeM { get; init; } = 1.0;

    /// <summary>Divergence: this many consecutive gate rejections mark the track diverged (latched until Reset).</summary>
    public int MaxConsecutiveRejects { get; init; } = 30;

    /// <summary>Divergence: exponential average of NIS per degree of freedom above this marks the track diverged.</summary>
    public double MaxAverageNisPerDof { get; init; } = 6.0;

    /// <summary>Weight of the newest sample in the NIS average (0..1].</summary>
    public double NisAverageWeight { get; init; } = 0.05;

    /// <summary>Acceleration estimate is reported valid while its 1-sigma (sqrt trace) is below this [m/s^2].</summary>
    public double AccValidSigmaMps2 { get; init; } = 15.0;

    /// <summary>Own-state buffer capacity (samples) and how far past the newest sample it extrapolates [s].</summary>
    public int OwnStateCapacity { get; init; } = 256;
    public double OwnStateMaxExtrapolationS { get; init; } = 0.25;

    public static EstimatorConfig Default { get; } = new();

    /// <summary>Throws <see cref="ValidationException"/> naming the first bad field and its value.</summary>
    public EstimatorConfig Validate()
    {
        if (!Enum.IsDefined(Models)) Require.Fail(nameof(Models), (int)Models, "must be ConstantVelocity, ConstantAcceleration or Imm");
        Require.Positive(CvAccelNoiseDensity);
        Require.Positive(CaJerkNoiseDensity);
        Require.Positive(CvMeanSojournS);
        Require.Positive(CaMeanSojournS);
        Require.InRange(InitialManeuverProbability, 0, 1);
        Require.Positive(InitialVelSigmaMps);
        Require.Positive(InitialAccSigmaMps2);
        Require.Positive(GateChi2Bearing);
        Require.Positive(GateChi2Position);
        if (HistoryCapacity < 2 || HistoryCapacity > 100_000) Require.Fail(nameof(HistoryCapacity), HistoryCapacity, "must be in [2, 100000]");
        Require.Positive(HistoryWindowS);
        Require.Positive(MaxCoastS);
        Require.Positive(MaxValidPosSigmaM);
        Require.Positive(CeilingPosSigmaM);
        Require.Positive(CeilingVelSigmaMps);
        Require.Positive(CeilingAccSigmaMps2);
        Require.Positive(MinBearingRangeM);
        if (MaxConsecutiveRejects < 1) Require.Fail(nameof(MaxConsecutiveRejects), MaxConsecutiveRejects, "must be >= 1");
        Require.Positive(MaxAverageNisPerDof);
        Require.InRange(NisAverageWeight, double.Epsilon, 1);
        Require.Positive(AccValidSigmaMps2);
        if (OwnStateCapacity < 2 || OwnStateCapacity > 100_000) Require.Fail(nameof(OwnStateCapacity), OwnStateCapacity, "must be in [2, 100000]");
        Require.NonNegative(OwnStateMaxExtrapolationS);
        return this;
    }
}
