using System.Runtime.CompilerServices;
using Interceptor.Core;

namespace Interceptor.Estimation;

/// <summary>Why a measurement was or was not absorbed.</summary>
public enum MeasurementOutcome
{
    /// <summary>Passed the gate and updated the track.</summary>
    Accepted,
    /// <summary>First position cue: the track was started from it.</summary>
    Initialised,
    /// <summary>Innovation outside the chi-square gate of every model; not absorbed.</summary>
    Gated,
    /// <summary>NaN/infinite value, zero LOS vector, non-positive or non-PD noise: not absorbed.</summary>
    Invalid,
    /// <summary>Older than the re-filtering history: not absorbed.</summary>
    TooOld,
    /// <summary>A bearing arrived before any track prior existed (bearings need a range prior).</summary>
    NotInitialised,
    /// <summary>Bearing geometry degenerate (predicted range below the minimum, or LOS behind): skipped.</summary>
    Degenerate,
    /// <summary>Bearing without own position: no own-state sample covers the measurement time.</summary>
    NoOwnState,
    /// <summary>The track is latched diverged; call Reset or Initialise.</summary>
    Diverged,
}

/// <summary>Why the track was declared diverged.</summary>
public enum DivergenceReason
{
    None,
    /// <summary>Too many consecutive gate rejections: the track no longer explains the measurements.</summary>
    ConsecutiveRejects,
    /// <summary>Average NIS per degree of freedom out of bounds: the filter is inconsistent.</summary>
    NisOutOfBounds,
    /// <summary>State or covariance stopped being finite / positive.</summary>
    NumericalFailure,
}

internal enum MeasurementKind : byte { PositionCue, Bearing }

internal struct Measurement
{
    public double TimeS;
    public MeasurementKind Kind;
    public Vector3d Z;          // cue: position NED [m]; bearing: unit LOS NED
    public Vector3d OwnPosNed;  // bearing only
    public Covariance3 R;       // cue only
    public double SigmaRad;     // bearing only
}

[InlineArray(ImmFilter.MaxModels)]
internal struct ModelStates
{
    private GaussianState _e0;
}

/// <summary>Everything the filter carries from one measurement to the next (one history slot).</summary>
internal struct FilterSnapshot
{
    public double TimeS;
    public ModelStates Models;
    public double MuCa;                // probability of the manoeuvring model (IMM); CV prob = 1 - MuCa
    public int AcceptedCues, AcceptedBearings, GateRejected, DegenerateRejected, ConsecutiveRejects;
    public double NisAveragePerDof;
    public int NisSamples;
    public DivergenceReason Divergence;
}

/// <summary>The IMM (or single-model) filter cycle: interaction, prediction, gated update, mode
/// probabilities, covariance ceilings, divergence checks. Stateless apart from its tuning.</summary>
internal sealed class ImmFilter
{
    public const int MaxModels = 2;
    private const int N = Linalg.N;

    private readonly EstimatorConfig _cfg;
    private readonly MotionModel _m0, _m1;
    public int ModelCount { get; }
    public bool HasAcceleration { get; }
    private readonly double _tau0, _tau1;
    private Vec9 _ceilSigma;

    public ImmFilter(EstimatorConfig cfg)
    {
        _cfg = cfg;
        var cv = new MotionModel(MotionModelKind.ConstantVelocity, cfg.CvAccelNoiseDensity);
        var ca = new MotionModel(MotionModelKind.ConstantAcceleration, cfg.CaJerkNoiseDensity);
        switch (cfg.Models)
        {
            case ModelSet.ConstantVelocity: _m0 = cv; _m1 = cv; ModelCount = 1; break;
            case ModelSet.ConstantAcceleration: _m0 = ca; _m1 = ca; ModelCount = 1; HasAcceleration = true; break;
            default: _m0 = cv; _m1 = ca; ModelCount = 2; HasAcceleration = true; break;
        }
        _tau0 = cfg.CvMeanSojournS;
        _tau1 = cfg.CaMeanSojournS;
        for (int k = 0; k < 3; k++)
        {
            _ceilSigma[k] = cfg.CeilingPosSigmaM;
            _ceilSigma[3 + k] = cfg.CeilingVelSigmaMps;
            _ceilSigma[6 + k] = cfg.CeilingAccSigmaMps2;
        }
    }

