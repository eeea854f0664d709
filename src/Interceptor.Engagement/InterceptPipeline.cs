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

/// <summary>Geometry of a body-fixed forward camera, for keeping the target inside its field of view.</summary>
/// <param name="MountPitchRad">Camera boresight pitch above the body x axis [rad] (FPV-style uptilt &gt; 0).</param>
/// <param name="HalfHorizontalFovRad">Half the horizontal field of view [rad].</param>
/// <param name="HalfVerticalFovRad">Half the vertical field of view [rad].</param>
/// <param name="MarginRad">How far inside the image edges the target is kept [rad].</param>
public sealed record CameraFovConstraint(double MountPitchRad, double HalfHorizontalFovRad, double HalfVerticalFovRad, double MarginRad)
{
    public CameraFovConstraint Validate()
    {
        Require.InRange(MountPitchRad, -Math.PI / 2, Math.PI / 2, "CameraFovConstraint.MountPitchRad");
        Require.InRange(HalfHorizontalFovRad, 1e-3, Math.PI / 2, "CameraFovConstraint.HalfHorizontalFovRad");
        Require.InRange(HalfVerticalFovRad, 1e-3, Math.PI / 2, "CameraFovConstraint.HalfVerticalFovRad");
        Require.InRange(MarginRad, 0, Math.Min(HalfHorizontalFovRad, HalfVerticalFovRad), "CameraFovConstraint.MarginRad");
        return this;
    }
}

/// <summary>Tuning of <see cref="InterceptPipeline"/>.</summary>
public sealed record PipelineConfig
{
    /// <summary>Brake-to-hover time constant while there is no track [s].</summary>
    public double NoTrackBrakeTimeConstantS { get; init; } = 1.0;

    /// <summary>When set, keep the target in a body-fixed camera's view. A multirotor's attitude is dictated by its
    /// thrust vector, so only two freedoms are left: (1) the heading — chosen (within +-75 deg of the LOS azimuth)
    /// to put the target nearest the image centre for the commanded tilt, e.g. nose into a hard lateral
    /// manoeuvre so an uptilted camera is not rolled off the target; (2) when the target would still sit above
    /// the upper image edge (nose pitched down by acceleration or speed against drag), the forward part of the
    /// command (along the horizontal LOS) is cut, just enough to keep it <see cref="CameraFovConstraint.MarginRad"/>
    /// inside the edge; the across-LOS guidance part is never touched. Null = heading on the LOS azimuth.</summary>
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
    private readonly Quaterniond _cameraToBody;
    private bool _aborted;

