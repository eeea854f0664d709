using Interceptor.Core;

namespace Interceptor.Guidance;

/// <summary>Optimal-control law on the zero-effort miss ("zem", the default):
/// ZEM = r + v tgo (+ 1/2 a_T tgo^2 when the target acceleration is known), a = N * ZEM / tgo^2.
/// With N = 3 this is the minimum-effort intercept of a double integrator (no lag); with tgo the closest
/// approach time it reduces to PN along the ZEM. The full ZEM is used (not only its part across the LOS), so
/// the law also commands the along-LOS acceleration needed to arrive in time -- a multirotor starting from a
/// hover accelerates by itself. tgo comes from <see cref="GuidanceConfig.TimeToGo"/> (default
/// InterceptAtMaxSpeed) and is clamped to [MinTimeToGoS, MaxTimeToGoS]; at the floor (intercept imminent, or
/// opening range under ClosestApproach / RangeOverClosingSpeed) the command becomes a large push at the
/// target (r + v tgo_min) that the shaper saturates. Zero range or non-finite input: zero.</summary>
public sealed class ZemLaw : IGuidanceLaw
{
    private readonly double _n, _maxSpeedMs, _minTgoS, _maxTgoS, _minRangeM;
    private readonly TimeToGoMethod _method;

    public ZemLaw(GuidanceConfig? config = null)
    {
        var c = (config ?? GuidanceConfig.Default).Validate();
        (_n, _maxSpeedMs, _minTgoS, _maxTgoS, _minRangeM, _method) =
            (c.NavigationConstant, c.MaxSpeedMs, c.MinTimeToGoS, c.MaxTimeToGoS, c.MinRangeM, c.TimeToGo);
    }

    public string Name => "zem";

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
        double range = state.RelPosNed.Length;
        if (!(range > _minRangeM) || !double.IsFinite(range)) return Vector3d.Zero;
        var (zem, tgo) = ZeroEffortMiss(state);
        return LawMath.Finite(zem * (_n / (tgo * tgo)));
    }
}