    /// <summary>Starts a track: every model gets the same prior.</summary>
    public void Initialise(ref FilterSnapshot s, double timeS, Vector3d posNed, in Covariance3 posCov, Vector3d velNed,
        double velSigmaMps, double accSigmaMps2)
    {
        s = default;
        s.TimeS = timeS;
        s.MuCa = ModelCount == 2 ? _cfg.InitialManeuverProbability : (_m0.Kind == MotionModelKind.ConstantAcceleration ? 1 : 0);
        for (int j = 0; j < ModelCount; j++)
        {
            ref GaussianState g = ref s.Models[j];
            Linalg.SetBlock(ref g.X, 0, posNed);
            Linalg.SetBlock(ref g.X, 1, velNed);
            for (int r = 0; r < 3; r++)
                for (int c = 0; c < 3; c++) g.P[r * N + c] = posCov[r, c];
            bool acc = (j == 0 ? _m0 : _m1).Kind == MotionModelKind.ConstantAcceleration;
            for (int k = 0; k < 3; k++)
            {
                g.P[(3 + k) * N + 3 + k] = velSigmaMps * velSigmaMps;
                if (acc) g.P[(6 + k) * N + 6 + k] = accSigmaMps2 * accSigmaMps2;
            }
        }
    }

    /// <summary>Interaction (mixing) for a step of dt, then prediction of every model to the new time.</summary>
    public void MixAndPredict(ref FilterSnapshot s, double timeS, out double c0, out double c1)
    {
        double dt = timeS - s.TimeS;
        if (dt < 0) dt = 0;
        if (ModelCount == 1)
        {
            c0 = 1; c1 = 0;
            Kalman.Predict(ref s.Models[0], _m0, dt);
            ClampCovariance(ref s.Models[0]);
            s.TimeS = timeS;
            return;
        }

        double mu1 = s.MuCa, mu0 = 1 - mu1;
        double p00 = Math.Exp(-dt / _tau0), p11 = Math.Exp(-dt / _tau1);
        double p01 = 1 - p00, p10 = 1 - p11;
        c0 = p00 * mu0 + p10 * mu1;
        c1 = p01 * mu0 + p11 * mu1;
        // mixing weights mu_{i|j}
        double w00 = c0 > 0 ? p00 * mu0 / c0 : 1, w10 = 1 - w00;
        double w11 = c1 > 0 ? p11 * mu1 / c1 : 1, w01 = 1 - w11;

        MixInPlace(ref s.Models[0], ref s.Models[1], w00, w10, w01, w11);

        Kalman.Predict(ref s.Models[0], _m0, dt);
        Kalman.Predict(ref s.Models[1], _m1, dt);
        ClampCovariance(ref s.Models[0]);
        ClampCovariance(ref s.Models[1]);
        s.MuCa = c1;
        s.TimeS = timeS;
    }

