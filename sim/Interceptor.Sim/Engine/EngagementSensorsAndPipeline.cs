using Interceptor.Core;
using Interceptor.Engagement;
using Interceptor.Estimation;
using Interceptor.Guidance;

namespace Interceptor.Sim;

/// <summary>Pose of the camera-carrying vehicle inside the interval being sensed, supplied by the caller
/// (the pure simulator interpolates its integrator state; the closed loop uses the autopilot's truth and
/// telemetry). A struct so that sensing allocates nothing.</summary>
internal interface IOwnPoseSource
{
    /// <summary>At engagement time <paramref name="engagementS"/>: the true camera position and attitude, and the
    /// own position the bearing is tagged with (what the companion computer believes).</summary>
    void At(double engagementS, out Vector3d truePosNedM, out Quaterniond attitude, out Vector3d taggedPosNedM);
}

/// <summary>What the pure simulator and the closed loop share about one engagement: the world of the seed
/// (dispersions), our seeker and C2 cue models with their noise streams and reported-sigma floors, the
/// InterceptPipeline (estimator, law from the vehicle limits, command shaper, BasicSafetyGate around the
/// interceptor start, camera field-of-view keeping from the scenario's seeker mount), the latency FIFOs,
/// and the seeker/cue counters of the result.
/// Two times: engagement time (0 when guidance takes over; sensor schedules run on it) and the pipeline
/// clock = engagement time + <see cref="StartS"/> (measurement stamps, pipeline steps). The target can be
/// moved so the world's interceptor start lies at a given own start (the closed loop flies from wherever
/// the real vehicle is). Sensing and stepping allocate nothing.</summary>
internal sealed class EngagementSensorsAndPipeline
{
    private readonly ITargetModel _target;
    private readonly Vector3d _targetShiftNedM;
    private readonly bool _shifted;
    private readonly double _seekerSigmaRad, _cueSigmaM;
    private readonly Fifo<BearingMeasurement> _bearings;
    private readonly Fifo<CueMeasurement> _cues;
    private SimRandom _seekerNoise, _seekerDetect, _cueNoise;
    private long _nextFrame, _nextCue;

    /// <param name="lawName">A resolved law name (<see cref="ResolveLaw"/>).</param>
    /// <param name="ownStartNedM">Own position when guidance takes over, in the caller's frame; null = the
    /// world's interceptor start (no shift). The geofence is centred on it.</param>
    /// <param name="startS">Pipeline clock at engagement time 0 [s].</param>
    public EngagementSensorsAndPipeline(ScenarioSpec spec, string lawName, ulong seed, RunOptions opts,
        Vector3d? ownStartNedM = null, double startS = 0)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(opts);
        StartS = startS;
        var world = WorldSetup.Create(spec, seed, opts.ApplyDispersions, opts.Noiseless);
        World = world;
        _target = world.Target;
        Seeker = world.Seeker;
        Cue = world.Cue;
        var ownStart = ownStartNedM ?? world.InterceptorStart.PosNedM;
        _shifted = ownStartNedM is not null;
        _targetShiftNedM = _shifted ? ownStart - world.InterceptorStart.PosNedM : Vector3d.Zero;

        _seekerSigmaRad = Math.Max(spec.Seeker.NoiseMrad * 1e-3, 1e-4);
        _cueSigmaM = Math.Max(spec.Cue.PositionNoiseM, 0.1);
        _seekerNoise = SimRandom.ForStream(seed, WorldSetup.StreamSeekerNoise);
        _seekerDetect = SimRandom.ForStream(seed, WorldSetup.StreamSeekerDetect);
        _cueNoise = SimRandom.ForStream(seed, WorldSetup.StreamCue);

