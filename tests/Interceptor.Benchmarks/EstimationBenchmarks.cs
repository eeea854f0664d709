using BenchmarkDotNet.Attributes;
using Interceptor.Core;
using Interceptor.Estimation;

namespace Interceptor.Benchmarks;

/// <summary>Estimator cost per measurement (predict + gated update, history bookkeeping) and per query.
/// Goal: &lt;= 2 us and 0 B per call. Truth: a 45 m/s straight target, the observer 1 km behind it on a
/// gentle weave, so the geometry stays steady however many iterations BenchmarkDotNet runs.</summary>
[MemoryDiagnoser]
public class EstimationBenchmarks
{
    private const int NoiseCount = 4096;
    private readonly double[] _noise = new double[NoiseCount];
    private int _n;
    private TargetEstimator _cv = null!, _imm = null!, _immBearing = null!, _immLate = null!;
    private double _tCv, _tImm, _tB, _tLate;
    private GaussianState _raw;
    private double _tRaw;
    private static readonly MotionModel CvModel = new(MotionModelKind.ConstantVelocity, 1.0);

    private static Vector3d Target(double t) => new(45 * t, 0, -300);
    private static Vector3d Own(double t) => new(45 * t - 1000 + 50 * Math.Sin(0.3 * t), 30 * Math.Cos(0.2 * t), -250);

    private double Noise() => _noise[_n++ & (NoiseCount - 1)];
    private Vector3d NoiseVec(double s) => new(Noise() * s, Noise() * s, Noise() * s);

    [GlobalSetup]
    public void Setup()
    {
        var rng = new Random(1);
        for (int i = 0; i < NoiseCount; i++)
            _noise[i] = Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
        _cv = new TargetEstimator(new EstimatorConfig { Models = ModelSet.ConstantVelocity });
        _imm = new TargetEstimator();
        _immBearing = new TargetEstimator();
        _immLate = new TargetEstimator();
        foreach (var e in new[] { _cv, _imm, _immBearing, _immLate }) e.AddPositionCue(0, Target(0), 5);
        for (int i = 0; i < 300; i++) { CvCueUpdate(); ImmCueUpdate(); ImmBearingUpdate(); ImmLateCueRefilter(); }
        _raw = default;
        for (int k = 0; k < 9; k++) _raw.P[k * 10] = 100;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        foreach (var e in new[] { _cv, _imm, _immBearing, _immLate })
            if (e.Divergence != DivergenceReason.None || !e.TryGetEstimate(e.LatestMeasurementTimeS, out _))
                throw new InvalidOperationException($"benchmark track lost: {e.Divergence} {e.Counters}");
    }

    /// <summary>Raw 9-state CV Kalman predict + 3-D position update on a stack struct (no estimator bookkeeping).</summary>
    [Benchmark]
    public double KalmanPredictUpdateCv()
    {
        _tRaw += 0.1;
        Kalman.Predict(ref _raw, CvModel, 0.1);
        Kalman.UpdatePosition(ref _raw, Target(_tRaw) + NoiseVec(5), Covariance3.Isotropic(5), out double nis);
        return nis;
    }

    /// <summary>Single CV filter: one position cue (10 Hz), in order.</summary>
    [Benchmark]
    public MeasurementOutcome CvCueUpdate()
    {
        _tCv += 0.1;
        return _cv.AddPositionCue(_tCv, Target(_tCv) + NoiseVec(5), 5);
    }

    /// <summary>IMM (CV + CA): one position cue, in order.</summary>
    [Benchmark]
    public MeasurementOutcome ImmCueUpdate()
    {
        _tImm += 0.1;
        return _imm.AddPositionCue(_tImm, Target(_tImm) + NoiseVec(5), 5);
    }

    /// <summary>IMM: one 30 Hz seeker bearing (tangent-plane EKF per model), in order; a 5 m cue every 30th.</summary>
    [Benchmark]
    public MeasurementOutcome ImmBearingUpdate()
    {
        _tB += 1.0 / 30;
        var los = Target(_tB) - Own(_tB);
        los = (los / los.Length + NoiseVec(1e-3));
        var o = _immBearing.AddBearing(_tB, Own(_tB), los, 1e-3);
        if ((_n & 31) == 0) _immBearing.AddPositionCue(_tB, Target(_tB) + NoiseVec(5), 5);
        return o;
    }

    /// <summary>IMM query: mix, predict to a later time and combine (what a guidance tick costs).</summary>
    [Benchmark]
    public bool ImmQuery() => _imm.TryGetEstimate(_tImm + 0.033, out _);

    /// <summary>IMM: 10 bearings in order then one cue 0.3 s late (re-filters ~10 measurements): cost of the
    /// whole group, i.e. 11 measurements including out-of-sequence handling.</summary>
    [Benchmark]
    public MeasurementOutcome ImmLateCueRefilter()
    {
        double t0 = _tLate;
        for (int i = 1; i <= 10; i++)
        {
            double t = t0 + i / 30.0;
            var los = Target(t) - Own(t);
            _immLate.AddBearing(t, Own(t), los / los.Length + NoiseVec(1e-3), 1e-3);
        }
        _tLate = t0 + 10 / 30.0;
        double tc = _tLate - 0.3;
        return _immLate.AddPositionCue(tc, Target(tc) + NoiseVec(5), 5);
    }
}
