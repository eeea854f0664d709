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

    /// <summary>PN-family speed hold along the LOS: a = u ((V_max - |v_own|) + max(0, -v_own.u)) / tau.
    /// Zero when flying at V_max anywhere in the forward hemisphere of the LOS, so it adds no pursuit bias to a
    /// lead angle; from a hover it accelerates at the target; when flying away from the target (target passed
    /// or behind) it pushes towards it with V_max / tau, turning the vehicle round. Along the LOS it does not
    /// change the relative velocity across the LOS, so it does not disturb TPN's LOS-rate nulling.</summary>
    public static Vector3d SpeedHold(Vector3d ownVel, Vector3d losUnit, double maxSpeed, double invTau)
    {
        double deficit = maxSpeed - ownVel.Length + Math.Max(0.0, -Vector3d.Dot(ownVel, losUnit));
        return losUnit * (deficit * invTau);
    }
}
