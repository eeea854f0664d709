using System.Diagnostics;
using System.Runtime.CompilerServices;
using Interceptor.Core;

namespace Interceptor.Estimation;

/// <summary>Kinematic model of one IMM mode. All models share the 9-state layout of <see cref="Vec9"/>;
/// the constant-velocity model keeps the acceleration states at zero with zero covariance.</summary>
public enum MotionModelKind
{
    /// <summary>Nearly constant velocity: continuous white acceleration noise, density q [m^2/s^3].</summary>
    ConstantVelocity,
    /// <summary>Nearly constant acceleration: continuous white jerk noise (Wiener-process acceleration), density q [m^2/s^5].</summary>
    ConstantAcceleration,
}

/// <summary>A motion model and its continuous-time process-noise spectral density (per NED axis).</summary>
public readonly record struct MotionModel(MotionModelKind Kind, double NoiseDensity)
{
    /// <summary>Per-axis discrete transition F1 and process noise Q1 over [p, v, a] (3x3 row-major)
    /// for a step of <paramref name="dtS"/> seconds. Exact discretisation of the continuous models.</summary>
    public void Discretize(double dtS, Span<double> f1, Span<double> q1)
    {
        double t = dtS, t2 = t * t, t3 = t2 * t, q = NoiseDensity;
        f1.Clear();
        q1.Clear();
        f1[0] = 1; f1[1] = t; f1[4] = 1;
        if (Kind == MotionModelKind.ConstantVelocity)
        {
            q1[0] = q * t3 / 3; q1[1] = q1[3] = q * t2 / 2; q1[4] = q * t;
        }
        else
        {
            double t4 = t3 * t, t5 = t4 * t;
            f1[2] = t2 / 2; f1[5] = t; f1[8] = 1;
            q1[0] = q * t5 / 20; q1[1] = q1[3] = q * t4 / 8; q1[2] = q1[6] = q * t3 / 6;
            q1[4] = q * t3 / 3; q1[5] = q1[7] = q * t2 / 2; q1[8] = q * t;
        }
    }
}

/// <summary>Gaussian state of one model: mean <see cref="X"/> and covariance <see cref="P"/>.</summary>
public struct GaussianState
{
    public Vec9 X;
    public Mat9 P;

    public readonly Vector3d PosNed => Linalg.Block(X, 0);
    public readonly Vector3d VelNed => Linalg.Block(X, 1);
    public readonly Vector3d AccNed => Linalg.Block(X, 2);

    public readonly bool IsFinite
    {
        get
        {
            for (int i = 0; i < Linalg.N; i++) if (!double.IsFinite(X[i])) return false;
            for (int i = 0; i < Linalg.N * Linalg.N; i++) if (!double.IsFinite(P[i])) return false;
            for (int i = 0; i < Linalg.N; i++) if (P[i * Linalg.N + i] < 0) return false;
            return true;
        }
    }
}

[InlineArray(27)]
internal struct Buf27
{
    private double _e0;
}

[InlineArray(9)]
internal struct Buf9
{
    private double _e0;
}

[InlineArray(3)]
internal struct Buf3
{
    private double _e0;
}

/// <summary>Linear(ised) measurement of the position block: z = Hp p + noise, with residual
/// <see cref="Y"/> already formed (z - h(x_pred)) and noise covariance R (m x m).</summary>
internal struct PositionMeasurement
{
    public int M;
    public Buf9 Hp;  // m rows x 3 columns, row-major (row r at 3 r)
    public Buf3 Y;
    public Buf9 R;   // m x m row-major (row r at m r)
}

/// <summary>Innovation statistics for one model and one measurement.</summary>
internal struct Innovation
{
    public Buf27 A;     // P Hp^T restricted to position columns: 9 x m, row-major (row i at m i)
    public Buf9 S;      // m x m
    public Buf9 SInv;   // m x m
    public double Nis;
    public double LogLikelihood;
}

/// <summary>Outcome of building a bearing measurement against a predicted state.</summary>
internal enum BearingLinearization { Ok, TooClose, Behind }

/// <summary>Kalman filter maths on <see cref="GaussianState"/>: exact prediction for the linear models,
/// position and tangent-plane bearing updates. Stack only; nothing allocates.</summary>
public static class Kalman
{
    private const int N = Linalg.N;

