using Interceptor.Core;

namespace Interceptor.Estimation;

/// <summary>State of the estimate at a query time.</summary>
public enum EstimatorStatus
{
    /// <summary>Valid estimate.</summary>
    Valid,
    /// <summary>No track yet (no position cue / Initialise).</summary>
    Uninitialised,
    /// <summary>Query time before the oldest state kept in history.</summary>
    TooEarly,
    /// <summary>No measurement for longer than MaxCoastS.</summary>
    Stale,
    /// <summary>Position uncertainty above MaxValidPosSigmaM.</summary>
    Uncertain,
    /// <summary>Track latched diverged (see <see cref="TargetEstimator.Divergence"/>): abort or Reset.</summary>
    Diverged,
}

/// <summary>Measurement bookkeeping. Gate/degenerate/accepted counts describe the current history pass
/// (they are recomputed when out-of-sequence measurements force re-filtering).</summary>
public readonly record struct EstimatorCounters(
    long AcceptedCues,
    long AcceptedBearings,
    long GateRejected,
    long DegenerateRejected,
    long InvalidRejected,
    long TooOldRejected,
    long NotInitialisedRejected,
    long NoOwnStateRejected,
    long DivergedIgnored,
    long OutOfSequence);

/// <summary>Target state estimator in NED: an IMM (CV + CA) or single Kalman filter fed by position cues
/// (linear update) and seeker bearings (tangent-plane EKF), with latency compensation by re-filtering a
/// fixed-capacity history when a measurement arrives late, an own-state buffer to pair bearings with the
/// interceptor position at the measurement time, chi-square gating and divergence detection.
/// All buffers are allocated at construction; adding measurements and querying allocate nothing.
/// Not thread-safe: feed and query it from one loop.</summary>
public sealed class TargetEstimator : ITargetEstimator
{
    private readonly ImmFilter _filter;
    private readonly Measurement[] _meas;
    private readonly FilterSnapshot[] _snaps;
    private FilterSnapshot _base;
    private int _head, _count;
    private bool _initialised;
    private long _invalid, _tooOld, _notInit, _noOwn, _divergedIgnored, _outOfSequence;

    public TargetEstimator(EstimatorConfig? config = null)
    {
        Config = (config ?? EstimatorConfig.Default).Validate();
        _filter = new ImmFilter(Config);
        _meas = new Measurement[Config.HistoryCapacity];
        _snaps = new FilterSnapshot[Config.HistoryCapacity];
        OwnStates = new OwnStateBuffer(Config.OwnStateCapacity, Config.OwnStateMaxExtrapolationS);
    }

    public EstimatorConfig Config { get; }

    /// <summary>Own-state samples (autopilot telemetry) used by the bearing overload without own position
    /// and by <see cref="TryGetRelative"/>.</summary>
    public OwnStateBuffer OwnStates { get; }

    public bool IsInitialised => _initialised;

    /// <summary>Number of measurements currently held for re-filtering.</summary>
    public int HistoryCount => _count;

    private ref FilterSnapshot Latest => ref _count > 0 ? ref _snaps[Phys(_count - 1)] : ref _base;

    /// <summary>Time of the newest processed measurement (or of the track start).</summary>
    public double LatestMeasurementTimeS => Latest.TimeS;

    public DivergenceReason Divergence => _initialised ? Latest.Divergence : DivergenceReason.None;

    public EstimatorCounters Counters
    {
        get
        {
            ref FilterSnapshot l = ref Latest;
            return new EstimatorCounters(l.AcceptedCues, l.AcceptedBearings, l.GateRejected, l.DegenerateRejected,
                _invalid, _tooOld, _notInit, _noOwn, _divergedIgnored, _outOfSequence);
        }
    }

    /// <summary>Average NIS per degree of freedom over recent accepted measurements (about 1 when consistent).</summary>
    public double AverageNisPerDof => Latest.NisAveragePerDof;

    private int Phys(int logical) => (_head + logical) % _meas.Length;

    public void Reset()
    {
        _head = _count = 0;
        _initialised = false;
        _base = default;
        _invalid = _tooOld = _notInit = _noOwn = _divergedIgnored = _outOfSequence = 0;
        OwnStates.Clear();
    }

    /// <summary>Starts (or restarts) the track from an explicit prior; clears the history and any divergence.</summary>
    public void Initialise(double timeS, Vector3d posNed, in Covariance3 posCovNed, Vector3d velNed, double velSigmaMps)
    {
        Require.Finite(timeS);
        Require.Finite(posNed);
        Require.Finite(velNed);
        Require.Positive(velSigmaMps);
        if (!posCovNed.IsPositiveDefinite) Require.Fail(nameof(posCovNed), posCovNed.Trace, "must be finite and positive definite");
        _head = _count = 0;
        _filter.Initialise(ref _base, timeS, posNed, posCovNed, velNed, velSigmaMps, Config.InitialAccSigmaMps2);
        _initialised = true;
    }

