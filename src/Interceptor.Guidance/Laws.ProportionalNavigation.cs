using Interceptor.Core;

namespace Interceptor.Guidance;

// The PN family shares one documented behaviour set:
//  * lateral term: the textbook law, applied only while closing (Vc > 0). With Vc <= 0 (opening range:
//    target passed, behind and escaping, or zero closing speed) PN with a negative closing speed would drive
//    the LOS rate up, so the lateral term is zero;
//  * speed hold: PN only steers; a multirotor must also make its own speed. Every PN law adds, along the LOS,
//    a_hold = u ((MaxSpeedMs - |v_own|) + max(0, -v_own.u)) / VelocityTimeConstantS (see LawMath.SpeedHold):
//    zero at MaxSpeedMs in the LOS forward hemisphere, accelerates at the target from a hover, and turns the
//    vehicle round when it flies away from the target;
//  * zero range (< MinRangeM) or any non-finite input: zero command.

/// <summary>Pure PN ("ppn"): lateral a = N * (omega x v_own), perpendicular to the own velocity, with
/// omega = r x v / |r|^2 the LOS rate; magnitude N |v_own| |omega| when omega is perpendicular to v_own.
/// Zero own velocity gives no lateral term (the speed hold then accelerates along the LOS). Plus the speed hold.</summary>
public sealed class PurePnLaw : IGuidanceLaw
{
    private readonly double _n, _maxSpeedMs, _invTau, _minRangeM;

    public PurePnLaw(GuidanceConfig? config = null)
    {
        var c = (config ?? GuidanceConfig.Default).Validate();
        (_n, _maxSpeedMs, _invTau, _minRangeM) = (c.NavigationConstant, c.MaxSpeedMs, 1.0 / c.VelocityTimeConstantS, c.MinRangeM);
    }

    public string Name => "ppn";

    public Vector3d AccelerationCommandNed(in EngagementState state)
    {
        if (!state.IsFinite) return Vector3d.Zero;
        var r = state.RelPosNed;
        var v = state.RelVelNed;
        double r2 = r.LengthSquared;
        double range = Math.Sqrt(r2);
        if (!(range > _minRangeM) || !double.IsFinite(range)) return Vector3d.Zero;
        var u = r / range;
        double vc = -Vector3d.Dot(u, v);
        var a = LawMath.SpeedHold(state.OwnVelNed, u, _maxSpeedMs, _invTau);
        if (vc > 0)
        {
            var omega = Vector3d.Cross(r, v) / r2;
            a += Vector3d.Cross(omega, state.OwnVelNed) * _n;
        }
        return LawMath.Finite(a);
    }
}

/// <summary>True PN ("tpn"): lateral a = N * Vc * (omega x LOS_unit) = N * Vc * v_perp / R, perpendicular to the
/// LOS, magnitude N * Vc * |omega|. Plus the speed hold.</summary>
public sealed class TruePnLaw : IGuidanceLaw
{
    private readonly double _n, _maxSpeedMs, _invTau, _minRangeM;

    public TruePnLaw(GuidanceConfig? config = null)
    {
        var c = (config ?? GuidanceConfig.Default).Validate();
        (_n, _maxSpeedMs, _invTau, _minRangeM) = (c.NavigationConstant, c.MaxSpeedMs, 1.0 / c.VelocityTimeConstantS, c.MinRangeM);
    }

    public string Name => "tpn";

    public Vector3d AccelerationCommandNed(in EngagementState state) =>
        PnCore.Tpn(state, _n, _maxSpeedMs, _invTau, _minRangeM, augmented: false);
}

/// <summary>Augmented PN ("apn"): TPN plus N/2 times the target acceleration component perpendicular to the
/// LOS (only when <see cref="EngagementState.TargetAccKnown"/>; otherwise identical to TPN). Plus the speed hold.</summary>
public sealed class AugmentedPnLaw : IGuidanceLaw
{
    private readonly double _n, _maxSpeedMs, _invTau, _minRangeM;

    public AugmentedPnLaw(GuidanceConfig? config = null)
    {
        var c = (config ?? GuidanceConfig.Default).Validate();
        (_n, _maxSpeedMs, _invTau, _minRangeM) = (c.NavigationConstant, c.MaxSpeedMs, 1.0 / c.VelocityTimeConstantS, c.MinRangeM);
    }

    public string Name => "apn";

    public Vector3d AccelerationCommandNed(in EngagementState state) =>
        PnCore.Tpn(state, _n, _maxSpeedMs, _invTau, _minRangeM, augmented: true);
}

internal static class PnCore
{
    public static Vector3d Tpn(in EngagementState state, double n, double maxSpeedMs, double invTau, double minRangeM, bool augmented)
    {
        if (!state.IsFinite) return Vector3d.Zero;
        var r = state.RelPosNed;
        var v = state.RelVelNed;
        double range = r.Length;
        if (!(range > minRangeM) || !double.IsFinite(range)) return Vector3d.Zero;
        var u = r / range;
        double vDotU = Vector3d.Dot(v, u);
        double vc = -vDotU;
        var a = LawMath.SpeedHold(state.OwnVelNed, u, maxSpeedMs, invTau);
        if (vc > 0)
        {
            var vPerp = v - u * vDotU; // relative velocity across the LOS; omega x u = vPerp / R
            a += vPerp * (n * vc / range);
            if (augmented && state.TargetAccKnown)
            {
                var at = state.TargetAccNed;
                a += (at - u * Vector3d.Dot(at, u)) * (0.5 * n);
            }
        }
        return LawMath.Finite(a);
    }
}