    /// <summary>x = F x, P = F P F^T + Q for a step of <paramref name="dtS"/> (>= 0) seconds.</summary>
    public static void Predict(ref GaussianState s, in MotionModel model, double dtS)
    {
        Buf9 f1b = default, q1b = default;
        model.Discretize(dtS, f1b, q1b);
        // Hot loop: raw refs into the fixed buffers (indices are bounded by construction: 0..80).
        ref double f1 = ref f1b[0];
        ref double q1 = ref q1b[0];
        ref double x = ref s.X[0];
        ref double p = ref s.P[0];

        // State: per axis k, [p v a]' = F1 [p v a]'.
        for (int k = 0; k < 3; k++)
        {
            double pk = Unsafe.Add(ref x, k), vk = Unsafe.Add(ref x, 3 + k), ak = Unsafe.Add(ref x, 6 + k);
            Unsafe.Add(ref x, k) = f1 * pk + Unsafe.Add(ref f1, 1) * vk + Unsafe.Add(ref f1, 2) * ak;
            Unsafe.Add(ref x, 3 + k) = Unsafe.Add(ref f1, 3) * pk + Unsafe.Add(ref f1, 4) * vk + Unsafe.Add(ref f1, 5) * ak;
            Unsafe.Add(ref x, 6 + k) = Unsafe.Add(ref f1, 6) * pk + Unsafe.Add(ref f1, 7) * vk + Unsafe.Add(ref f1, 8) * ak;
        }

        // Covariance: F = F1 (x) I3, so (F P)[i, j] = sum_b F1[bi, b] P[3 b + ki, j], then (F P) F^T likewise.
        Unsafe.SkipInit(out Mat9 fpb);
        ref double fp = ref fpb[0];
        for (int bi = 0; bi < 3; bi++)
        {
            double c0 = Unsafe.Add(ref f1, 3 * bi), c1 = Unsafe.Add(ref f1, 3 * bi + 1), c2 = Unsafe.Add(ref f1, 3 * bi + 2);
            for (int ki = 0; ki < 3; ki++)
            {
                ref double r0 = ref Unsafe.Add(ref p, ki * N);
                ref double r1 = ref Unsafe.Add(ref p, (3 + ki) * N);
                ref double r2 = ref Unsafe.Add(ref p, (6 + ki) * N);
                ref double ro = ref Unsafe.Add(ref fp, (3 * bi + ki) * N);
                for (int j = 0; j < N; j++)
                    Unsafe.Add(ref ro, j) = c0 * Unsafe.Add(ref r0, j) + c1 * Unsafe.Add(ref r1, j) + c2 * Unsafe.Add(ref r2, j);
            }
        }
        for (int i = 0; i < N; i++)
        {
            int bi = i / 3, ki = i - 3 * bi;
            ref double ro = ref Unsafe.Add(ref fp, i * N);
            for (int bj = 0; bj < 3; bj++)
            {
                double c0 = Unsafe.Add(ref f1, 3 * bj), c1 = Unsafe.Add(ref f1, 3 * bj + 1), c2 = Unsafe.Add(ref f1, 3 * bj + 2);
                double q = Unsafe.Add(ref q1, 3 * bi + bj);
                for (int kj = 0; kj < 3; kj++)
                {
                    int j = 3 * bj + kj;
                    if (j < i) continue;
                    double v = c0 * Unsafe.Add(ref ro, kj) + c1 * Unsafe.Add(ref ro, 3 + kj) + c2 * Unsafe.Add(ref ro, 6 + kj);
                    if (ki == kj) v += q;
                    Unsafe.Add(ref p, i * N + j) = v;
                    Unsafe.Add(ref p, j * N + i) = v;
                }
            }
        }
    }

    /// <summary>Standard Kalman update with a position measurement z (NED) of covariance R.
    /// Returns the normalised innovation squared (NIS); false when S is not positive definite.</summary>
    public static bool UpdatePosition(ref GaussianState s, Vector3d posNed, in Covariance3 r, out double nis)
    {
        BuildPositionCue(s, posNed, r, out var pm);
        if (!ComputeInnovation(s, pm, out var inn)) { nis = double.NaN; return false; }
        Apply(ref s, pm, inn);
        nis = inn.Nis;
        return true;
    }

