using Interceptor.Core;

namespace Interceptor.Sim;

/// <summary>True target kinematics at one instant (NED).</summary>
public readonly record struct TargetKinematics(Vector3d PosNedM, Vector3d VelNedMs, Vector3d AccNedMs2);

/// <summary>A target whose motion is a deterministic function of time (everything random, such as
/// quad jinks, is drawn at construction from the run's stream), so its state is exact at any instant —
/// seeker exposures and the closest approach need no interpolation of the target.</summary>
public interface ITargetModel
{
    TargetKinematics StateAt(double timeS);
}

/// <summary>Straight flight at constant velocity.</summary>
public sealed class ConstantVelocityTarget(Vector3d startPosNedM, Vector3d velNedMs) : ITargetModel
{
    public TargetKinematics StateAt(double timeS) => new(startPosNedM + velNedMs * timeS, velNedMs, Vector3d.Zero);
}

/// <summary>Shahed-class fixed wing: constant speed along a path of straight legs joined by circular arcs
/// (route turns and the terminal-dive pull-down, at a given lateral acceleration), plus a horizontal weave:
/// a lateral offset A sin(w t + phase) perpendicular to the path with A w^2 = the weave acceleration.</summary>
public sealed class PathTarget : ITargetModel
{
    private readonly PathSegment[] _segments;
    private readonly double[] _segStartS;
    private readonly double _speedMs, _weaveAmpM, _weaveOmega, _weavePhaseRad;

    /// <param name="points">Polyline: start, corners..., a far end point. The last leg is extended
    /// indefinitely.</param>
    public PathTarget(IReadOnlyList<Vector3d> points, double speedMs, double turnAccelMs2,
        double weaveAccelMs2, double weavePeriodS, double weavePhaseRad)
    {
        if (points.Count < 2) throw new ArgumentException("a path needs at least two points", nameof(points));
        _speedMs = speedMs;
        _weaveOmega = 2 * Math.PI / weavePeriodS;
        _weaveAmpM = weaveAccelMs2 / (_weaveOmega * _weaveOmega);
        _weavePhaseRad = weavePhaseRad;
        double radius = speedMs > 0 ? speedMs * speedMs / turnAccelMs2 : 0;
        var segs = new List<PathSegment>();
        Vector3d cur = points[0];
        for (int i = 1; i < points.Count; i++)
        {
            var a = points[i - 1];
            var b = points[i];
            var d1 = (b - a).NormalizedOr(Vector3d.UnitX);
            if (i == points.Count - 1)
            {
                segs.Add(PathSegment.Line(cur, d1, (b - cur).Length + 1e7)); // extended final leg
                break;
            }
            var c = points[i + 1];
            var d2 = (c - b).NormalizedOr(d1);
            double alpha = Math.Acos(Math.Clamp(Vector3d.Dot(d1, d2), -1, 1));
            if (alpha < 1e-9 || radius <= 0)
            {
                segs.Add(PathSegment.Line(cur, d1, (b - cur).Length));
                cur = b;
                continue;
            }
            double tanHalf = Math.Tan(alpha / 2);
            double lt = radius * tanHalf;
            double maxLt = Math.Min((b - cur).Length, 0.5 * (c - b).Length);
            double r = radius;
            if (lt > maxLt) { lt = maxLt; r = lt / tanHalf; }
            var arcStart = b - d1 * lt;
            segs.Add(PathSegment.Line(cur, d1, (arcStart - cur).Length));
            var inward = (d2 - d1 * Vector3d.Dot(d2, d1)).NormalizedOr(Vector3d.UnitY);
            var center = arcStart + inward * r;
            segs.Add(PathSegment.Arc(center, -inward, d1, r, alpha));
            cur = b + d2 * lt;
        }
        _segments = segs.Where(s => s.LengthM > 0).ToArray();
        _segStartS = new double[_segments.Length];
        double acc = 0;
        for (int i = 0; i < _segments.Length; i++) { _segStartS[i] = acc; acc += _segments[i].LengthM; }
    }

    /// <summary>Number of path segments (lines and arcs).</summary>
    public int SegmentCount => _segments.Length;
    /// <summary>Peak lateral offset of the weave [m].</summary>
    public double WeaveAmplitudeM => _weaveAmpM;

    public TargetKinematics StateAt(double timeS)
    {
        var (p, v) = PosVel(timeS);
        // Acceleration by a central difference of the analytic velocity (truth only; 1e-4 s keeps it exact
        // to ~1e-6 m/s^2 on arcs and exact on legs).
        const double h = 1e-4;
        var (_, vp) = PosVel(timeS + h);
        var (_, vm) = PosVel(timeS - h);
        return new(p, v, (vp - vm) / (2 * h));
    }

