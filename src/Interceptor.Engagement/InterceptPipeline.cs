using Interceptor.Core;
using Interceptor.Estimation;
using Interceptor.Guidance;

namespace Interceptor.Engagement;

/// <summary>Mode of the pipeline after a step.</summary>
public enum PipelineMode
{
    /// <summary>No valid target estimate: brake to hover and wait for one.</summary>
    NoTrack,
    /// <summary>Guiding on the estimate.</summary>
    Guiding,
    /// <summary>The safety gate rejected a command; latched until <see cref="InterceptPipeline.Reset"/>.</summary>
    Aborted,
}

/// <summary>Everything one pipeline step decided, for logging and plotting. All fields finite.</summary>
public readonly record struct PipelineOutput(
    double TimeS,
    PipelineMode Mode,
    /// <summary>Target estimate at TimeS (default when Mode is NoTrack).</summary>
    TargetEstimate Estimate,
    /// <summary>The law's raw acceleration command [m/s^2, NED] (zero without a track).</summary>
    Vector3d LawAccelNedMs2,
    /// <summary>The shaper's output (limits applied).</summary>
    ShapedCommand Shaped,
    /// <summary>The gate's decision; its Setpoint is what goes to the autopilot.</summary>
    GateDecision Gate)
{
    public VehicleSetpoint Setpoint => Gate.Setpoint;
}

/// <summary>Geometry of a body-fixed forward camera, for keeping the target inside its vertical field of view.</summary>
/// <param name="MountPitchRad">Camera boresight pitch above the body x axis [rad] (FPV-style uptilt &gt; 0).</param>
/// <param name="HalfVerticalFovRad">Half the vertical field of view [rad].</param>
/// <param name="MarginRad">How far inside the upper image edge the target is kept [rad].</param>
public sealed record CameraFovConstraint(double MountPitchRad, double HalfVerticalFovRad, double MarginRad)
{
    public CameraFovConstraint Validate()
    {
        Require.InRange(MountPitchRad, -Math.PI / 2, Math.PI / 2, "CameraFovConstraint.MountPitchRad");
        Require.InRange(HalfVerticalFovRad, 1e-3, Math.PI / 2, "CameraFovConstraint.HalfVerticalFovRad");
        Require.InRange(MarginRad, 0, HalfVerticalFovRad, "CameraFovConstraint.MarginRad");
        return this;
    }
}

/// <summary>Tuning of <see cref="InterceptPipeline"/>.</summary>
public sealed record PipelineConfig
{
    /// <summary>Brake-to-hover time constant while there is no track [s].</summary>
    public double NoTrackBrakeTimeConstantS { get; init; } = 1.0;

    /// <summary>When set, keep the target in a body-fixed camera's view: a multirotor accelerating (or holding
    /// speed against drag) towards the target pitches nose-down, which swings a fixed camera's boresight below
    /// the target. The forward part of the command (along the horizontal LOS) is then cut, just enough that
    /// the target stays <see cref="CameraFovConstraint.MarginRad"/> inside the upper image edge; the across-LOS
    /// guidance part is untouched. Null = no constraint.</summary>
    public CameraFovConstraint? CameraFov { get; init; }

    public PipelineConfig Validate()
    {
        Require.Positive(NoTrackBrakeTimeConstantS, "PipelineConfig.NoTrackBrakeTimeConstantS");
        CameraFov?.Validate();
        return this;
    }
}

/// <summary>The simulator-independent guidance loop of one interceptor:
/// measurements (seeker bearings, C2 cues, each with its own timestamp) -> estimator -> relative
/// engagement state at the current time -> guidance law -> multirotor command shaper (limits, gravity,
/// camera yaw) -> the one safety gate -> autopilot setpoint. The simulator and the MAVLink autopilot loop
/// both drive it the same way: feed measurements as they arrive, call <see cref="Step"/> at the setpoint
/// rate with the autopilot's own-state, send <see cref="PipelineOutput.Setpoint"/>.
/// Allocation-free per step; not thread-safe (one loop owns it).</summary>
public sealed class InterceptPipeline
{
    private readonly ITargetEstimator _estimator;
    private readonly IGuidanceLaw _law;
    private readonly MultirotorCommandShaper _shaper;
    private readonly ISafetyGate _gate;
    private readonly double _invBrakeTau;
    private bool _aborted;

    public InterceptPipeline(ITargetEstimator estimator, IGuidanceLaw law, MultirotorCommandShaper shaper, ISafetyGate gate, PipelineConfig? config = null)
    {
        _estimator = estimator ?? throw new ArgumentNullException(nameof(estimator));
        _law = law ?? throw new ArgumentNullException(nameof(law));
        _shaper = shaper ?? throw new ArgumentNullException(nameof(shaper));
        _gate = gate ?? throw new ArgumentNullException(nameof(gate));
        Config = (config ?? new PipelineConfig()).Validate();
        _invBrakeTau = 1.0 / Config.NoTrackBrakeTimeConstantS;
    }

