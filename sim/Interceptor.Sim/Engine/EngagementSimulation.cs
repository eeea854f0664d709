using Interceptor.Core;
using Interceptor.Engagement;

namespace Interceptor.Sim;

/// <summary>One engagement, steppable: <see cref="Step"/> advances one integration step of Sim.DtS and
/// returns false once the run has ended; <see cref="BuildResult"/> summarises it. Every
/// 1/GuidanceRateHz (a whole number of steps) the pipeline runs on the true own state with the
/// measurements that have become available by then. Steps allocate nothing (except trajectory samples
/// when recording).</summary>
public sealed class EngagementSimulation
{
    private readonly ScenarioSpec _spec;
    private readonly RunOptions _opts;
    private readonly MultirotorModel _vehicle;
    private readonly ITargetModel _target;
    private readonly SeekerParams _seeker;
    private readonly EngagementSensorsAndPipeline _stack;
    private readonly double _dt, _maxTimeS;
    private readonly int _stepsPerTick;
    private readonly long _maxSteps;
    private readonly List<TrajectorySample>? _trajectory;

    private long _k;                       // steps done; time = _k * _dt
    private MultirotorState _state;
    private Vector3d _thrustCmd;
    private double _yawSp;
    private bool _done;
    private EngagementOutcome _outcome = EngagementOutcome.Timeout;

    // Closest approach bookkeeping.
    private double _minRange = double.PositiveInfinity, _tca;
    private Vector3d _missVec;
    private double _closingAtCpa;
    private Vector3d _cpaOwnPos, _cpaTgtPos, _cpaOwnVel, _cpaTgtVel;
    private double _peakAcc;
    private double _lastTrackTimeS = double.NaN;
    private bool _hadTrack;
    private PipelineOutput _last;
    private long _nextSampleStep;
    private readonly long _sampleEverySteps;

    public EngagementSimulation(ScenarioSpec spec, string lawName, ulong seed, RunOptions? opts = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(lawName);
        spec.Validate();
        _spec = spec;
        _opts = opts ?? RunOptions.Default;
        Seed = seed;

        LawName = EngagementSensorsAndPipeline.ResolveLaw(spec, lawName);

        _dt = spec.Sim.DtS;
        double tick = 1.0 / spec.Guidance.GuidanceRateHz;
        double ratio = tick / _dt;
        _stepsPerTick = (int)Math.Round(ratio);
        if (_stepsPerTick < 1 || Math.Abs(ratio - _stepsPerTick) > 1e-6 * ratio)
            throw new ValidationException(FormattableString.Invariant(
                $"Sim.DtS = {_dt}: 1/Guidance.GuidanceRateHz = {tick} s must be a whole number of steps"));
        _maxTimeS = spec.Sim.MaxTimeS;
        _maxSteps = (long)Math.Ceiling(_maxTimeS / _dt - 1e-9);

        _stack = new EngagementSensorsAndPipeline(spec, LawName, seed, _opts);
        var world = _stack.World;
        World = world;
        _vehicle = new MultirotorModel(world.Vehicle);
        _target = world.Target;
        _seeker = world.Seeker;

        _state = world.InterceptorStart;
        _thrustCmd = _state.ThrustAccNedMs2;
        _yawSp = _state.YawRad;
        _sampleEverySteps = Math.Max(1, (long)Math.Round(_opts.TrajectoryIntervalS / _dt));
        if (_opts.RecordTrajectory) _trajectory = new List<TrajectorySample>((int)Math.Min(_maxSteps / _sampleEverySteps + 8, 1 << 20));
        var t0 = _target.StateAt(0);
        UpdateMin(0, _state.PosNedM, _state.VelNedMs, t0.PosNedM, t0.VelNedMs);
    }

    public ulong Seed { get; }
    public string LawName { get; }
    public WorldSetup World { get; }
    public InterceptPipeline Pipeline => _stack.Pipeline;
    public double TimeS => _k * _dt;
    public MultirotorState InterceptorState => _state;
    public TargetKinematics TargetState => _target.StateAt(TimeS);
    public bool IsFinished => _done;
    /// <summary>The latest pipeline output.</summary>
    public PipelineOutput LastPipelineOutput => _last;

