namespace Interceptor.Core;

/// <summary>Double-precision unit quaternion (Hamilton convention, scalar first) that rotates
/// vectors from a body frame into a reference frame: <c>v_ref = q * v_body * conj(q)</c>.
/// This is the convention of MAVLink's ATTITUDE_QUATERNION (body FRD to NED).</summary>
public readonly record struct Quaterniond(double W, double X, double Y, double Z)
{
    public static readonly Quaterniond Identity = new(1, 0, 0, 0);

    public static Quaterniond operator *(Quaterniond a, Quaterniond b) => new(
        a.W * b.W - a.X * b.X - a.Y * b.Y - a.Z * b.Z,
        a.W * b.X + a.X * b.W + a.Y * b.Z - a.Z * b.Y,
        a.W * b.Y - a.X * b.Z + a.Y * b.W + a.Z * b.X,
        a.W * b.Z + a.X * b.Y - a.Y * b.X + a.Z * b.W);

    public Quaterniond Conjugate => new(W, -X, -Y, -Z);
    public double Norm => Math.Sqrt(W * W + X * X + Y * Y + Z * Z);
    public bool IsFinite => double.IsFinite(W) && double.IsFinite(X) && double.IsFinite(Y) && double.IsFinite(Z);

    public Quaterniond Normalized()
    {
        double n = Norm;
        if (!(n > 1e-12) || !double.IsFinite(n)) return Identity;
        return new(W / n, X / n, Y / n, Z / n);
    }

    /// <summary>Rotate a body-frame vector into the reference frame.</summary>
    public Vector3d Rotate(Vector3d v)
    {
        // v' = v + 2w(u x v) + 2 u x (u x v), u = (X,Y,Z)
        var u = new Vector3d(X, Y, Z);
        var t = Vector3d.Cross(u, v) * 2.0;
        return v + t * W + Vector3d.Cross(u, t);
    }

    /// <summary>Rotate a reference-frame vector into the body frame.</summary>
    public Vector3d RotateInverse(Vector3d v) => Conjugate.Rotate(v);

    public static Quaterniond FromAxisAngle(Vector3d axis, double angleRad)
    {
        var a = axis.NormalizedOr(Vector3d.UnitZ);
        double h = 0.5 * angleRad, s = Math.Sin(h);
        return new(Math.Cos(h), a.X * s, a.Y * s, a.Z * s);
    }

    /// <summary>Aerospace 3-2-1 sequence: yaw about Z, then pitch about Y, then roll about X.</summary>
    public static Quaterniond FromEuler(double rollRad, double pitchRad, double yawRad)
    {
        double cr = Math.Cos(rollRad * 0.5), sr = Math.Sin(rollRad * 0.5);
        double cp = Math.Cos(pitchRad * 0.5), sp = Math.Sin(pitchRad * 0.5);
        double cy = Math.Cos(yawRad * 0.5), sy = Math.Sin(yawRad * 0.5);
        return new(
            cr * cp * cy + sr * sp * sy,
            sr * cp * cy - cr * sp * sy,
            cr * sp * cy + sr * cp * sy,
            cr * cp * sy - sr * sp * cy);
    }

    /// <summary>Roll, pitch, yaw (3-2-1) in radians.</summary>
    public (double RollRad, double PitchRad, double YawRad) ToEuler()
    {
        double roll = Math.Atan2(2 * (W * X + Y * Z), 1 - 2 * (X * X + Y * Y));
        double sp = Math.Clamp(2 * (W * Y - Z * X), -1.0, 1.0);
        double pitch = Math.Asin(sp);
        double yaw = Math.Atan2(2 * (W * Z + X * Y), 1 - 2 * (Y * Y + Z * Z));
        return (roll, pitch, yaw);
    }

    /// <summary>Shortest rotation taking unit vector <paramref name="from"/> onto <paramref name="to"/>.</summary>
    public static Quaterniond FromTwoVectors(Vector3d from, Vector3d to)
    {
        var a = from.NormalizedOr(Vector3d.UnitX);
        var b = to.NormalizedOr(Vector3d.UnitX);
        double d = Vector3d.Dot(a, b);
        if (d < -1 + 1e-12)
        {
            var axis = Vector3d.Cross(Vector3d.UnitX, a);
            if (axis.LengthSquared < 1e-12) axis = Vector3d.Cross(Vector3d.UnitY, a);
            return FromAxisAngle(axis, Math.PI);
        }
        var c = Vector3d.Cross(a, b);
        return new Quaterniond(1 + d, c.X, c.Y, c.Z).Normalized();
    }

    public override string ToString() => FormattableString.Invariant($"[{W:G6}, {X:G6}, {Y:G6}, {Z:G6}]");
}
