using Interceptor.Core;

namespace Interceptor.Engagement;

/// <summary>Own vehicle state as the autopilot reports it (NED).</summary>
public readonly record struct OwnVehicleState(double TimeS, Vector3d PosNedM, Vector3d VelNedMs, double YawRad);

/// <summary>What the autopilot is told to do: kinematic acceleration setpoint (dv/dt, gravity NOT included —
/// the autopilot adds it, as PX4 offboard and ArduPilot GUIDED acceleration targets expect) and heading.</summary>
public readonly record struct VehicleSetpoint(Vector3d AccelerationNedMs2, double YawRad);

/// <summary>Outcome of the safety gate for one command.</summary>
public enum GateVerdict
{
    /// <summary>The command passes unchanged.</summary>
    Pass,
    /// <summary>The command was limited (e.g. descent cut at the altitude floor) but the engagement continues.</summary>
    Modified,
    /// <summary>The engagement must stop: the setpoint is a safe brake-to-hover command.</summary>
    Rejected,
}

/// <summary>Why the gate acted (several may apply).</summary>
[Flags]
public enum GateReasons
{
    None = 0,
    /// <summary>A command or own-state value was NaN or infinite.</summary>
    NonFinite = 1,
    /// <summary>The descent was limited so the vehicle stays above the altitude floor.</summary>
    AltitudeFloor = 2,
    /// <summary>The vehicle is outside the geofence.</summary>
    Geofence = 4,
    /// <summary>No operator authorization (or it was revoked).</summary>
    NotAuthorized = 8,
}

public readonly record struct GateDecision(GateVerdict Verdict, GateReasons Reasons, VehicleSetpoint Setpoint);

/// <summary>The single point between guidance and the autopilot through which every setpoint passes.
/// Everything that may veto or limit an engagement lives behind this interface: geofence, altitude floor,
/// non-finite values, and — to be plugged in by the autopilot integration — operator authorization
/// (human on the loop, revocable at any time), ADS-B crewed-aircraft and no-engage-zone rules, link-loss
/// failsafes. Implementations must be allocation-free and never return a non-finite setpoint.</summary>
public interface ISafetyGate
{
    GateDecision Check(in OwnVehicleState own, in VehicleSetpoint proposed);
}

/// <summary>Configuration of <see cref="BasicSafetyGate"/>.</summary>
public sealed record SafetyGateConfig
{
    /// <summary>Lowest altitude above the NED origin's ground (altitude = -Down) the vehicle may be driven to [m].</summary>
    public double AltitudeFloorM { get; init; } = 20;
    /// <summary>Centre of the circular geofence (horizontal components used) [m, NED].</summary>
    public Vector3d GeofenceCenterNedM { get; init; } = Vector3d.Zero;
    /// <summary>Radius of the geofence about its centre [m].</summary>
    public double GeofenceRadiusM { get; init; } = 10000;
    /// <summary>Time constant of the altitude-floor barrier and of the brake-to-hover safe command [s].</summary>
    public double RecoveryTimeConstantS { get; init; } = 1.0;

    public SafetyGateConfig Validate()
    {
        Require.NonNegative(AltitudeFloorM, "SafetyGateConfig.AltitudeFloorM");
        Require.Finite(GeofenceCenterNedM, "SafetyGateConfig.GeofenceCenterNedM");
        Require.Positive(GeofenceRadiusM, "SafetyGateConfig.GeofenceRadiusM");
        Require.Positive(RecoveryTimeConstantS, "SafetyGateConfig.RecoveryTimeConstantS");
        return this;
    }
}

/// <summary>Minimal real safety gate:
/// <list type="bullet">
/// <item>non-finite own state or command -> Rejected, brake-to-hover (zero acceleration if the velocity itself is not finite);</item>
/// <item>outside the geofence radius -> Rejected, brake-to-hover;</item>
/// <item>altitude floor: the downward acceleration is capped by a critically damped barrier
/// a_down &lt;= h/tau^2 - 2 v_down/tau (h = height above the floor), so the vehicle settles onto the floor at worst
/// and climbs back when below it -> Modified when the cap acts;</item>
/// <item>operator authorization and ADS-B / no-engage rules are not decided here yet: they plug in as further
/// checks in this same method (see <see cref="ISafetyGate"/>).</item>
/// </list></summary>
public sealed class BasicSafetyGate : ISafetyGate
{
    private readonly SafetyGateConfig _c;
    private readonly double _kp, _kd;

    public BasicSafetyGate(SafetyGateConfig? config = null)
    {
        _c = (config ?? new SafetyGateConfig()).Validate();
        _kp = 1.0 / (_c.RecoveryTimeConstantS * _c.RecoveryTimeConstantS);
        _kd = 2.0 / _c.RecoveryTimeConstantS;
    }

    public SafetyGateConfig Config => _c;

    public GateDecision Check(in OwnVehicleState own, in VehicleSetpoint proposed)
    {
        bool ownFinite = own.PosNedM.IsFinite && own.VelNedMs.IsFinite && double.IsFinite(own.YawRad);
        if (!ownFinite || !proposed.AccelerationNedMs2.IsFinite || !double.IsFinite(proposed.YawRad))
            return new(GateVerdict.Rejected, GateReasons.NonFinite, SafeCommand(own));

        double dn = own.PosNedM.North - _c.GeofenceCenterNedM.North, de = own.PosNedM.East - _c.GeofenceCenterNedM.East;
        if (dn * dn + de * de > _c.GeofenceRadiusM * _c.GeofenceRadiusM)
            return new(GateVerdict.Rejected, GateReasons.Geofence, SafeCommand(own));

        var a = proposed.AccelerationNedMs2;
        double heightAboveFloorM = -own.PosNedM.Down - _c.AltitudeFloorM;
        double aDownMax = _kp * heightAboveFloorM - _kd * own.VelNedMs.Down;
        if (a.Down > aDownMax)
            return new(GateVerdict.Modified, GateReasons.AltitudeFloor, new VehicleSetpoint(a with { Z = aDownMax }, proposed.YawRad));
        return new(GateVerdict.Pass, GateReasons.None, proposed);
    }

    /// <summary>Brake to hover: a = -v / tau, heading held; zero when the velocity is not finite.</summary>
    public VehicleSetpoint SafeCommand(in OwnVehicleState own)
    {
        var a = own.VelNedMs.IsFinite ? own.VelNedMs * (-1.0 / _c.RecoveryTimeConstantS) : Vector3d.Zero;
        double yaw = double.IsFinite(own.YawRad) ? own.YawRad : 0;
        return new VehicleSetpoint(a, yaw);
    }
}
