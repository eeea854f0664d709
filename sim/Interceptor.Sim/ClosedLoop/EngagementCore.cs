using Interceptor.Autopilot;
using Interceptor.Core;
using Interceptor.Engagement;

namespace Interceptor.Sim.ClosedLoop;

/// <summary>The part of a closed-loop run outside the autopilot: the scenario's target (moved so the
/// scenario's interceptor start coincides with where the real vehicle is when guidance takes over), our
/// seeker and C2 cue models and the InterceptPipeline, built exactly as the pure simulator builds them
/// (<see cref="EngagementSensorsAndPipeline"/>, camera field-of-view keeping included) but fed with own-state
/// from autopilot telemetry, and the closest-approach bookkeeping. Times: <c>t</c> is the session clock [s]; engagement time is t - StartS.
/// Steps allocate nothing (except trajectory samples when recording).</summary>
internal sealed class EngagementCore
{
    private readonly ScenarioSpec _spec;
    private readonly ClosedLoopOptions _o;
    private readonly EngagementSensorsAndPipeline _stack;
    private readonly List<TrajectorySample>? _trajectory;
    private double _nextSampleS;

    private double _minRange = double.PositiveInfinity, _tca, _closingAtCpa, _peakAcc;
    private Vector3d _missVec;
    private bool _hadTrack;
    private double _lastTrackS = double.NaN;
    private PipelineOutput _last;

    public EngagementCore(ScenarioSpec spec, string lawName, ulong seed, ClosedLoopOptions o, Vector3d ownStartNed, double startS)
    {
        _spec = spec;
        _o = o;
        StartS = startS;
        LawName = EngagementSensorsAndPipeline.ResolveLaw(spec, lawName);
        // The same world, sensors and pipeline (camera field-of-view keeping included) as the pure simulator;
        // the target is moved so the scenario's interceptor start lies at ownStartNed.
        var runOptions = new RunOptions { ApplyDispersions = o.ApplyDispersions, Noiseless = o.Noiseless, TrackLossTimeoutS = o.TrackLossTimeoutS };
        _stack = new EngagementSensorsAndPipeline(spec, LawName, seed, runOptions, ownStartNed, startS);
        if (o.RecordTrajectory) _trajectory = new List<TrajectorySample>(4096);
        _nextSampleS = 0;
    }

    public double StartS { get; }
    public string LawName { get; }
    public PipelineOutput Last => _last;
    public double MinRangeM => _minRange;
    public bool HadTrack => _hadTrack;

    /// <summary>Target truth at session time <paramref name="t"/>, in the autopilot's local NED frame.</summary>
    public TargetKinematics TargetAt(double t) => _stack.TargetAt(t - StartS);

    /// <summary>Seeker frames and cues with exposure in [t0, t1) (session time). The camera sits on the true
    /// vehicle (<paramref name="truePos0"/>..<paramref name="truePos1"/>, attitude <paramref name="trueAtt"/>); the
    /// bearing is tagged with the own position the companion computer knows (telemetry, extrapolated).</summary>
    public void Sense(double t0, double t1, Vector3d truePos0, Vector3d truePos1, Quaterniond trueAtt, in OwnTelemetry telemetry)
    {
        double e0 = t0 - StartS, e1 = t1 - StartS;
        var pose = new StepPose(e0, t1 - t0, StartS, truePos0, truePos1, trueAtt, telemetry);
        _stack.Sense(e0, e1, ref pose);
    }

    /// <summary>One guidance cycle at session time <paramref name="t"/> with telemetry own-state.</summary>
    public GuidanceCommand Guide(double t, in OwnTelemetry telemetry)
    {
        var own = telemetry.At(t);
        _last = _stack.Step(t, own.PosNed, own.VelNed, own.YawRad);
        if (_last.Mode == PipelineMode.Guiding) { _hadTrack = true; _lastTrackS = t; }
        var sp = _last.Setpoint;
        return new GuidanceCommand(t, sp.AccelerationNedMs2, sp.YawRad, YawValid: true);
    }