    /// <summary>Tangent-plane EKF update with a measured unit line of sight from <paramref name="ownPosNed"/>.
    /// Returns false (state untouched) when the predicted range is below <paramref name="minRangeM"/> or the
    /// measured direction is more than ~84 deg from the predicted one.</summary>
    public static bool UpdateBearing(ref GaussianState s, Vector3d ownPosNed, Vector3d losUnitNed, double sigmaRad,
        double minRangeM, out double nis)
    {
        nis = double.NaN;
        if (BuildBearing(s, ownPosNed, losUnitNed, sigmaRad, minRangeM, out var pm) != BearingLinearization.Ok) return false;
        if (!ComputeInnovation(s, pm, out var inn)) return false;
        Apply(ref s, pm, inn);
        nis = inn.Nis;
        return true;
    }

    internal static void BuildPositionCue(in GaussianState s, Vector3d z, in Covariance3 r, out PositionMeasurement pm)
    {
        pm = default;
        pm.M = 3;
        pm.Hp[0] = 1; pm.Hp[4] = 1; pm.Hp[8] = 1;
        pm.Y[0] = z.X - s.X[0]; pm.Y[1] = z.Y - s.X[1]; pm.Y[2] = z.Z - s.X[2];
        pm.R[0] = r.NN; pm.R[1] = r.NE; pm.R[2] = r.ND;
        pm.R[3] = r.NE; pm.R[4] = r.EE; pm.R[5] = r.ED;
        pm.R[6] = r.ND; pm.R[7] = r.ED; pm.R[8] = r.DD;
    }

    /// <summary>Bearing residual in the tangent plane of the predicted LOS u: y_i = (e_i . m) / (u . m)
    /// (gnomonic projection of the measured unit vector m), Jacobian e_i^T / range. No azimuth wrap and no
    /// elevation singularity: the basis (e1, e2) is built perpendicular to u from its smallest component.</summary>
    internal static BearingLinearization BuildBearing(in GaussianState s, Vector3d ownPosNed, Vector3d losUnitNed,
        double sigmaRad, double minRangeM, out PositionMeasurement pm)
    {
        pm = default;
        Vector3d rel = new Vector3d(s.X[0], s.X[1], s.X[2]) - ownPosNed;
        double range = rel.Length;
        if (!(range >= minRangeM)) return BearingLinearization.TooClose;
        Vector3d u = rel / range;
        double cosAng = Vector3d.Dot(u, losUnitNed);
        if (cosAng < 0.1) return BearingLinearization.Behind;

        double ax = Math.Abs(u.X), ay = Math.Abs(u.Y), az = Math.Abs(u.Z);
        Vector3d pick = ax <= ay && ax <= az ? Vector3d.UnitX : ay <= az ? Vector3d.UnitY : Vector3d.UnitZ;
        Vector3d e1 = pick.RejectFrom(u);
        e1 /= e1.Length;
        Vector3d e2 = Vector3d.Cross(u, e1);

        pm.M = 2;
        double ir = 1 / range;
        pm.Hp[0] = e1.X * ir; pm.Hp[1] = e1.Y * ir; pm.Hp[2] = e1.Z * ir;
        pm.Hp[3] = e2.X * ir; pm.Hp[4] = e2.Y * ir; pm.Hp[5] = e2.Z * ir;
        pm.Y[0] = Vector3d.Dot(e1, losUnitNed) / cosAng;
        pm.Y[1] = Vector3d.Dot(e2, losUnitNed) / cosAng;
        double var = sigmaRad * sigmaRad;
        pm.R[0] = var; pm.R[3] = var;
        return BearingLinearization.Ok;
    }

