using Interceptor.Autopilot;
using Interceptor.Core;
using Interceptor.Engagement;
using Interceptor.Estimation;
using Interceptor.Guidance;

namespace Interceptor.Sim.ClosedLoop;

/// <summary>The part of a closed-loop run outside the autopilot: the scenario's target (moved so the
/// scenario's interceptor start coincides with where the real vehicle is when guidance takes over), our
/// seeker and C2 cue models, the InterceptPipeline fed with own-state from autopilot telemetry, and the
/// closest-approach bookkeeping. Times: <c>t</c> is the session clock [s]; engagement time is t - StartS.
/// Steps allocate nothing (except trajectory samples when recording).</summary>
internal sealed class EngagementCore
{
    private readonly ScenarioSpec _spec;
    private readonly ClosedLoopOptions _o;
    private readonly ITargetModel _target;
    private readonly Vector3d _shift;
    private readonly SeekerParams _seeker;
    private readonly CueParams _cue;
    private readonly double _seekerSigmaRad, _cueSigmaM;
    private readonly InterceptPipeline _pipeline;
    private readonly Fifo<BearingMeasurement> _bearings;
    private readonly Fifo<CueMeasurement> _cues;
    private readonly List<TrajectorySample>? _trajectory;
    private SimRandom _seekerNoise, _seekerDetect, _cueNoise;
    private long _nextFrame, _nextCue;
    private double _nextSampleS;

    private double _minRange = double.PositiveInfinity, _tca, _closingAtCpa, _peakAcc;
    private Vector3d _missVec;
    private int _frames, _detections, _gateInterventions;
    private double? _firstDetection;
    private bool _hadTrack;
    private double _lastTrackS = double.NaN;
    private PipelineOutput _last;

    public EngagementCore(ScenarioSpec spec, string lawName, ulong seed, ClosedLoopOptions o, Vector3d ownStartNed, double startS)
    {
        _spec = spec;
        _o = o;
        StartS = startS;
        string law = lawName.Trim();
        if (law.Length == 0 || law.Equals("default", StringComparison.OrdinalIgnoreCase)) law = spec.Guidance.Law;
        if (law.Equals("default", StringComparison.OrdinalIgnoreCase)) law = GuidanceLaws.DefaultName;
        if (!GuidanceLaws.IsKnown(law))
            throw new ValidationException($"law = '{lawName}': unknown guidance law; valid names: default, {string.Join(", ", GuidanceLaws.Names)}");
        LawName = law.ToLowerInvariant();

        var world = WorldSetup.Create(spec, seed, o.ApplyDispersions, o.Noiseless);
        _shift = ownStartNed - world.InterceptorStart.PosNedM;
        _target = world.Target;
        _seeker = world.Seeker;
        _cue = world.Cue;
        _seekerSigmaRad = Math.Max(spec.Seeker.NoiseMrad * 1e-3, 1e-4);
        _cueSigmaM = Math.Max(spec.Cue.PositionNoiseM, 0.1);
        _seekerNoise = SimRandom.ForStream(seed, WorldSetup.StreamSeekerNoise);
        _seekerDetect = SimRandom.ForStream(seed, WorldSetup.StreamSeekerDetect);
        _cueNoise = SimRandom.ForStream(seed, WorldSetup.StreamCue);

        var p = world.Vehicle;
        var limits = new VehicleLimits(p.MaxSpeedMs, p.MaxTiltRad, p.ThrustToWeight, 1.0 / p.ThrustToWeight, MultirotorModel.MinThrustAccMs2 / Wgs84.GravityMs2);
        var gcfg = GuidanceConfig.ForVehicle(limits);
        if (spec.Guidance.NavigationGain is { } n) gcfg = gcfg with { NavigationConstant = n };
        var gate = new BasicSafetyGate(new SafetyGateConfig
        {
            AltitudeFloorM = spec.Safety.AltitudeFloorM,
            GeofenceCenterNedM = ownStartNed,
            GeofenceRadiusM = spec.Safety.GeofenceRadiusM,
        });
        _pipeline = new InterceptPipeline(new TargetEstimator(), GuidanceLaws.Create(LawName, gcfg), new MultirotorCommandShaper(limits), gate);
        _bearings = new Fifo<BearingMeasurement>((int)Math.Ceiling(_seeker.LatencyS / _seeker.FramePeriodS) + 4);
        _cues = new Fifo<CueMeasurement>((int)Math.Ceiling(_cue.LatencyS / _cue.PeriodS) + 4);
        if (o.RecordTrajectory) _trajectory = new List<TrajectorySample>(4096);
        _nextSampleS = 0;
    }