    public InterceptPipeline(ITargetEstimator estimator, IGuidanceLaw law, MultirotorCommandShaper shaper, ISafetyGate gate, PipelineConfig? config = null)
    {
        _estimator = estimator ?? throw new ArgumentNullException(nameof(estimator));
        _law = law ?? throw new ArgumentNullException(nameof(law));
        _shaper = shaper ?? throw new ArgumentNullException(nameof(shaper));
        _gate = gate ?? throw new ArgumentNullException(nameof(gate));
        Config = (config ?? new PipelineConfig()).Validate();
        _invBrakeTau = 1.0 / Config.NoTrackBrakeTimeConstantS;
        _cameraToBody = Frames.CameraToBody(Config.CameraFov?.MountPitchRad ?? 0);
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

    /// <summary>Forward adjustment (bisection, at most 13 shaper evaluations) then heading search; allocation-free.</summary>
    private ShapedCommand KeepTargetInView(CameraFovConstraint fov, Vector3d lawAcc, in EngagementState state, double yawRad, ShapedCommand shaped)
    {
        var losH = new Vector3d(state.RelPosNed.X, state.RelPosNed.Y, 0);
        double lh = losH.Length;
        if (lh < 1e-9) return shaped;
        double limit = fov.HalfVerticalFovRad - fov.MarginRad;
        double el = ImageElevation(shaped, state.RelPosNed);
        if (Math.Abs(el) > limit)
        {
            // el < 0: target above the image (nose too far down): less forward command, down to level/braking.
            // el > 0: target below the image (an uptilted camera with too little nose-down pitch, e.g. in a hard
            // lateral manoeuvre): more forward command, up to 3 g more.
            var fwd = losH / lh;
            double aFwd = Vector3d.Dot(lawAcc, fwd);
            var across = lawAcc - fwd * aFwd;
            bool above = el < 0;
            double lo = aFwd, hi = above ? Math.Min(aFwd, 0) : aFwd + 3 * VehicleLimits.GravityMs2;
            var best = _shaper.Shape(across + fwd * hi, state, yawRad);
            double elBest = ImageElevation(best, state.RelPosNed);
            if (above ? elBest >= -limit : elBest <= limit)
            {
                for (int i = 0; i < 12; i++)
                {
                    double mid = 0.5 * (lo + hi);
                    var c = _shaper.Shape(across + fwd * mid, state, yawRad);
                    double e = ImageElevation(c, state.RelPosNed);
                    if (above ? e >= -limit : e <= limit) { hi = mid; best = c; }
                    else lo = mid;
                }
            }
            shaped = best;
        }
        return WithBestHeading(fov, shaped, state.RelPosNed);
    }

    /// <summary>Target elevation in the camera image [rad], positive below the image centre (optical y down).</summary>
    private double ImageElevation(in ShapedCommand c, Vector3d losNed)
    {
        var cam = _cameraToBody.RotateInverse(c.AttitudeNed.RotateInverse(losNed));
        return Math.Atan2(cam.Y, Math.Max(cam.Z, 1e-9));
    }

    /// <summary>Heading within +-75 deg of the LOS azimuth (5 deg grid, then 1 deg refinement) that minimises the
    /// target's normalised image excursion max(|az|/halfH, |el|/halfV) for the shaped thrust direction.
    /// Ties keep the heading closest to the LOS azimuth.</summary>
    private ShapedCommand WithBestHeading(CameraFovConstraint fov, in ShapedCommand shaped, Vector3d losNed)
    {
        var f = shaped.SpecificForceNed;
        double fl = f.Length;
        if (fl < 1e-9) return shaped;
        var zb = f / -fl;
        var camToBody = _cameraToBody;
        double losYaw = Math.Atan2(losNed.Y, losNed.X);
        double bestOff = 0, bestCost = ImageCost(fov, camToBody, zb, losYaw, losNed);
        if (bestCost <= 0.5) return shaped; // comfortably inside: keep the camera on the LOS azimuth
        const double coarse = 5 * Math.PI / 180, fine = Math.PI / 180;
        for (int i = -15; i <= 15; i++)
        {
            if (i == 0) continue;
            double off = i * coarse;
            double c = ImageCost(fov, camToBody, zb, losYaw + off, losNed);
            if (c < bestCost - 1e-9 || (Math.Abs(c - bestCost) <= 1e-9 && Math.Abs(off) < Math.Abs(bestOff))) { bestCost = c; bestOff = off; }
        }
        double center = bestOff;
        for (int i = -4; i <= 4; i++)
        {
            if (i == 0) continue;
            double off = center + i * fine;
            double c = ImageCost(fov, camToBody, zb, losYaw + off, losNed);
            if (c < bestCost - 1e-9) { bestCost = c; bestOff = off; }
        }
        if (bestOff == 0) return shaped;
        double yaw = Angles.WrapPi(losYaw + bestOff);
        var (sy, cy) = Math.SinCos(yaw);
        var q = MultirotorCommandShaper.AttitudeFromBodyZ(zb, cy, sy);
        var lb = q.RotateInverse(losNed);
        double camElev = Math.Atan2(-lb.Z, Math.Sqrt(lb.X * lb.X + lb.Y * lb.Y));
        return shaped with { YawRad = yaw, AttitudeNed = q, CameraLosElevationRad = camElev };
    }

    private static double ImageCost(CameraFovConstraint fov, Quaterniond camToBody, Vector3d zb, double yaw, Vector3d losNed)
    {
        var (sy, cy) = Math.SinCos(yaw);
        var q = MultirotorCommandShaper.AttitudeFromBodyZ(zb, cy, sy);
        var cam = camToBody.RotateInverse(q.RotateInverse(losNed));
        if (!(cam.Z > 0)) return 10;
        double az = Math.Abs(Math.Atan2(cam.X, cam.Z)) / fov.HalfHorizontalFovRad;
        double el = Math.Abs(Math.Atan2(cam.Y, cam.Z)) / fov.HalfVerticalFovRad;
        return Math.Max(az, el);
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
