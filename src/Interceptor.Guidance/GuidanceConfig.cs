using Interceptor.Core;

namespace Interceptor.Guidance;

/// <summary>How a law estimates the time to go [s]. All estimators clamp the result to
/// [<see cref="GuidanceConfig.MinTimeToGoS"/>, <see cref="GuidanceConfig.MaxTimeToGoS"/>].</summary>
public enum TimeToGoMethod
{
    /// <summary>Range / closing speed. Exact head-on; overestimates off head-on when the relative velocity
    /// is not along the LOS. Closing speed &lt;= 0 (opening or stationary range): the closest approach is now
    /// or past, so the minimum is returned.</summary>
    RangeOverClosingSpeed,

    /// <summary>Time of closest approach under constant relative velocity: -r.v / |v|^2. Stays exact off
    /// head-on for non-manoeuvring flight. Opening range (t &lt;= 0) or zero relative velocity: minimum.</summary>
    ClosestApproach,

    /// <summary>Earliest time t at which the own vehicle flying straight at max(MaxSpeedMs, own speed)
    /// meets the target extrapolated at constant velocity: |r + v_T t| = s t. Accounts for the own speed
    /// capability, so it stays sane from a hover start, off head-on and with opening range (the vehicle
    /// turns round). When no such t exists (target faster and escaping) falls back to ClosestApproach.</summary>
    InterceptAtMaxSpeed,
}

/// <summary>Tuning shared by the guidance laws. Immutable; <see cref="Validate"/> names the field and value
/// of anything out of range (called by <see cref="GuidanceLaws.Create"/> and every law constructor).</summary>
public sealed record GuidanceConfig
{
    /// <summary>Default configuration (N = 3, tgo by intercept at max speed, 20 m/s).</summary>
    public static GuidanceConfig Default { get; } = new();

    /// <summary>Navigation constant N of the PN family and ZEM law [-] (3 is energy-optimal for ZEM). (0, 20].</summary>
    public double NavigationConstant { get; init; } = 3.0;

    /// <summary>Floor of every time-to-go estimate [s]; bounds the ZEM gain N/tgo^2 near intercept. &gt; 0.</summary>
    public double MinTimeToGoS { get; init; } = 0.1;

    /// <summary>Ceiling of every time-to-go estimate [s] (zero closing speed would give infinity). &gt; MinTimeToGoS.</summary>
    public double MaxTimeToGoS { get; init; } = 120.0;

    /// <summary>Time-to-go estimator used by the ZEM law.</summary>
    public TimeToGoMethod TimeToGo { get; init; } = TimeToGoMethod.InterceptAtMaxSpeed;

    /// <summary>Own speed capability [m/s]: the speed pursuit and lead pursuit command, the speed the
    /// PN-family speed hold drives towards, and the speed of the InterceptAtMaxSpeed tgo estimate.
    /// Set it to the vehicle's top speed (see <see cref="ForVehicle"/>). &gt; 0.</summary>
    public double MaxSpeedMs { get; init; } = 20.0;

    /// <summary>Time constant of the first-order velocity loops [s]: pursuit/lead command
    /// a = (v_desired - v_own) / tau; the PN-family speed hold uses the same tau. &gt; 0.</summary>
    public double VelocityTimeConstantS { get; init; } = 0.5;

    /// <summary>Below this range [m] the LOS is undefined: every law commands zero (hold velocity). &gt;= 0.</summary>
    public double MinRangeM { get; init; } = 0.01;

    /// <summary>The same tuning with the speed capability of a vehicle.</summary>
    public static GuidanceConfig ForVehicle(VehicleLimits limits, GuidanceConfig? baseConfig = null) =>
        (baseConfig ?? Default) with { MaxSpeedMs = limits.Validate().MaxSpeedMs };

    /// <summary>Throws <see cref="ValidationException"/> naming the first bad field and its value.</summary>
    public GuidanceConfig Validate()
    {
        Require.InRange(NavigationConstant, 1e-9, 20.0, "GuidanceConfig.NavigationConstant");
        Require.Positive(MinTimeToGoS, "GuidanceConfig.MinTimeToGoS");
        Require.Positive(MaxTimeToGoS, "GuidanceConfig.MaxTimeToGoS");
        if (!(MaxTimeToGoS > MinTimeToGoS))
            Require.Fail("GuidanceConfig.MaxTimeToGoS", MaxTimeToGoS,
                FormattableString.Invariant($"must be greater than MinTimeToGoS = {MinTimeToGoS}"));
        if (!Enum.IsDefined(TimeToGo))
            Require.Fail("GuidanceConfig.TimeToGo", (int)TimeToGo, "is not a defined TimeToGoMethod");
        Require.Positive(MaxSpeedMs, "GuidanceConfig.MaxSpeedMs");
        Require.Positive(VelocityTimeConstantS, "GuidanceConfig.VelocityTimeConstantS");
        Require.NonNegative(MinRangeM, "GuidanceConfig.MinRangeM");
        return this;
    }
}