    public PipelineConfig Config { get; }
    public ITargetEstimator Estimator => _estimator;
    public IGuidanceLaw Law => _law;
    public bool IsAborted => _aborted;

    /// <summary>Position cue (C2 / radar), timestamped at its measurement time.</summary>
    public void AddPositionCue(double timeS, Vector3d targetPosNedM, double sigmaM) =>
        _estimator.AddPositionCue(timeS, targetPosNedM, sigmaM);

    /// <summary>Seeker bearing (unit LOS in NED from <paramref name="ownPosNedM"/>), timestamped at exposure.</summary>
    public void AddBearing(double timeS, Vector3d ownPosNedM, Vector3d losUnitNed, double sigmaRad) =>
        _estimator.AddBearing(timeS, ownPosNedM, losUnitNed, sigmaRad);

    /// <summary>Clears the abort latch and the estimator (a new engagement).</summary>
    public void Reset()
    {
        _aborted = false;
        _estimator.Reset();
    }

    /// <summary>Cuts the forward (along the horizontal LOS) part of <paramref name="lawAcc"/> until the target's
    /// image elevation (LOS above the boresight) is at most the half-FOV minus the margin. Bisection on the
    /// forward scale, 12 shaper evaluations at most, allocation-free.</summary>
    private ShapedCommand KeepTargetInView(CameraFovConstraint fov, Vector3d lawAcc, in EngagementState state, double yawRad, ShapedCommand shaped)
    {
        double limit = fov.HalfVerticalFovRad - fov.MarginRad;
        if (shaped.CameraLosElevationRad - fov.MountPitchRad <= limit) return shaped;
        var losH = new Vector3d(state.RelPosNed.X, state.RelPosNed.Y, 0);
        double lh = losH.Length;
        if (lh < 1e-9) return shaped;
        var fwd = losH / lh;
        double aFwd = Vector3d.Dot(lawAcc, fwd);
        var across = lawAcc - fwd * aFwd;
        // Forward command that levels the airframe as far as possible: zero acceleration, or braking when the
        // law itself was braking. Only the part that pitches the nose down is cut.
        double lo = Math.Min(aFwd, 0), hi = aFwd;
        var best = _shaper.Shape(across + fwd * lo, state, yawRad);
        if (best.CameraLosElevationRad - fov.MountPitchRad > limit) return best; // even level flight cannot see it
        for (int i = 0; i < 12; i++)
        {
            double mid = 0.5 * (lo + hi);
            var c = _shaper.Shape(across + fwd * mid, state, yawRad);
            if (c.CameraLosElevationRad - fov.MountPitchRad <= limit) { lo = mid; best = c; }
            else hi = mid;
        }
        return best;
    }

    /// <summary>One guidance cycle at <c>own.TimeS</c>.</summary>
    public PipelineOutput Step(in OwnVehicleState own)
    {
        if (_estimator.TryGetEstimate(own.TimeS, out var est) && est.PosNed.IsFinite && est.VelNed.IsFinite && !_aborted)
        {
            var state = new EngagementState(
                est.PosNed - own.PosNedM,
                est.VelNed - own.VelNedMs,
                own.VelNedMs,
                est.AccValid && est.AccNed.IsFinite ? est.AccNed : Vector3d.Zero,
                est.AccValid && est.AccNed.IsFinite);
            var lawAcc = _law.AccelerationCommandNed(state);
            var shaped = _shaper.Shape(lawAcc, state, own.YawRad);
            if (Config.CameraFov is { } fov) shaped = KeepTargetInView(fov, lawAcc, state, own.YawRad, shaped);
            var gate = _gate.Check(own, new VehicleSetpoint(shaped.AccelerationNed, shaped.YawRad));
            if (gate.Verdict == GateVerdict.Rejected) _aborted = true;
            return new PipelineOutput(own.TimeS, _aborted ? PipelineMode.Aborted : PipelineMode.Guiding, est, lawAcc, shaped, gate);
        }
        else
        {
            // No track (or aborted): brake to hover, heading held, still through the gate.
            var brake = own.VelNedMs.IsFinite ? own.VelNedMs * -_invBrakeTau : Vector3d.Zero;
            var shaped = _shaper.Shape(brake, own.VelNedMs, Vector3d.Zero, own.YawRad);
            var gate = _gate.Check(own, new VehicleSetpoint(shaped.AccelerationNed, shaped.YawRad));
            if (gate.Verdict == GateVerdict.Rejected) _aborted = true;
            return new PipelineOutput(own.TimeS, _aborted ? PipelineMode.Aborted : PipelineMode.NoTrack, default, Vector3d.Zero, shaped, gate);
        }
    }
}