    /// <summary>Advances one integration step; false once the run has ended.</summary>
    public bool Step()
    {
        if (_done) return false;
        double t0 = _k * _dt, t1 = (_k + 1) * _dt;

        if (_k % _stepsPerTick == 0) GuidanceTick(t0);
        if (_done) { Finish(); return false; }
        if (_trajectory is not null && _k >= _nextSampleStep) { Record(t0); _nextSampleStep = _k + _sampleEverySteps; }

        var s0 = _state;
        var s1 = _vehicle.Step(s0, _thrustCmd, _yawSp, _dt);
        var a1 = _vehicle.Acceleration(s1);
        double acc = a1.Length;
        if (acc > _peakAcc) _peakAcc = acc;

        // Sensor events in [t0, t1): the interceptor state is interpolated inside the step, the target is exact.
        var pose = new StepPose(s0, s1, t0, _dt);
        _stack.Sense(t0, t1, ref pose);

        _state = s1;
        _k++;
        var tg0 = _target.StateAt(t0);
        var tg1 = _target.StateAt(t1);
        ClosestApproachInStep(t0, s0, s1, tg0, tg1);

        // End conditions.
        var rel = tg1.PosNedM - s1.PosNedM;
        var relVel = tg1.VelNedMs - s1.VelNedMs;
        double range = rel.Length;
        if (range > 1e-9 && Vector3d.Dot(rel, relVel) > 0 && Vector3d.Dot(rel, s1.VelNedMs) < 0 && range > _minRange + 1.0)
            End(EngagementOutcome.ClosestApproach);
        else if (s1.PosNedM.Down > 0)
            End(EngagementOutcome.GroundCollision);
        else if (tg1.PosNedM.Down > 0)
            End(EngagementOutcome.TargetReachedGround);
        else if (_k >= _maxSteps)
            End(EngagementOutcome.Timeout);
        if (_done) Finish();
        return !_done;
    }

    private void GuidanceTick(double t)
    {
        _last = _stack.Step(t, _state.PosNedM, _state.VelNedMs, _state.YawRad);
        var sp = _last.Setpoint;
        _thrustCmd = _vehicle.ThrustCommand(sp.AccelerationNedMs2);
        _yawSp = sp.YawRad;
        switch (_last.Mode)
        {
            case PipelineMode.Guiding:
                _hadTrack = true;
                _lastTrackTimeS = t;
                break;
            case PipelineMode.Aborted:
                End(EngagementOutcome.Aborted);
                break;
            case PipelineMode.NoTrack when _hadTrack && t - _lastTrackTimeS > _opts.TrackLossTimeoutS:
                End(EngagementOutcome.TargetLost);
                break;
        }
    }

    private void End(EngagementOutcome outcome)
    {
        if (_done) return;
        _done = true;
        _outcome = outcome;
    }

    private void Finish()
    {
        if (_trajectory is null) return;
        Record(TimeS);
        // Insert the closest approach sample in time order.
        var cpa = new TrajectorySample(_tca, _cpaOwnPos, _cpaTgtPos, _cpaOwnVel, _cpaTgtVel, _cpaTgtPos, false, false);
        int i = _trajectory.FindIndex(s => s.TimeS > _tca);
        if (i < 0) _trajectory.Add(cpa); else _trajectory.Insert(i, cpa);
    }

    private void Record(double t)
    {
        var tg = _target.StateAt(t);
        bool has = _last.Mode == PipelineMode.Guiding;
        var cam = SeekerModel.LosInCamera(_seeker, _state.Attitude, tg.PosNedM - _state.PosNedM);
        _trajectory!.Add(new TrajectorySample(t, _state.PosNedM, tg.PosNedM, _state.VelNedMs, tg.VelNedMs,
            has ? _last.Estimate.PosNed : tg.PosNedM, has, SeekerModel.InFieldOfView(_seeker, cam)));
    }

    /// <summary>Interceptor state inside a step: cubic Hermite position from the end positions and velocities
    /// (velocity its derivative), thrust and yaw linear.</summary>
    private MultirotorState Interpolate(in MultirotorState a, in MultirotorState b, double s) => Interpolate(a, b, s, _dt);

    private static MultirotorState Interpolate(in MultirotorState a, in MultirotorState b, double s, double dt)
    {
        Hermite(a.PosNedM, a.VelNedMs, b.PosNedM, b.VelNedMs, dt, s, out var p, out var v);
        double dyaw = Angles.WrapPi(b.YawRad - a.YawRad);
        return new MultirotorState(p, v, Vector3d.Lerp(a.ThrustAccNedMs2, b.ThrustAccNedMs2, s), Angles.WrapPi(a.YawRad + dyaw * s));
    }

    private static void Hermite(Vector3d p0, Vector3d v0, Vector3d p1, Vector3d v1, double h, double s, out Vector3d p, out Vector3d v)
    {
        double s2 = s * s, s3 = s2 * s;
        double h00 = 2 * s3 - 3 * s2 + 1, h10 = s3 - 2 * s2 + s, h01 = -2 * s3 + 3 * s2, h11 = s3 - s2;
        p = p0 * h00 + v0 * (h10 * h) + p1 * h01 + v1 * (h11 * h);
        double d00 = 6 * s2 - 6 * s, d10 = 3 * s2 - 4 * s + 1, d01 = -6 * s2 + 6 * s, d11 = 3 * s2 - 2 * s;
        v = (p0 * d00 + p1 * d01) / h + v0 * d10 + v1 * d11;
    }

