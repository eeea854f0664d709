using System.Runtime.CompilerServices;
using Interceptor.Core;

namespace Interceptor.Estimation;

/// <summary>Fixed 9-element vector stored inline (no heap). State order is
/// [pN, pE, pD, vN, vE, vD, aN, aE, aD]: index = 3 * block + axis, block 0 = position [m],
/// 1 = velocity [m/s], 2 = acceleration [m/s^2].</summary>
[InlineArray(9)]
public struct Vec9
{
    private double _e0;
}

/// <summary>Fixed 9x9 matrix stored inline, row-major (element (r, c) at index 9 r + c).</summary>
[InlineArray(81)]
public struct Mat9
{
    private double _e0;
}

/// <summary>Symmetric 3x3 matrix (a covariance in NED: [m^2] for positions).</summary>
public readonly record struct Covariance3(double NN, double EE, double DD, double NE, double ND, double ED)
{
    /// <summary>Isotropic covariance sigma^2 I.</summary>
    public static Covariance3 Isotropic(double sigma) => new(sigma * sigma, sigma * sigma, sigma * sigma, 0, 0, 0);

    /// <summary>Diagonal covariance from per-axis 1-sigma values.</summary>
    public static Covariance3 Diagonal(double sigmaN, double sigmaE, double sigmaD) =>
        new(sigmaN * sigmaN, sigmaE * sigmaE, sigmaD * sigmaD, 0, 0, 0);

    public double this[int r, int c] => (r, c) switch
    {
        (0, 0) => NN, (1, 1) => EE, (2, 2) => DD,
        (0, 1) or (1, 0) => NE,
        (0, 2) or (2, 0) => ND,
        (1, 2) or (2, 1) => ED,
        _ => throw new ArgumentOutOfRangeException(nameof(r)),
    };

    public double Trace => NN + EE + DD;

    public bool IsFinite => double.IsFinite(NN) && double.IsFinite(EE) && double.IsFinite(DD)
        && double.IsFinite(NE) && double.IsFinite(ND) && double.IsFinite(ED);

    /// <summary>True when finite and positive definite (Sylvester's criterion on the leading minors).</summary>
    public bool IsPositiveDefinite
    {
        get
        {
            if (!IsFinite || NN <= 0) return false;
            double m2 = NN * EE - NE * NE;
            if (m2 <= 0) return false;
            double det = NN * (EE * DD - ED * ED) - NE * (NE * DD - ED * ND) + ND * (NE * ED - EE * ND);
            return det > 0;
        }
    }
}

/// <summary>Small dense helpers over <see cref="Vec9"/>/<see cref="Mat9"/> and 3x3 row-major scratch.
/// Everything works on stack storage; nothing allocates.</summary>
public static class Linalg
{
    public const int N = 9;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector3d Block(in Vec9 x, int block) => new(x[3 * block], x[3 * block + 1], x[3 * block + 2]);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void SetBlock(ref Vec9 x, int block, Vector3d v)
    {
        x[3 * block] = v.X;
        x[3 * block + 1] = v.Y;
        x[3 * block + 2] = v.Z;
    }

    /// <summary>Trace of the 3x3 diagonal block <paramref name="block"/> of P.</summary>
    public static double BlockTrace(in Mat9 p, int block)
    {
        int b = 3 * block;
        return p[b * N + b] + p[(b + 1) * N + b + 1] + p[(b + 2) * N + b + 2];
    }

    /// <summary>Covariance of the 3x3 diagonal block <paramref name="block"/>.</summary>
    public static Covariance3 BlockCovariance(in Mat9 p, int block)
    {
        int b = 3 * block;
        return new Covariance3(p[b * N + b], p[(b + 1) * N + b + 1], p[(b + 2) * N + b + 2],
            p[b * N + b + 1], p[b * N + b + 2], p[(b + 1) * N + b + 2]);
    }

    /// <summary>Inverse and determinant of a symmetric positive-definite m x m matrix (m = 1..3) given
    /// row-major in the first m*m entries of <paramref name="s"/>. Returns false when not positive definite.</summary>
    public static bool InvertSpd(ReadOnlySpan<double> s, int m, Span<double> inv, out double det)
    {
        switch (m)
        {
            case 1:
                det = s[0];
                if (!(det > 0) || !double.IsFinite(det)) return false;
                inv[0] = 1 / det;
                return true;
            case 2:
            {
                double a = s[0], b = s[1], d = s[3];
                det = a * d - b * b;
                if (!(a > 0) || !(det > 0) || !double.IsFinite(det)) return false;
                double id = 1 / det;
                inv[0] = d * id; inv[1] = -b * id; inv[2] = -b * id; inv[3] = a * id;
                return true;
            }
            case 3:
            {
                double a = s[0], b = s[1], c = s[2], e = s[4], f = s[5], i = s[8];
                double c00 = e * i - f * f, c01 = c * f - b * i, c02 = b * f - c * e;
                det = a * c00 + b * c01 + c * c02;
                if (!(a > 0) || !(a * e - b * b > 0) || !(det > 0) || !double.IsFinite(det)) return false;
                double id = 1 / det;
                double c11 = a * i - c * c, c12 = b * c - a * f, c22 = a * e - b * b;
                inv[0] = c00 * id; inv[1] = c01 * id; inv[2] = c02 * id;
                inv[3] = c01 * id; inv[4] = c11 * id; inv[5] = c12 * id;
                inv[6] = c02 * id; inv[7] = c12 * id; inv[8] = c22 * id;
                return true;
            }
            default:
                det = 0;
                return false;
        }
    }
}
