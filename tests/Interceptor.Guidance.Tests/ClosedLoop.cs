using Interceptor.Core;
using Interceptor.Guidance;

namespace Interceptor.Guidance.Tests;

/// <summary>Point-mass closed loop for tests: ideal measurements, non-manoeuvring (or constant-acceleration)
/// target, semi-implicit Euler (positions piecewise linear between steps), closest approach found exactly on
/// each linear segment. The run ends at the first local minimum of range (the pass).</summary>
internal static class ClosedLoop
{
    public readonly record struct Result(double MissM, double TimeOfClosestApproachS, double PeakAccelMs2, bool AllFinite);

    public static Result Fly(IGuidanceLaw law, Vector3d ownPos, Vector3d ownVel, Vector3d tgtPos, Vector3d tgtVel,
        double dt, double maxAccelMs2, double maxTimeS, MultirotorCommandShaper? shaper = null,
        Vector3d? targetAccNed = null, bool tellTargetAcc = false)
    {
        var tgtAcc = targetAccNed ?? Vector3d.Zero;
        double best = (tgtPos - ownPos).Length, bestT = 0, peak = 0;
        bool finite = true;
        for (double t = 0; t < maxTimeS; t += dt)
        {
            var state = EngagementState.FromAbsolute(ownPos, ownVel, tgtPos, tgtVel, tellTargetAcc ? tgtAcc : null);
            var a = law.AccelerationCommandNed(state);
            finite &= a.IsFinite;
            if (shaper is not null) a = shaper.Shape(a, state).AccelerationNed;
            else a = a.ClampLength(maxAccelMs2);
            peak = Math.Max(peak, a.Length);
            var r0 = tgtPos - ownPos;
            ownVel += a * dt;
            ownPos += ownVel * dt;
            tgtVel += tgtAcc * dt;
            tgtPos += tgtVel * dt;
            var r1 = tgtPos - ownPos;
            // Closest approach on the segment r(s) = r0 + (r1 - r0) s, s in [0, 1].
            var d = r1 - r0;
            double dd = d.LengthSquared;
            double s = dd > 0 ? Math.Clamp(-Vector3d.Dot(r0, d) / dd, 0, 1) : 0;
            double m = (r0 + d * s).Length;
            if (m < best) { best = m; bestT = t + s * dt; }
            // The first closest approach ends the run: range has a minimum inside this step (a pass, not a
            // later re-attack after turning round).
            if (s < 1 && r1.LengthSquared > r0.LengthSquared && t > 0) break;
        }
        return new Result(best, bestT, peak, finite);
    }
}