    /// <summary>Minimum of |relative position| over the step, on the cubic Hermite of the relative motion
    /// through both step ends: exact to the integrator's order, so the miss does not depend on the step size.</summary>
    private void ClosestApproachInStep(double t0, in MultirotorState s0, in MultirotorState s1, in TargetKinematics g0, in TargetKinematics g1)
    {
        var r0 = g0.PosNedM - s0.PosNedM; var v0 = g0.VelNedMs - s0.VelNedMs;
        var r1 = g1.PosNedM - s1.PosNedM; var v1 = g1.VelNedMs - s1.VelNedMs;
        UpdateMin(t0 + _dt, s1.PosNedM, s1.VelNedMs, g1.PosNedM, g1.VelNedMs);
        // Interior minimum only when the range decreases at the start and increases at the end of the step.
        if (!(Vector3d.Dot(r0, v0) < 0 && Vector3d.Dot(r1, v1) > 0)) return;
        // g(s) = r(s).r'(s) = 0, Newton from the linear-motion guess, safeguarded by bisection.
        double lo = 0, hi = 1;
        var dr = r1 - r0;
        double s = Math.Clamp(-Vector3d.Dot(r0, dr) / Math.Max(dr.LengthSquared, 1e-300), 0, 1);
        for (int it = 0; it < 30; it++)
        {
            Hermite(r0, v0, r1, v1, _dt, s, out var r, out var v);
            double g = Vector3d.Dot(r, v);
            if (g < 0) lo = s; else hi = s;
            // r'' by differentiating the Hermite basis twice.
            double d200 = 12 * s - 6, d210 = 6 * s - 4, d201 = -12 * s + 6, d211 = 6 * s - 2;
            var acc = (r0 * d200 + r1 * d201) / (_dt * _dt) + (v0 * d210 + v1 * d211) / _dt;
            double gp = v.LengthSquared + Vector3d.Dot(r, acc);
            double next = gp > 0 ? s - g / gp : 0.5 * (lo + hi);
            if (!(next > lo && next < hi)) next = 0.5 * (lo + hi);
            if (Math.Abs(next - s) < 1e-13) { s = next; break; }
            s = next;
        }
        var own = Interpolate(s0, s1, s);
        Hermite(g0.PosNedM, g0.VelNedMs, g1.PosNedM, g1.VelNedMs, _dt, s, out var tp, out var tv);
        // Target: exact analytic state at the interior time.
        var tExact = _target.StateAt(t0 + s * _dt);
        UpdateMin(t0 + s * _dt, own.PosNedM, own.VelNedMs, tExact.PosNedM, tExact.VelNedMs);
        _ = tp; _ = tv;
    }

    private void UpdateMin(double t, Vector3d ownPos, Vector3d ownVel, Vector3d tgtPos, Vector3d tgtVel)
    {
        var r = tgtPos - ownPos;
        double d = r.Length;
        if (!(d < _minRange)) return;
        _minRange = d; _tca = t; _missVec = r;
        _closingAtCpa = (tgtVel - ownVel).Length;
        _cpaOwnPos = ownPos; _cpaTgtPos = tgtPos; _cpaOwnVel = ownVel; _cpaTgtVel = tgtVel;
    }

    public EngagementResult BuildResult()
    {
        if (!_done) throw new InvalidOperationException("the run has not ended; call Step() until it returns false");
        return new EngagementResult
        {
            Scenario = _spec.Name,
            Law = LawName,
            Seed = Seed,
            Outcome = _outcome,
            MissDistanceM = _minRange,
            TimeOfClosestApproachS = _tca,
            MissVectorNedM = _missVec,
            ClosingSpeedMs = _closingAtCpa,
            PeakAccelMs2 = _peakAcc,
            EndTimeS = TimeS,
            SeekerDetections = _stack.SeekerDetections,
            SeekerFrames = _stack.SeekerFrames,
            FirstDetectionTimeS = _stack.FirstDetectionS,
            GateInterventions = _stack.GateInterventions,
            Trajectory = _trajectory is null ? [] : _trajectory.ToArray(),
        };
    }

    /// <summary>The interceptor inside the step being integrated (Hermite-interpolated); bearings are tagged
    /// with the true position.</summary>
    private readonly struct StepPose(MultirotorState s0, MultirotorState s1, double t0, double dt) : IOwnPoseSource
    {
        public void At(double engagementS, out Vector3d truePosNedM, out Quaterniond attitude, out Vector3d taggedPosNedM)
        {
            var own = Interpolate(s0, s1, (engagementS - t0) / dt, dt);
            truePosNedM = own.PosNedM;
            attitude = own.Attitude;
            taggedPosNedM = own.PosNedM;
        }
    }
}
