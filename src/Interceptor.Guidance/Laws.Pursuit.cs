using Interceptor.Core;

namespace Interceptor.Guidance;

/// <summary>Pure pursuit ("pursuit"): what an FPV pilot flies by pointing the nose at the target.
/// Commands the velocity MaxSpeedMs along the current LOS through a first-order velocity loop and outputs
/// it as an acceleration: a = (MaxSpeedMs * LOS_unit - v_own) / VelocityTimeConstantS.
/// Zero range (&lt; MinRangeM) or non-finite input: zero.</summary>
public sealed class PurePursuitLaw : IGuidanceLaw
{
    private readonly double _speedMs, _invTau, _minRangeM;

    public PurePursuitLaw(GuidanceConfig? config = null)
    {
        var c = (config ?? GuidanceConfig.Default).Validate();
        _speedMs = c.MaxSpeedMs;
        _invTau = 1.0 / c.VelocityTimeConstantS;
        _minRangeM = c.MinRangeM;
    }

    public string Name => "pursuit";

    public Vector3d AccelerationCommandNed(in EngagementState state)
    {
        if (!state.IsFinite) return Vector3d.Zero;
        var r = state.RelPosNed;
        double range = r.Length;
        if (!(range > _minRangeM) || !double.IsFinite(range)) return Vector3d.Zero;
        var a = (r * (_speedMs / range) - state.OwnVelNed) * _invTau;
        return LawMath.Finite(a);
    }
}

/// <summary>Lead (deviated) pursuit ("lead"): like pursuit, but the commanded velocity (MaxSpeedMs) points
/// at the predicted intercept point r + v_T t, where t solves the collision triangle |r + v_T t| = MaxSpeedMs t
/// (constant target velocity). a = (MaxSpeedMs * aim_unit - v_own) / VelocityTimeConstantS. When the target
/// outruns MaxSpeedMs (no intercept point) it degrades to pure pursuit. Zero range or non-finite input: zero.</summary>
public sealed class LeadPursuitLaw : IGuidanceLaw
{
    private readonly double _speedMs, _invTau, _minRangeM;

    public LeadPursuitLaw(GuidanceConfig? config = null)
    {
        var c = (config ?? GuidanceConfig.Default).Validate();
        _speedMs = c.MaxSpeedMs;
        _invTau = 1.0 / c.VelocityTimeConstantS;
        _minRangeM = c.MinRangeM;
    }

    public string Name => "lead";

    public Vector3d AccelerationCommandNed(in EngagementState state)
    {
        if (!state.IsFinite) return Vector3d.Zero;
        var r = state.RelPosNed;
        double range = r.Length;
        if (!(range > _minRangeM) || !double.IsFinite(range)) return Vector3d.Zero;
        var aim = r;
        if (TimeToGo.TryInterceptTime(r, state.TargetVelNed, _speedMs, out double t))
        {
            var p = r + state.TargetVelNed * t;
            if (p.LengthSquared > 0) aim = p;
        }
        double aimLen = aim.Length;
        var a = (aim * (_speedMs / aimLen) - state.OwnVelNed) * _invTau;
        return LawMath.Finite(a);
    }
}

internal static class LawMath
{
    public static Vector3d Finite(Vector3d a) => a.IsFinite ? a : Vector3d.Zero;

    /// <summary>PN-family speed hold: accelerates along the hold direction d towards MaxSpeedMs,
    /// a = d (V_max - v_own.d) / tau. While closing, d = unit(v_own + 1 m/s * LOS_unit) -- the own velocity
    /// direction once moving (pure speed control, does not turn the vehicle), the LOS from a hover.
    /// Opening range (Vc &lt;= 0: target passed, behind or escaping): d = LOS_unit, i.e. turn round towards it.</summary>
    public static Vector3d SpeedHold(Vector3d ownVel, Vector3d losUnit, double closingSpeed, double maxSpeed, double invTau)
    {
        var d = losUnit;
        if (closingSpeed > 0)
        {
            var w = ownVel + losUnit;
            double n = w.Length;
            if (n > 1e-9) d = w / n;
        }
        return d * ((maxSpeed - Vector3d.Dot(ownVel, d)) * invTau);
    }
}
