using System.Runtime.CompilerServices;

namespace Interceptor.Core;

/// <summary>Double-precision 3-vector. The frame is carried by the name of the variable
/// (<c>PosNed</c>, <c>AccBody</c>), the unit by its suffix; the type itself is frame-agnostic.</summary>
public readonly record struct Vector3d(double X, double Y, double Z)
{
    public static readonly Vector3d Zero = new(0, 0, 0);
    public static readonly Vector3d UnitX = new(1, 0, 0);
    public static readonly Vector3d UnitY = new(0, 1, 0);
    public static readonly Vector3d UnitZ = new(0, 0, 1);

    /// <summary>NED aliases: X = north, Y = east, Z = down.</summary>
    public double North => X;
    public double East => Y;
    public double Down => Z;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector3d operator +(Vector3d a, Vector3d b) => new(a.X + b.X, a.Y + b.Y, a.Z + b.Z);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector3d operator -(Vector3d a, Vector3d b) => new(a.X - b.X, a.Y - b.Y, a.Z - b.Z);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector3d operator -(Vector3d a) => new(-a.X, -a.Y, -a.Z);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector3d operator *(Vector3d a, double s) => new(a.X * s, a.Y * s, a.Z * s);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector3d operator *(double s, Vector3d a) => new(a.X * s, a.Y * s, a.Z * s);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector3d operator /(Vector3d a, double s) => new(a.X / s, a.Y / s, a.Z / s);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Dot(Vector3d a, Vector3d b) => a.X * b.X + a.Y * b.Y + a.Z * b.Z;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector3d Cross(Vector3d a, Vector3d b) =>
        new(a.Y * b.Z - a.Z * b.Y, a.Z * b.X - a.X * b.Z, a.X * b.Y - a.Y * b.X);

    public double LengthSquared => X * X + Y * Y + Z * Z;
    public double Length => Math.Sqrt(LengthSquared);
    /// <summary>Horizontal (north-east) length for NED vectors.</summary>
    public double HorizontalLength => Math.Sqrt(X * X + Y * Y);

    public bool IsFinite => double.IsFinite(X) && double.IsFinite(Y) && double.IsFinite(Z);

    /// <summary>Unit vector; <paramref name="fallback"/> when the length is zero or not finite.</summary>
    public Vector3d NormalizedOr(Vector3d fallback)
    {
        double n = Length;
        return n > 1e-12 && double.IsFinite(n) ? this / n : fallback;
    }

    /// <summary>The same direction with length at most <paramref name="max"/>.</summary>
    public Vector3d ClampLength(double max)
    {
        double n = Length;
        return n > max && n > 0 ? this * (max / n) : this;
    }

    /// <summary>Component of this vector perpendicular to unit vector <paramref name="u"/>.</summary>
    public Vector3d RejectFrom(Vector3d u) => this - u * Dot(this, u);

    public static Vector3d Lerp(Vector3d a, Vector3d b, double t) => a + (b - a) * t;

    public override string ToString() => FormattableString.Invariant($"({X:G6}, {Y:G6}, {Z:G6})");
}