    /// <summary>IMM interaction for two models in place: new a = w00 a + w10 b, new b = w01 a + w11 b (means),
    /// covariances with the spread-of-means terms. Element (i, j) of both results depends only on element
    /// (i, j) of both inputs and on the means, so the update needs no copy of the 1.3 KB model states.</summary>
    private static void MixInPlace(ref GaussianState a, ref GaussianState b, double w00, double w10, double w01, double w11)
    {
        Unsafe.SkipInit(out Vec9 da0b);
        Unsafe.SkipInit(out Vec9 db0b);
        Unsafe.SkipInit(out Vec9 da1b);
        Unsafe.SkipInit(out Vec9 db1b);
        ref double xa = ref a.X[0];
        ref double xb = ref b.X[0];
        ref double da0 = ref da0b[0], db0 = ref db0b[0], da1 = ref da1b[0], db1 = ref db1b[0];
        for (int i = 0; i < N; i++)
        {
            double ai = Unsafe.Add(ref xa, i), bi = Unsafe.Add(ref xb, i);
            double m0 = w00 * ai + w10 * bi, m1 = w01 * ai + w11 * bi;
            Unsafe.Add(ref da0, i) = ai - m0; Unsafe.Add(ref db0, i) = bi - m0;
            Unsafe.Add(ref da1, i) = ai - m1; Unsafe.Add(ref db1, i) = bi - m1;
            Unsafe.Add(ref xa, i) = m0;
            Unsafe.Add(ref xb, i) = m1;
        }
        ref double pa = ref a.P[0];
        ref double pb = ref b.P[0];
        for (int i = 0; i < N; i++)
        {
            double a0 = Unsafe.Add(ref da0, i), b0 = Unsafe.Add(ref db0, i), a1 = Unsafe.Add(ref da1, i), b1 = Unsafe.Add(ref db1, i);
            for (int j = i; j < N; j++)
            {
                double pij = Unsafe.Add(ref pa, i * N + j), qij = Unsafe.Add(ref pb, i * N + j);
                double v0 = w00 * (pij + a0 * Unsafe.Add(ref da0, j)) + w10 * (qij + b0 * Unsafe.Add(ref db0, j));
                double v1 = w01 * (pij + a1 * Unsafe.Add(ref da1, j)) + w11 * (qij + b1 * Unsafe.Add(ref db1, j));
                Unsafe.Add(ref pa, i * N + j) = v0; Unsafe.Add(ref pa, j * N + i) = v0;
                Unsafe.Add(ref pb, i * N + j) = v1; Unsafe.Add(ref pb, j * N + i) = v1;
            }
        }
    }

    private static void Mix(in GaussianState a, in GaussianState b, double wa, double wb, ref GaussianState o)
    {
        if (wb == 0) { o = a; return; }
        if (wa == 0) { o = b; return; }
        Vec9 da = default, db = default;
        for (int i = 0; i < N; i++)
        {
            double x = wa * a.X[i] + wb * b.X[i];
            o.X[i] = x;
            da[i] = a.X[i] - x;
            db[i] = b.X[i] - x;
        }
        for (int i = 0; i < N; i++)
            for (int j = i; j < N; j++)
            {
                double v = wa * (a.P[i * N + j] + da[i] * da[j]) + wb * (b.P[i * N + j] + db[i] * db[j]);
                o.P[i * N + j] = v;
                o.P[j * N + i] = v;
            }
    }

    /// <summary>Per-state 1-sigma ceilings: P = D P D with D = diag(min(1, cap_i / sigma_i)); keeps P
    /// positive semi-definite and bounds growth when measurements cannot observe some direction.</summary>
    /// <summary>Constrained-KF projection: acceleration := Pi acceleration with Pi = I - u u^T, u the unit
    /// velocity; P := D P D^T with D = diag(I, I, Pi). Models a target that turns but holds its speed
    /// (fixed wing cruise). Skipped while the direction of flight is not yet known.</summary>
    private static void ProjectAccelerationOffVelocity(ref GaussianState g)
    {
        Vector3d v = g.VelNed;
        double speed = v.Length;
        // Only once the direction of flight is known: speed >= 5 m/s and velocity 1-sigma below a third of it.
        if (!(speed >= 5) || Linalg.BlockTrace(g.P, 1) > speed * speed / 9) return;
        Vector3d u = v / speed;
        Span<double> pi = stackalloc double[9];
        pi[0] = 1 - u.X * u.X; pi[1] = -u.X * u.Y; pi[2] = -u.X * u.Z;
        pi[3] = pi[1]; pi[4] = 1 - u.Y * u.Y; pi[5] = -u.Y * u.Z;
        pi[6] = pi[2]; pi[7] = pi[5]; pi[8] = 1 - u.Z * u.Z;
        Vector3d a = g.AccNed;
        Linalg.SetBlock(ref g.X, 2, a - u * Vector3d.Dot(a, u));
        // Rows 6..8: P[6 + r, j] = sum_c Pi[r, c] P[6 + c, j]; then columns likewise (P stays symmetric).
        Span<double> tmp = stackalloc double[3];
        for (int j = 0; j < N; j++)
        {
            for (int r = 0; r < 3; r++)
                tmp[r] = pi[3 * r] * g.P[6 * N + j] + pi[3 * r + 1] * g.P[7 * N + j] + pi[3 * r + 2] * g.P[8 * N + j];
            for (int r = 0; r < 3; r++) g.P[(6 + r) * N + j] = tmp[r];
        }
        for (int i = 0; i < N; i++)
        {
            for (int r = 0; r < 3; r++)
                tmp[r] = pi[3 * r] * g.P[i * N + 6] + pi[3 * r + 1] * g.P[i * N + 7] + pi[3 * r + 2] * g.P[i * N + 8];
            for (int r = 0; r < 3; r++) g.P[i * N + 6 + r] = tmp[r];
        }
    }

