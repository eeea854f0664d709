using Interceptor.Core;

namespace Interceptor.Guidance;

/// <summary>Optimal-control law on the zero-effort miss. ZEM = r + v tgo (+ 1/2 a_T tgo^2 when the target
/// acceleration is known): where the target will be relative to us at tgo if neither side manoeuvres
/// (the target keeping its known acceleration). a = N * ZEM / tgo^2 (N = 3: minimum-effort intercept of a
/// double integrator). Two forms share this type:
/// <list type="bullet">
/// <item>"zem" (default law): only the part of ZEM across the LOS is nulled, a = N ZEM_perp / tgo^2, plus the
/// PN-family speed hold along the LOS (see <see cref="TruePnLaw"/>). With the default InterceptAtMaxSpeed tgo
/// this is TPN whose gain uses the closing speed the vehicle will fly (R / tgo) instead of today's -- strong
/// from a hover -- with exact target-acceleration feed-forward. Flying at max speed stays the vehicle's job
/// (a multirotor is speed-capped, so arriving early beats saving effort).</item>
/// <item>"zem-full": the textbook law on the full ZEM vector; it also trades speed for effort (it may slow
/// down to turn and then stern-chase). Kept for comparison.</item>
/// </list>
/// tgo from <see cref="GuidanceConfig.TimeToGo"/>, clamped to [MinTimeToGoS, MaxTimeToGoS]. Degenerate cases:
/// zero range or non-finite input gives zero. "zem": the across-LOS term acts only while closing (Vc &gt; 0),
/// like the PN family; opening range leaves the speed hold, which turns the vehicle round. "zem-full": at the
/// tgo floor (intercept imminent, or opening range under ClosestApproach / RangeOverClosingSpeed) the command
/// is a large push at r + v tgo_min that the shaper saturates.</summary>
public sealed class ZemLaw : IGuidanceLaw
{
    private readonly double _n, _maxSpeedMs, _invTau, _minTgoS, _maxTgoS, _minRangeM;
    private readonly TimeToGoMethod _method;
    private readonly bool _full;

    /// <param name="config">Tuning (default <see cref="GuidanceConfig.Default"/>).</param>
    /// <param name="fullZem">False: "zem" (across-LOS + speed hold). True: "zem-full".</param>
    public ZemLaw(GuidanceConfig? config = null, bool fullZem = false)
    {
        var c = (config ?? GuidanceConfig.Default).Validate();
        (_n, _maxSpeedMs, _invTau, _minTgoS, _maxTgoS, _minRangeM, _method) =
            (c.NavigationConstant, c.MaxSpeedMs, 1.0 / c.VelocityTimeConstantS, c.MinTimeToGoS, c.MaxTimeToGoS, c.MinRangeM, c.TimeToGo);
        _full = fullZem;
    }

    public string Name => _full ? "zem-full" : "zem";

    /// <summary>The zero-effort miss [m] and the time to go [s] this law uses for <paramref name="state"/>.</summary>
    public (Vector3d ZemNed, double TimeToGoS) ZeroEffortMiss(in EngagementState state)
    {
        double tgo = TimeToGo.Estimate(state, _method, _maxSpeedMs, _minTgoS, _maxTgoS);
        var zem = state.RelPosNed + state.RelVelNed * tgo;
        if (state.TargetAccKnown) zem += state.TargetAccNed * (0.5 * tgo * tgo);
        return (zem, tgo);
    }

    public Vector3d AccelerationCommandNed(in EngagementState state)
    {
        if (!state.IsFinite) return Vector3d.Zero;
        var r = state.RelPosNed;
        double range = r.Length;
        if (!(range > _minRangeM) || !double.IsFinite(range)) return Vector3d.Zero;
        var (zem, tgo) = ZeroEffortMiss(state);
        double gain = _n / (tgo * tgo);
        if (_full) return LawMath.Finite(zem * gain);

        var u = r / range;
        var a = LawMath.SpeedHold(state.OwnVelNed, u, _maxSpeedMs, _invTau);
        if (Vector3d.Dot(state.RelVelNed, u) < 0)
            a += (zem - u * Vector3d.Dot(zem, u)) * gain;
        return LawMath.Finite(a);
    }
}