    public double StartS { get; }
    public string LawName { get; }
    public PipelineOutput Last => _last;
    public double MinRangeM => _minRange;
    public bool HadTrack => _hadTrack;

    /// <summary>Target truth at session time <paramref name="t"/>, in the autopilot's local NED frame.</summary>
    public TargetKinematics TargetAt(double t)
    {
        var k = _target.StateAt(t - StartS);
        return k with { PosNedM = k.PosNedM + _shift };
    }

    /// <summary>Seeker frames and cues with exposure in [t0, t1) (session time). The camera sits on the true
    /// vehicle (<paramref name="truePos0"/>..<paramref name="truePos1"/>, attitude <paramref name="trueAtt"/>); the
    /// bearing is tagged with the own position the companion computer knows (telemetry, extrapolated).</summary>
    public void Sense(double t0, double t1, Vector3d truePos0, Vector3d truePos1, Quaterniond trueAtt, in OwnTelemetry telemetry)
    {
        double e0 = t0 - StartS, e1 = t1 - StartS, h = t1 - t0;
        if (_seeker.Enabled)
        {
            while (_nextFrame * _seeker.FramePeriodS < e1)
            {
                double tf = _nextFrame * _seeker.FramePeriodS;
                _nextFrame++;
                if (tf < e0) continue;
                double s = h > 0 ? (tf - e0) / h : 0;
                var truePos = Vector3d.Lerp(truePos0, truePos1, s);
                var tgt = TargetAt(tf + StartS);
                _frames++;
                var known = telemetry.At(tf + StartS).PosNed;
                if (SeekerModel.TryMeasure(_seeker, tf + StartS, truePos, trueAtt, tgt.PosNedM, _seekerSigmaRad,
                        ref _seekerNoise, ref _seekerDetect, out var m, out _))
                {
                    _detections++;
                    _firstDetection ??= tf;
                    _bearings.Enqueue(m with { OwnPosNedM = known });
                }
            }
        }
        if (_cue.Enabled)
        {
            while (_nextCue * _cue.PeriodS < e1)
            {
                double tc = _nextCue * _cue.PeriodS;
                _nextCue++;
                if (tc < e0) continue;
                if (_cue.StopAfterSeekerTrackS is { } stop && _firstDetection is { } fd && tc - fd > stop) continue;
                var c = CueModel.Measure(_cue, tc + StartS, TargetAt(tc + StartS).PosNedM, _cueSigmaM, ref _cueNoise);
                _cues.Enqueue(c);
            }
        }
    }

    /// <summary>One guidance cycle at session time <paramref name="t"/> with telemetry own-state.</summary>
    public GuidanceCommand Guide(double t, in OwnTelemetry telemetry)
    {
        while (_bearings.Count > 0 && _bearings.Peek().AvailableTimeS <= t + 1e-12)
        {
            var m = _bearings.Dequeue();
            _pipeline.AddBearing(m.ExposureTimeS, m.OwnPosNedM, m.LosUnitNed, m.SigmaRad);
        }
        while (_cues.Count > 0 && _cues.Peek().AvailableTimeS <= t + 1e-12)
        {
            var c = _cues.Dequeue();
            _pipeline.AddPositionCue(c.MeasurementTimeS, c.TargetPosNedM, c.SigmaM);
        }
        var own = telemetry.At(t);
        _last = _pipeline.Step(new OwnVehicleState(t, own.PosNed, own.VelNed, own.YawRad));
        if (_last.Gate.Verdict != GateVerdict.Pass) _gateInterventions++;
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
        SeekerDetections = _detections,
        SeekerFrames = _frames,
        FirstDetectionTimeS = _firstDetection,
        GateInterventions = _gateInterventions,
        Trajectory = _trajectory is null ? [] : _trajectory.ToArray(),
    };
}