    public void ClampCovariance(ref GaussianState g)
    {
        Vec9 d = default;
        bool any = false;
        for (int i = 0; i < N; i++)
        {
            double var = g.P[i * N + i], cap = _ceilSigma[i];
            if (var > cap * cap) { d[i] = cap / Math.Sqrt(var); any = true; }
            else d[i] = 1;
        }
        if (!any) return;
        for (int i = 0; i < N; i++)
            for (int j = 0; j < N; j++)
                g.P[i * N + j] *= d[i] * d[j];
    }

    /// <summary>One filter cycle for one measurement; the measurement time must not precede s.TimeS.</summary>
    public MeasurementOutcome Step(ref FilterSnapshot s, in Measurement m)
    {
        if (s.Divergence != DivergenceReason.None) return MeasurementOutcome.Diverged;
        // A measurement that is not absorbed leaves the track exactly as it was (the IMM interaction is
        // not a pure prediction, so even the mixing step is undone); only the counters move.
        double t0 = s.TimeS, mu0 = s.MuCa;
        ModelStates prior = s.Models;
        MixAndPredict(ref s, m.TimeS, out double c0, out double c1);

        // Innovations per model (bearings are linearised about each model's own prediction).
        PositionMeasurement pm0 = default, pm1 = default;
        Innovation in0 = default, in1 = default;
        bool ok0 = true, ok1 = ModelCount == 2;
        double gate;
        if (m.Kind == MeasurementKind.PositionCue)
        {
            gate = _cfg.GateChi2Position;
            Kalman.BuildPositionCue(s.Models[0], m.Z, m.R, out pm0);
            if (ok1) Kalman.BuildPositionCue(s.Models[1], m.Z, m.R, out pm1);
        }
        else
        {
            gate = _cfg.GateChi2Bearing;
            var l0 = Kalman.BuildBearing(s.Models[0], m.OwnPosNed, m.Z, m.SigmaRad, _cfg.MinBearingRangeM, out pm0);
            var l1 = ok1
                ? Kalman.BuildBearing(s.Models[1], m.OwnPosNed, m.Z, m.SigmaRad, _cfg.MinBearingRangeM, out pm1)
                : BearingLinearization.Behind;
            if (l0 == BearingLinearization.TooClose || l1 == BearingLinearization.TooClose)
            {
                s.TimeS = t0; s.MuCa = mu0; s.Models = prior;
                s.DegenerateRejected++;
                return MeasurementOutcome.Degenerate;
            }
            ok0 = l0 == BearingLinearization.Ok;
            ok1 = l1 == BearingLinearization.Ok;
        }
        ok0 = ok0 && Kalman.ComputeInnovation(s.Models[0], pm0, out in0);
        ok1 = ok1 && Kalman.ComputeInnovation(s.Models[1], pm1, out in1);

        double nisMin = double.PositiveInfinity;
        if (ok0) nisMin = in0.Nis;
        if (ok1 && in1.Nis < nisMin) nisMin = in1.Nis;
        int dof = m.Kind == MeasurementKind.PositionCue ? 3 : 2;
        if (!(nisMin <= gate))
        {
            s.TimeS = t0; s.MuCa = mu0; s.Models = prior;
            return Reject(ref s, nisMin / dof, 2 * gate / dof);
        }

        // Update every model that could be linearised; mode probabilities from the likelihoods.
        if (ok0) Kalman.Apply(ref s.Models[0], pm0, in0);
        if (ok1) Kalman.Apply(ref s.Models[1], pm1, in1);
        if (_cfg.ManeuverAccelPerpendicularToVelocity)
        {
            if (ok0 && _m0.Kind == MotionModelKind.ConstantAcceleration) ProjectAccelerationOffVelocity(ref s.Models[0]);
            if (ok1 && _m1.Kind == MotionModelKind.ConstantAcceleration) ProjectAccelerationOffVelocity(ref s.Models[1]);
        }
        if (ModelCount == 2)
        {
            double l0 = ok0 ? in0.LogLikelihood : double.NegativeInfinity;
            double l1 = ok1 ? in1.LogLikelihood : double.NegativeInfinity;
            double lmax = Math.Max(l0, l1);
            double a0 = c0 * Math.Exp(l0 - lmax), a1 = c1 * Math.Exp(l1 - lmax);
            double sum = a0 + a1;
            double mu1 = sum > 0 ? a1 / sum : c1;
            const double floor = 1e-6;
            s.MuCa = Math.Clamp(mu1, floor, 1 - floor);
            // A model that could not be linearised keeps its prediction; re-sync it to the updated one.
            if (!ok0) s.Models[0] = s.Models[1];
            if (!ok1) s.Models[1] = s.Models[0];
        }

        s.ConsecutiveRejects = 0;
        if (m.Kind == MeasurementKind.PositionCue) s.AcceptedCues++; else s.AcceptedBearings++;
        AddNis(ref s, nisMin / dof);
        for (int j = 0; j < ModelCount; j++)
            if (!s.Models[j].IsFinite) { s.Divergence = DivergenceReason.NumericalFailure; return MeasurementOutcome.Accepted; }
        return MeasurementOutcome.Accepted;
    }