    public bool TrackLost(double t) => _hadTrack && _last.Mode == PipelineMode.NoTrack && t - _lastTrackS > _o.TrackLossTimeoutS;
    public bool Aborted => _last.Mode == PipelineMode.Aborted;

    /// <summary>Closest approach over [t0, t1] with the relative position linear inside the step.</summary>
    public void Track(double t0, double t1, Vector3d own0, Vector3d own1, Vector3d ownVel1, Vector3d ownAcc1)
    {
        var g0 = TargetAt(t0); var g1 = TargetAt(t1);
        var r0 = g0.PosNedM - own0; var r1 = g1.PosNedM - own1;
        var d = r1 - r0;
        double s = d.LengthSquared > 1e-18 ? Math.Clamp(-Vector3d.Dot(r0, d) / d.LengthSquared, 0, 1) : 1;
        var r = r0 + d * s;
        double range = r.Length;
        double acc = ownAcc1.Length;
        if (acc > _peakAcc) _peakAcc = acc;
        if (range < _minRange)
        {
            _minRange = range; _tca = t0 + s * (t1 - t0) - StartS; _missVec = r;
            _closingAtCpa = (g1.VelNedMs - ownVel1).Length;
        }
        if (_trajectory is not null && t1 - StartS >= _nextSampleS)
        {
            _nextSampleS += _o.TrajectoryIntervalS;
            bool has = _last.Mode == PipelineMode.Guiding;
            _trajectory.Add(new TrajectorySample(t1 - StartS, own1, g1.PosNedM, ownVel1, g1.VelNedMs,
                has ? _last.Estimate.PosNed : g1.PosNedM, has, false));
        }
    }

    /// <summary>True once the range opens again after the closest approach (as the simulator decides it).</summary>
    public bool PastClosestApproach(double t, Vector3d ownPos, Vector3d ownVel)
    {
        var g = TargetAt(t);
        var rel = g.PosNedM - ownPos;
        var relVel = g.VelNedMs - ownVel;
        double range = rel.Length;
        return range > 1e-9 && Vector3d.Dot(rel, relVel) > 0 && range > _minRange + 1.0;
    }

    public EngagementResult Result(EngagementOutcome outcome, double endS) => new()
    {
        Scenario = _spec.Name,
        Law = LawName,
        Seed = 0,
        Outcome = outcome,
        MissDistanceM = _minRange,
        TimeOfClosestApproachS = _tca,
        MissVectorNedM = _missVec,
        ClosingSpeedMs = _closingAtCpa,
        PeakAccelMs2 = _peakAcc,
        EndTimeS = endS - StartS,
        SeekerDetections = _stack.SeekerDetections,
        SeekerFrames = _stack.SeekerFrames,
        FirstDetectionTimeS = _stack.FirstDetectionS,
        GateInterventions = _stack.GateInterventions,
        Trajectory = _trajectory is null ? [] : _trajectory.ToArray(),
    };

    /// <summary>The real vehicle inside the sensing interval: position linear between the two truth samples,
    /// attitude the later sample's; bearings are tagged with the telemetry position extrapolated to the exposure.</summary>
    private readonly struct StepPose(double e0, double h, double startS, Vector3d truePos0, Vector3d truePos1,
        Quaterniond trueAtt, OwnTelemetry telemetry) : IOwnPoseSource
    {
        public void At(double engagementS, out Vector3d truePosNedM, out Quaterniond attitude, out Vector3d taggedPosNedM)
        {
            double s = h > 0 ? (engagementS - e0) / h : 0;
            truePosNedM = Vector3d.Lerp(truePos0, truePos1, s);
            attitude = trueAtt;
            taggedPosNedM = telemetry.At(engagementS + startS).PosNed;
        }
    }
}