    /// <summary>A = P Hp^T (9 x m), S = Hp P_pp Hp^T + R, S^-1, NIS = y^T S^-1 y and the Gaussian log-likelihood.</summary>
    internal static bool ComputeInnovation(in GaussianState s, in PositionMeasurement pm, out Innovation inn)
    {
        Unsafe.SkipInit(out inn);
        int m = pm.M;
        ref double p = ref Unsafe.AsRef(in s.P[0]);
        ref double h = ref Unsafe.AsRef(in pm.Hp[0]);
        ref double a = ref inn.A[0];
        for (int i = 0; i < N; i++)
        {
            double p0 = Unsafe.Add(ref p, i * N), p1 = Unsafe.Add(ref p, i * N + 1), p2 = Unsafe.Add(ref p, i * N + 2);
            for (int r = 0; r < m; r++)
                Unsafe.Add(ref a, i * m + r) = p0 * Unsafe.Add(ref h, 3 * r) + p1 * Unsafe.Add(ref h, 3 * r + 1) + p2 * Unsafe.Add(ref h, 3 * r + 2);
        }
        // S = Hp A_pos + R, A_pos = rows 0..2 of A.
        for (int r = 0; r < m; r++)
            for (int c = r; c < m; c++)
            {
                double v = Unsafe.Add(ref h, 3 * r) * Unsafe.Add(ref a, c) + Unsafe.Add(ref h, 3 * r + 1) * Unsafe.Add(ref a, m + c)
                           + Unsafe.Add(ref h, 3 * r + 2) * Unsafe.Add(ref a, 2 * m + c) + pm.R[r * m + c];
                inn.S[r * m + c] = v;
                inn.S[c * m + r] = v;
            }
        if (!Linalg.InvertSpd(inn.S, m, inn.SInv, out double det)) { inn = default; return false; }
        double nis = 0;
        for (int r = 0; r < m; r++)
            for (int c = 0; c < m; c++)
                nis += pm.Y[r] * inn.SInv[r * m + c] * pm.Y[c];
        if (!double.IsFinite(nis) || nis < 0) { inn = default; return false; }
        inn.Nis = nis;
        inn.LogLikelihood = -0.5 * (nis + Math.Log(det) + m * Log2Pi);
        return true;
    }

    private static readonly double Log2Pi = Math.Log(2 * Math.PI);

    /// <summary>K = A S^-1; x += K y; P = P - K A^T - A K^T + K S K^T (Joseph-equivalent symmetric form).</summary>
    internal static void Apply(ref GaussianState s, in PositionMeasurement pm, in Innovation inn)
    {
        int m = pm.M;
        Debug.Assert(m is 2 or 3);
        Unsafe.SkipInit(out Buf27 kb);
        Unsafe.SkipInit(out Buf27 ksb);
        ref double k = ref kb[0];
        ref double ks = ref ksb[0];
        ref double a = ref Unsafe.AsRef(in inn.A[0]);
        ref double si = ref Unsafe.AsRef(in inn.SInv[0]);
        ref double sm = ref Unsafe.AsRef(in inn.S[0]);
        ref double x = ref s.X[0];
        ref double p = ref s.P[0];
        for (int i = 0; i < N; i++)
        {
            double dx = 0;
            for (int c = 0; c < m; c++)
            {
                double v = 0;
                for (int r = 0; r < m; r++) v += Unsafe.Add(ref a, i * m + r) * Unsafe.Add(ref si, r * m + c);
                Unsafe.Add(ref k, i * m + c) = v;
                dx += v * pm.Y[c];
            }
            Unsafe.Add(ref x, i) += dx;
            // KS = K S (9 x m) for the K S K^T term.
            for (int c = 0; c < m; c++)
            {
                double v = 0;
                for (int r = 0; r < m; r++) v += Unsafe.Add(ref k, i * m + r) * Unsafe.Add(ref sm, r * m + c);
                Unsafe.Add(ref ks, i * m + c) = v;
            }
        }
        for (int i = 0; i < N; i++)
        {
            ref double ki = ref Unsafe.Add(ref k, i * m);
            ref double ai = ref Unsafe.Add(ref a, i * m);
            ref double ksi = ref Unsafe.Add(ref ks, i * m);
            for (int j = i; j < N; j++)
            {
                ref double kj = ref Unsafe.Add(ref k, j * m);
                ref double aj = ref Unsafe.Add(ref a, j * m);
                // d = sum_c (KS - A)[i, c] K[j, c] - K[i, c] A[j, c]; m is 2 (bearing) or 3 (cue), written out.
                double d = (ksi - ai) * kj - ki * aj
                    + (Unsafe.Add(ref ksi, 1) - Unsafe.Add(ref ai, 1)) * Unsafe.Add(ref kj, 1) - Unsafe.Add(ref ki, 1) * Unsafe.Add(ref aj, 1);
                if (m == 3)
                    d += (Unsafe.Add(ref ksi, 2) - Unsafe.Add(ref ai, 2)) * Unsafe.Add(ref kj, 2) - Unsafe.Add(ref ki, 2) * Unsafe.Add(ref aj, 2);
                double v = Unsafe.Add(ref p, i * N + j) + d;
                Unsafe.Add(ref p, i * N + j) = v;
                Unsafe.Add(ref p, j * N + i) = v;
            }
        }
    }
}
