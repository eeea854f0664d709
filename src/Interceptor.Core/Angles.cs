namespace Interceptor.Core;

/// <summary>Angle helpers. Radians inside; degrees only at boundaries.</summary>
public static class Angles
{
    public const double DegToRad = Math.PI / 180.0;
    public const double RadToDeg = 180.0 / Math.PI;

    public static double ToRad(double deg) => deg * DegToRad;
    public static double ToDeg(double rad) => rad * RadToDeg;

    /// <summary>Wrap to [-pi, pi).</summary>
    public static double WrapPi(double rad)
    {
        if (!double.IsFinite(rad)) return rad;
        double r = Math.IEEERemainder(rad, 2 * Math.PI);
        return r >= Math.PI ? r - 2 * Math.PI : r;
    }

    /// <summary>Wrap to [0, 2 pi).</summary>
    public static double Wrap2Pi(double rad)
    {
        double r = WrapPi(rad);
        return r < 0 ? r + 2 * Math.PI : r;
    }

    /// <summary>Angle between two vectors in [0, pi]; 0 when either is zero.</summary>
    public static double Between(Vector3d a, Vector3d b)
    {
        double c = Vector3d.Cross(a, b).Length, d = Vector3d.Dot(a, b);
        return Math.Atan2(c, d);
    }
}