    void ITargetEstimator.AddPositionCue(double timeS, Vector3d targetPosNed, double sigmaM) =>
        AddPositionCue(timeS, targetPosNed, sigmaM);

    void ITargetEstimator.AddBearing(double timeS, Vector3d ownPosNed, Vector3d losUnitNed, double sigmaRad) =>
        AddBearing(timeS, ownPosNed, losUnitNed, sigmaRad);

    /// <summary>Position cue with isotropic 1-sigma noise [m].</summary>
    public MeasurementOutcome AddPositionCue(double timeS, Vector3d targetPosNed, double sigmaM)
    {
        if (!(sigmaM > 0) || !double.IsFinite(sigmaM)) { _invalid++; return MeasurementOutcome.Invalid; }
        return AddPositionCue(timeS, targetPosNed, Covariance3.Isotropic(sigmaM));
    }

    /// <summary>Position cue with full NED covariance [m^2] (e.g. a radar's range/azimuth/elevation errors
    /// rotated into NED). The first cue starts the track (velocity prior InitialVelSigmaMps).</summary>
    public MeasurementOutcome AddPositionCue(double timeS, Vector3d targetPosNed, in Covariance3 covNed)
    {
        if (!double.IsFinite(timeS) || !targetPosNed.IsFinite || !covNed.IsPositiveDefinite)
        {
            _invalid++;
            return MeasurementOutcome.Invalid;
        }
        if (!_initialised)
        {
            _filter.Initialise(ref _base, timeS, targetPosNed, covNed, Vector3d.Zero, Config.InitialVelSigmaMps,
                Config.InitialAccSigmaMps2);
            _head = _count = 0;
            _initialised = true;
            return MeasurementOutcome.Initialised;
        }
        var m = new Measurement { TimeS = timeS, Kind = MeasurementKind.PositionCue, Z = targetPosNed, R = covNed };
        return Insert(m);
    }

    /// <summary>Seeker bearing: unit LOS (any non-zero length is normalised) from <paramref name="ownPosNed"/>
    /// at <paramref name="timeS"/>, 1-sigma angular noise [rad]. Needs a track prior (cue or Initialise).</summary>
    public MeasurementOutcome AddBearing(double timeS, Vector3d ownPosNed, Vector3d losUnitNed, double sigmaRad)
    {
        double len = losUnitNed.Length;
        if (!double.IsFinite(timeS) || !ownPosNed.IsFinite || !losUnitNed.IsFinite || !(len > 1e-9)
            || !(sigmaRad > 0) || !double.IsFinite(sigmaRad))
        {
            _invalid++;
            return MeasurementOutcome.Invalid;
        }
        if (!_initialised) { _notInit++; return MeasurementOutcome.NotInitialised; }
        var m = new Measurement
        {
            TimeS = timeS, Kind = MeasurementKind.Bearing, Z = losUnitNed / len, OwnPosNed = ownPosNed, SigmaRad = sigmaRad,
        };
        return Insert(m);
    }

    /// <summary>Seeker bearing paired with the own position interpolated from <see cref="OwnStates"/> at
    /// <paramref name="timeS"/>.</summary>
    public MeasurementOutcome AddBearing(double timeS, Vector3d losUnitNed, double sigmaRad)
    {
        if (!double.IsFinite(timeS)) { _invalid++; return MeasurementOutcome.Invalid; }
        if (!OwnStates.TryGet(timeS, out var own)) { _noOwn++; return MeasurementOutcome.NoOwnState; }
        return AddBearing(timeS, own.PosNed, losUnitNed, sigmaRad);
    }

    /// <summary>Adds an own-state sample (autopilot telemetry, NED); false when refused (see <see cref="OwnStateBuffer.Add"/>).</summary>
    public bool AddOwnState(double timeS, Vector3d posNed, Vector3d velNed) => OwnStates.Add(timeS, posNed, velNed);

    private MeasurementOutcome Insert(in Measurement m)
    {
        if (Latest.Divergence != DivergenceReason.None) { _divergedIgnored++; return MeasurementOutcome.Diverged; }
        if (m.TimeS < _base.TimeS) { _tooOld++; return MeasurementOutcome.TooOld; }

        // Insertion point: by time; at equal times cues go before bearings, then arrival order. This makes
        // the processing order a function of the measurements only, never of their arrival order.
        int j = _count;
        while (j > 0 && After(_meas[Phys(j - 1)], m)) j--;
        if (_count == _meas.Length)
        {
            if (j == 0) { _tooOld++; return MeasurementOutcome.TooOld; }
            FoldOldest();
            j--;
        }
        for (int i = _count; i > j; i--) _meas[Phys(i)] = _meas[Phys(i - 1)];
        _meas[Phys(j)] = m;
        _count++;
        if (j < _count - 1) _outOfSequence++;

        MeasurementOutcome outcome = MeasurementOutcome.Accepted;
        for (int i = j; i < _count; i++)
        {
            ref FilterSnapshot dst = ref _snaps[Phys(i)];
            dst = i == 0 ? _base : _snaps[Phys(i - 1)];
            var o = _filter.Step(ref dst, _meas[Phys(i)]);
            if (i == j) outcome = o;
        }

        double newest = _meas[Phys(_count - 1)].TimeS;
        while (_count > 1 && _meas[_head].TimeS < newest - Config.HistoryWindowS) FoldOldest();
        return outcome;
    }

