using Interceptor.Core;

namespace Interceptor.Guidance;

/// <summary>Time-to-go estimators [s]. Pure functions; every result is finite and clamped to
/// [minS, maxS]. Degenerate cases are documented per method; non-finite inputs return minS.</summary>
public static class TimeToGo
{
    /// <summary>Range / closing speed. Head-on it is exact (R / Vc). Closing speed &lt;= 0 (opening or
    /// constant range): the closest approach is now or past, so <paramref name="minS"/>.</summary>
    public static double RangeOverClosingSpeed(Vector3d relPosNed, Vector3d relVelNed, double minS, double maxS)
    {
        double r = relPosNed.Length;
        if (!(r > 0) || !double.IsFinite(r)) return minS;
        double vc = -Vector3d.Dot(relPosNed, relVelNed) / r;
        if (!(vc > 0)) return minS;
        return Clamp(r / vc, minS, maxS);
    }

    /// <summary>Time of closest approach under constant relative velocity, -r.v/|v|^2. Opening range
    /// (result &lt;= 0) or zero relative velocity: <paramref name="minS"/> (closest approach is now).</summary>
    public static double ClosestApproach(Vector3d relPosNed, Vector3d relVelNed, double minS, double maxS)
    {
        double vv = relVelNed.LengthSquared;
        if (!(vv > 1e-18) || !double.IsFinite(vv)) return minS;
        double t = -Vector3d.Dot(relPosNed, relVelNed) / vv;
        return Clamp(t, minS, maxS);
    }

    /// <summary>Earliest t &gt; 0 with |r + v_T t| = s t, s = max(speedMs, |v_own|): the time to meet the
    /// constant-velocity target flying straight at speed s. Falls back to <see cref="ClosestApproach"/> when the
    /// target outruns s (no solution).</summary>
    public static double InterceptAtSpeed(Vector3d relPosNed, Vector3d relVelNed, Vector3d ownVelNed,
        double speedMs, double minS, double maxS)
    {
        double s = Math.Max(speedMs, ownVelNed.Length);
        if (TryInterceptTime(relPosNed, relVelNed + ownVelNed, s, out double t))
            return Clamp(t, minS, maxS);
        return ClosestApproach(relPosNed, relVelNed, minS, maxS);
    }

    /// <summary>The estimator a <see cref="GuidanceConfig"/> selects.</summary>
    public static double Estimate(in EngagementState state, GuidanceConfig config) =>
        Estimate(state, config.TimeToGo, config.MaxSpeedMs, config.MinTimeToGoS, config.MaxTimeToGoS);

    /// <summary>The estimator <paramref name="method"/> with explicit parameters.</summary>
    public static double Estimate(in EngagementState state, TimeToGoMethod method, double speedMs, double minS, double maxS) =>
        method switch
        {
            TimeToGoMethod.RangeOverClosingSpeed => RangeOverClosingSpeed(state.RelPosNed, state.RelVelNed, minS, maxS),
            TimeToGoMethod.ClosestApproach => ClosestApproach(state.RelPosNed, state.RelVelNed, minS, maxS),
            _ => InterceptAtSpeed(state.RelPosNed, state.RelVelNed, state.OwnVelNed, speedMs, minS, maxS),
        };

    /// <summary>Smallest t &gt; 0 solving |relPos + targetVel * t| = speedMs * t (collision triangle), i.e. when a
    /// vehicle leaving now at <paramref name="speedMs"/> in the best straight line meets the target moving at
    /// constant velocity. False when no positive finite solution exists (target outruns the speed, or zero range).</summary>
    public static bool TryInterceptTime(Vector3d relPosNed, Vector3d targetVelNed, double speedMs, out double timeS)
    {
        timeS = 0;
        double c = relPosNed.LengthSquared;
        if (!(c > 0) || !double.IsFinite(c) || !(speedMs >= 0)) return false;
        // (|vT|^2 - s^2) t^2 + 2 (r.vT) t + |r|^2 = 0
        double a = targetVelNed.LengthSquared - speedMs * speedMs;
        double b = 2 * Vector3d.Dot(relPosNed, targetVelNed);
        if (!double.IsFinite(a) || !double.IsFinite(b)) return false;
        double scale = targetVelNed.LengthSquared + speedMs * speedMs;
        double best = double.PositiveInfinity;
        if (Math.Abs(a) <= 1e-12 * scale || a == 0)
        {
            if (b < 0) best = -c / b;
        }
        else
        {
            double disc = b * b - 4 * a * c;
            if (disc < 0) return false;
            // Numerically stable roots: q = -(b + sign(b) sqrt(disc)) / 2, t1 = q / a, t2 = c / q.
            double q = -0.5 * (b + (b >= 0 ? Math.Sqrt(disc) : -Math.Sqrt(disc)));
            double t1 = q / a;
            double t2 = q != 0 ? c / q : double.NaN;
            if (t1 > 0 && t1 < best) best = t1;
            if (t2 > 0 && t2 < best) best = t2;
        }
        if (!double.IsFinite(best) || !(best > 0)) return false;
        timeS = best;
        return true;
    }

    private static double Clamp(double t, double minS, double maxS) =>
        double.IsNaN(t) ? minS : Math.Min(Math.Max(t, minS), maxS);
}