    private void AddNis(ref FilterSnapshot s, double nisPerDof)
    {
        double w = _cfg.NisAverageWeight;
        s.NisAveragePerDof = s.NisSamples == 0 ? nisPerDof : (1 - w) * s.NisAveragePerDof + w * nisPerDof;
        s.NisSamples++;
        // The average needs some samples before it means anything (1 / weight ~ its memory).
        if (s.NisSamples >= (int)Math.Ceiling(1 / w) && s.NisAveragePerDof > _cfg.MaxAverageNisPerDof
            && s.Divergence == DivergenceReason.None)
            s.Divergence = DivergenceReason.NisOutOfBounds;
    }

    private MeasurementOutcome Reject(ref FilterSnapshot s, double nisPerDof, double capPerDof)
    {
        // Rejected measurements count in the NIS average too (capped, so one wild outlier weighs little):
        // otherwise the gate would hide an inconsistent filter from the average.
        AddNis(ref s, Math.Min(nisPerDof, capPerDof));
        s.GateRejected++;
        s.ConsecutiveRejects++;
        if (s.ConsecutiveRejects >= _cfg.MaxConsecutiveRejects && s.Divergence == DivergenceReason.None)
            s.Divergence = DivergenceReason.ConsecutiveRejects;
        return MeasurementOutcome.Gated;
    }

    /// <summary>Moment-matched combination of the models: mean, covariance and manoeuvre probability.</summary>
    public void Combine(in FilterSnapshot s, out GaussianState o)
    {
        if (ModelCount == 1) { o = s.Models[0]; return; }
        o = default;
        double w1 = s.MuCa, w0 = 1 - w1;
        Mix(s.Models[0], s.Models[1], w0, w1, ref o);
    }
}