        var p = world.Vehicle;
        var limits = new VehicleLimits(p.MaxSpeedMs, p.MaxTiltRad, p.ThrustToWeight, 1.0 / p.ThrustToWeight, MultirotorModel.MinThrustAccMs2 / Wgs84.GravityMs2);
        var gcfg = GuidanceConfig.ForVehicle(limits);
        if (spec.Guidance.NavigationGain is { } n) gcfg = gcfg with { NavigationConstant = n };
        ITargetEstimator estimator = opts.PerfectTargetKnowledge
            ? new TruthEstimator(this)
            : opts.EstimatorFactory?.Invoke() ?? new TargetEstimator();
        var gate = new BasicSafetyGate(new SafetyGateConfig
        {
            AltitudeFloorM = spec.Safety.AltitudeFloorM,
            GeofenceCenterNedM = ownStart,
            GeofenceRadiusM = spec.Safety.GeofenceRadiusM,
        });
        var pcfg = new PipelineConfig
        {
            CameraFov = spec.Seeker.Enabled && opts.KeepTargetInCameraView
                ? new CameraFovConstraint(Angles.ToRad(spec.Seeker.MountPitchDeg),
                    Angles.ToRad(spec.Seeker.HorizontalFovDeg) / 2, Angles.ToRad(spec.Seeker.VerticalFovDeg) / 2,
                    Math.Min(opts.CameraFovMarginDeg, Math.Min(spec.Seeker.HorizontalFovDeg, spec.Seeker.VerticalFovDeg) / 2) * Angles.DegToRad)
                : null,
        };
        Pipeline = new InterceptPipeline(estimator, GuidanceLaws.Create(lawName, gcfg), new MultirotorCommandShaper(limits), gate, pcfg);
        _bearings = new Fifo<BearingMeasurement>((int)Math.Ceiling(Seeker.LatencyS / Seeker.FramePeriodS) + 4);
        _cues = new Fifo<CueMeasurement>((int)Math.Ceiling(Cue.LatencyS / Cue.PeriodS) + 4);
    }

    /// <summary>The guidance law named by <paramref name="lawName"/>: "default" or blank = the scenario's law
    /// (itself possibly "default" = <see cref="GuidanceLaws.DefaultName"/>); lower case.</summary>
    public static string ResolveLaw(ScenarioSpec spec, string lawName)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(lawName);
        string law = lawName.Trim();
        if (law.Length == 0 || law.Equals("default", StringComparison.OrdinalIgnoreCase)) law = spec.Guidance.Law;
        if (law.Equals("default", StringComparison.OrdinalIgnoreCase)) law = GuidanceLaws.DefaultName;
        if (!GuidanceLaws.IsKnown(law))
            throw new ValidationException($"law = '{lawName}': unknown guidance law; valid names: default, {string.Join(", ", GuidanceLaws.Names)}");
        return law.ToLowerInvariant();
    }

    public WorldSetup World { get; }
    public SeekerParams Seeker { get; }
    public CueParams Cue { get; }
    public InterceptPipeline Pipeline { get; }
    /// <summary>Pipeline clock at engagement time 0 [s].</summary>
    public double StartS { get; }
    public int SeekerFrames { get; private set; }
    public int SeekerDetections { get; private set; }
    /// <summary>Engagement time of the first seeker detection.</summary>
    public double? FirstDetectionS { get; private set; }
    /// <summary>Pipeline steps whose safety gate did not pass the command unchanged.</summary>
    public int GateInterventions { get; private set; }

    /// <summary>Target truth at engagement time <paramref name="engagementS"/>, in the caller's frame.</summary>
    public TargetKinematics TargetAt(double engagementS)
    {
        var k = _target.StateAt(engagementS);
        return _shifted ? k with { PosNedM = k.PosNedM + _targetShiftNedM } : k;
    }

    private Vector3d TargetPosAt(double engagementS)
    {
        var p = _target.StateAt(engagementS).PosNedM;
        return _shifted ? p + _targetShiftNedM : p;
    }

    /// <summary>Seeker frames and cues with exposure in [<paramref name="e0"/>, <paramref name="e1"/>) (engagement
    /// time), queued until their latency has passed. Each frame draws from the noise streams whether or not it
    /// detects; cues stop <see cref="CueParams.StopAfterSeekerTrackS"/> after the first detection.</summary>
    public void Sense<TPose>(double e0, double e1, ref TPose pose) where TPose : struct, IOwnPoseSource
    {
        if (Seeker.Enabled)
        {
            while (_nextFrame * Seeker.FramePeriodS < e1)
            {
                double tf = _nextFrame * Seeker.FramePeriodS;
                _nextFrame++;
                if (tf < e0) continue;
                pose.At(tf, out var truePos, out var att, out var tagged);
                var tgt = TargetPosAt(tf);
                SeekerFrames++;
                if (SeekerModel.TryMeasure(Seeker, tf + StartS, truePos, att, tgt, _seekerSigmaRad,
                        ref _seekerNoise, ref _seekerDetect, out var m, out _))
                {
                    SeekerDetections++;
                    FirstDetectionS ??= tf;
                    _bearings.Enqueue(m with { OwnPosNedM = tagged });
                }
            }
        }
        if (Cue.Enabled)
        {
            while (_nextCue * Cue.PeriodS < e1)
            {
                double tc = _nextCue * Cue.PeriodS;
                _nextCue++;
                if (tc < e0) continue;
                if (Cue.StopAfterSeekerTrackS is { } stop && FirstDetectionS is { } fd && tc - fd > stop) continue;
                _cues.Enqueue(CueModel.Measure(Cue, tc + StartS, TargetPosAt(tc), _cueSigmaM, ref _cueNoise));
            }
        }
    }

    /// <summary>One guidance cycle at pipeline clock <paramref name="t"/>: hands the pipeline every bearing and cue
    /// available by then, steps it with the own state, counts gate interventions.</summary>
    public PipelineOutput Step(double t, Vector3d ownPosNedM, Vector3d ownVelNedMs, double ownYawRad)
    {
        while (_bearings.Count > 0 && _bearings.Peek().AvailableTimeS <= t + 1e-12)
        {
            var m = _bearings.Dequeue();
            Pipeline.AddBearing(m.ExposureTimeS, m.OwnPosNedM, m.LosUnitNed, m.SigmaRad);
        }
        while (_cues.Count > 0 && _cues.Peek().AvailableTimeS <= t + 1e-12)
        {
            var c = _cues.Dequeue();
            Pipeline.AddPositionCue(c.MeasurementTimeS, c.TargetPosNedM, c.SigmaM);
        }
        var output = Pipeline.Step(new OwnVehicleState(t, ownPosNedM, ownVelNedMs, ownYawRad));
        if (output.Gate.Verdict != GateVerdict.Pass) GateInterventions++;
        return output;
    }

    /// <summary>Hands the law the true target state (RunOptions.PerfectTargetKnowledge), in the caller's frame
    /// and on the pipeline clock.</summary>
    private sealed class TruthEstimator(EngagementSensorsAndPipeline owner) : ITargetEstimator
    {
        public void AddPositionCue(double timeS, Vector3d targetPosNed, double sigmaM) { }
        public void AddBearing(double timeS, Vector3d ownPosNed, Vector3d losUnitNed, double sigmaRad) { }
        public bool TryGetEstimate(double timeS, out TargetEstimate estimate)
        {
            var k = owner.TargetAt(timeS - owner.StartS);
            estimate = new TargetEstimate(timeS, k.PosNedM, k.VelNedMs, k.AccNedMs2, true, 0);
            return true;
        }
        public void Reset() { }
    }
}