    private static bool After(in Measurement held, in Measurement m) =>
        held.TimeS > m.TimeS || (held.TimeS == m.TimeS && held.Kind > m.Kind);

    /// <summary>Drops the oldest held measurement; its posterior becomes the base state.</summary>
    private void FoldOldest()
    {
        _base = _snaps[_head];
        _head = (_head + 1) % _meas.Length;
        _count--;
    }

    public bool TryGetEstimate(double timeS, out TargetEstimate estimate) =>
        GetEstimate(timeS, out estimate) == EstimatorStatus.Valid;

    /// <summary>Estimate predicted to <paramref name="timeS"/> from the newest state at or before it.
    /// The estimate is filled whenever a track exists (also for Stale/Uncertain, for logging); only
    /// <see cref="EstimatorStatus.Valid"/> estimates should drive guidance.</summary>
    public EstimatorStatus GetEstimate(double timeS, out TargetEstimate estimate)
    {
        estimate = default;
        if (!_initialised) return EstimatorStatus.Uninitialised;
        if (!double.IsFinite(timeS) || timeS < _base.TimeS) return EstimatorStatus.TooEarly;
        if (Latest.Divergence != DivergenceReason.None) return EstimatorStatus.Diverged;

        int i = _count - 1;
        while (i >= 0 && _snaps[Phys(i)].TimeS > timeS) i--;
        FilterSnapshot s = i >= 0 ? _snaps[Phys(i)] : _base;
        _filter.MixAndPredict(ref s, timeS, out _, out _);
        _filter.Combine(s, out GaussianState g);
        _filter.ClampCovariance(ref g);
        if (!g.IsFinite) return EstimatorStatus.Diverged;

        double posSigma = Math.Sqrt(Linalg.BlockTrace(g.P, 0));
        double velSigma = Math.Sqrt(Linalg.BlockTrace(g.P, 1));
        double accSigma = Math.Sqrt(Linalg.BlockTrace(g.P, 2));
        bool accValid = _filter.HasAcceleration && accSigma <= Config.AccValidSigmaMps2;
        estimate = new TargetEstimate(timeS, g.PosNed, g.VelNed, _filter.HasAcceleration ? g.AccNed : Vector3d.Zero,
            accValid, posSigma, velSigma, _filter.ModelCount == 2 ? s.MuCa : (_filter.HasAcceleration ? 1 : 0));

        if (timeS - Latest.TimeS > Config.MaxCoastS) return EstimatorStatus.Stale;
        if (posSigma > Config.MaxValidPosSigmaM) return EstimatorStatus.Uncertain;
        return EstimatorStatus.Valid;
    }

    /// <summary>Full 9x9 covariance of the combined estimate at <paramref name="timeS"/> (state order of
    /// <see cref="Vec9"/>); false without a track or before the history.</summary>
    public bool TryGetCovariance(double timeS, out Mat9 covariance)
    {
        covariance = default;
        if (!_initialised || !double.IsFinite(timeS) || timeS < _base.TimeS) return false;
        int i = _count - 1;
        while (i >= 0 && _snaps[Phys(i)].TimeS > timeS) i--;
        FilterSnapshot s = i >= 0 ? _snaps[Phys(i)] : _base;
        _filter.MixAndPredict(ref s, timeS, out _, out _);
        _filter.Combine(s, out GaussianState g);
        _filter.ClampCovariance(ref g);
        covariance = g.P;
        return true;
    }

    /// <summary>Relative geometry at <paramref name="timeS"/> with the own state interpolated from
    /// <see cref="OwnStates"/>. False when the estimate is not Valid (<paramref name="status"/> says why) or
    /// when no own-state sample covers <paramref name="timeS"/> (status then Valid).</summary>
    public bool TryGetRelative(double timeS, out RelativeEstimate relative, out EstimatorStatus status)
    {
        relative = default;
        status = GetEstimate(timeS, out var est);
        if (status != EstimatorStatus.Valid) return false;
        if (!OwnStates.TryGet(timeS, out var own)) return false;
        relative = RelativeGeometry.Compute(est, own.PosNed, own.VelNed);
        return true;
    }
}