    private (Vector3d Pos, Vector3d Vel) PosVel(double t)
    {
        double s = Math.Max(0, _speedMs * t);
        int i = Array.BinarySearch(_segStartS, s);
        if (i < 0) i = ~i - 1;
        i = Math.Clamp(i, 0, _segments.Length - 1);
        ref readonly var seg = ref _segments[i];
        seg.Eval(s - _segStartS[i], out var pos, out var tan, out var curv);
        var vel = tan * _speedMs;
        if (_weaveAmpM == 0) return (pos, vel);
        // Horizontal normal to the path (right of the track), its rate from the path curvature.
        var c = Vector3d.Cross(Vector3d.UnitZ, tan);
        double hLen = c.Length;
        if (hLen < 1e-9) return (pos, vel); // vertical path: no horizontal normal
        var n = c / hLen;
        var cDot = Vector3d.Cross(Vector3d.UnitZ, curv * _speedMs);
        var nDot = (cDot - n * Vector3d.Dot(n, cDot)) / hLen;
        double ph = _weaveOmega * t + _weavePhaseRad;
        double o = _weaveAmpM * Math.Sin(ph), oDot = _weaveAmpM * _weaveOmega * Math.Cos(ph);
        return (pos + n * o, vel + n * oDot + nDot * o);
    }

    private readonly struct PathSegment
    {
        private readonly Vector3d _a, _u, _w;   // line: start, direction; arc: centre, u (centre->start), w (start tangent)
        private readonly double _radius, _angle;
        public readonly double LengthM;
        private readonly bool _isArc;

        private PathSegment(Vector3d a, Vector3d u, Vector3d w, double radius, double angle, double length, bool isArc)
        { _a = a; _u = u; _w = w; _radius = radius; _angle = angle; LengthM = length; _isArc = isArc; }

        public static PathSegment Line(Vector3d start, Vector3d dir, double length) => new(start, dir, Vector3d.Zero, 0, 0, length, false);
        public static PathSegment Arc(Vector3d center, Vector3d u, Vector3d w, double radius, double angle) =>
            new(center, u, w, radius, angle, radius * angle, true);

        /// <summary>Position, unit tangent and curvature vector (d tangent / d s) at arc length s.</summary>
        public void Eval(double s, out Vector3d pos, out Vector3d tangent, out Vector3d curvature)
        {
            if (!_isArc)
            {
                pos = _a + _u * s; tangent = _u; curvature = Vector3d.Zero;
                return;
            }
            double th = Math.Min(s, LengthM) / _radius;
            double c = Math.Cos(th), sn = Math.Sin(th);
            pos = _a + (_u * c + _w * sn) * _radius;
            tangent = _w * c - _u * sn;
            curvature = -(_u * c + _w * sn) / _radius;
            if (s > LengthM) pos += tangent * (s - LengthM);
        }
    }
}

/// <summary>Small multirotor with random jinks: at random instants it picks a new velocity and changes to
/// it at a bounded acceleration (piecewise-constant acceleration, so its state is exact at any time).
/// The whole schedule is drawn at construction from one random stream: deterministic per seed.</summary>
public sealed class JinkingQuadTarget : ITargetModel
{
    private readonly double[] _t0;
    private readonly Vector3d[] _p0, _v0, _a;

    public JinkingQuadTarget(Vector3d startPosNedM, Vector3d startVelNedMs, double horizonS, double jinkAccelMs2,
        double intervalMinS, double intervalMaxS, double baseCourseRad, double headingSpreadRad,
        double speedMinMs, double speedMaxMs, double climbRateMs, ref SimRandom rng)
    {
        var t0 = new List<double>(); var p0 = new List<Vector3d>(); var v0 = new List<Vector3d>(); var acc = new List<Vector3d>();
        double t = 0; var p = startPosNedM; var v = startVelNedMs;
        while (t < horizonS)
        {
            double interval = rng.Uniform(intervalMinS, intervalMaxS);
            double course = baseCourseRad + rng.Symmetric(headingSpreadRad);
            double speed = rng.Uniform(speedMinMs, speedMaxMs);
            double climb = rng.Symmetric(climbRateMs);
            if (p.Down > -15) climb = Math.Abs(climb); // within 15 m of the ground: never descend
            var vGoal = new Vector3d(speed * Math.Cos(course), speed * Math.Sin(course), -climb);
            var dv = vGoal - v;
            double accelTime = jinkAccelMs2 > 0 ? dv.Length / jinkAccelMs2 : 0;
            double tEndJink = t + interval;
            if (accelTime > 1e-9)
            {
                var a = dv / accelTime;
                double dur = Math.Min(accelTime, interval);
                t0.Add(t); p0.Add(p); v0.Add(v); acc.Add(a);
                p += v * dur + a * (0.5 * dur * dur); v += a * dur; t += dur;
            }
            if (tEndJink > t)
            {
                t0.Add(t); p0.Add(p); v0.Add(v); acc.Add(Vector3d.Zero);
                p += v * (tEndJink - t); t = tEndJink;
            }
        }
        t0.Add(t); p0.Add(p); v0.Add(v); acc.Add(Vector3d.Zero);
        _t0 = t0.ToArray(); _p0 = p0.ToArray(); _v0 = v0.ToArray(); _a = acc.ToArray();
    }

    public TargetKinematics StateAt(double timeS)
    {
        int i = Array.BinarySearch(_t0, timeS);
        if (i < 0) i = ~i - 1;
        i = Math.Clamp(i, 0, _t0.Length - 1);
        double dt = timeS - _t0[i];
        return new(_p0[i] + _v0[i] * dt + _a[i] * (0.5 * dt * dt), _v0[i] + _a[i] * dt, _a[i]);
    }
}
