using Interceptor.Core;

namespace Interceptor.Sim.VirtualAutopilot;

/// <summary>Which real autopilot the virtual one imitates.</summary>
public enum VapPersona
{
    /// <summary>PX4 v1.16 (offboard link: UDP from 14580 to 14540).</summary>
    Px4,
    /// <summary>ArduCopter 4.7 (TCP server 5760, optional UDP).</summary>
    ArduPilot,
}

/// <summary>Configuration of a <see cref="VirtualAutopilot"/>. Defaults are the values observed in
/// ../shared/captures (PX4 v1.16 SIH and ArduCopter SITL) or the autopilots' documented parameter defaults;
/// the parameter name is given where one exists.</summary>
public sealed record VirtualAutopilotOptions
{
    public VapPersona Persona { get; init; } = VapPersona.Px4;
    /// <summary>Autopilot system id (both captures: 1).</summary>
    public byte SystemId { get; init; } = 1;
    /// <summary>Autopilot component id (both captures: 1, MAV_COMP_ID_AUTOPILOT1).</summary>
    public byte ComponentId { get; init; } = 1;
    /// <summary>Airframe: a <see cref="MultirotorPresets"/> name ("x500" or "fast-quad").</summary>
    public string VehiclePreset { get; init; } = MultirotorPresets.X500;
    /// <summary>Explicit airframe parameters; overrides <see cref="VehiclePreset"/> when set.</summary>
    public MultirotorParams? Vehicle { get; init; }
    /// <summary>Controller limits; null takes the persona's defaults scaled to the airframe (see <see cref="VapLimits"/>).</summary>
    public VapControlLimits? Limits { get; init; }
    /// <summary>Home position (null: the persona's capture location).</summary>
    public GeodeticPosition? Home { get; init; }
    /// <summary>Initial heading [rad].</summary>
    public double InitialYawRad { get; init; }
    /// <summary>Physics and control rate [Hz]. Telemetry up to this rate is exact.</summary>
    public double PhysicsRateHz { get; init; } = 250;
    /// <summary>time_boot_ms at simulation start [s] (the autopilot has been up this long).</summary>
    public double BootTimeAtStartS { get; init; } = 5;

    /// <summary>PX4 COM_OF_LOSS_T: offboard setpoint loss time before the failsafe [s].</summary>
    public double Px4OffboardLossTimeoutS { get; init; } = 1.0;
    /// <summary>PX4 COM_DISARM_PRFLT: auto-disarm when armed without takeoff [s].</summary>
    public double Px4DisarmPreflightS { get; init; } = 10.0;
    /// <summary>PX4 COM_DISARM_LAND: disarm after landing detected [s] (capture: 2.0 s).</summary>
    public double Px4DisarmLandS { get; init; } = 2.0;
    /// <summary>PX4 MPC_LAND_SPEED [m/s] (capture: landing setpoint vz 0.7).</summary>
    public double Px4LandSpeedMs { get; init; } = 0.7;
    /// <summary>PX4 MIS_TAKEOFF_ALT [m], used when NAV_TAKEOFF gives no altitude.</summary>
    public double Px4TakeoffAltM { get; init; } = 2.5;
    /// <summary>PX4 RTL_RETURN_ALT [m above home].</summary>
    public double Px4RtlReturnAltM { get; init; } = 60;
    /// <summary>Descent rate in the POSCTL failsafe without RC [m/s] (capture: 0.65 m/s after "Failsafe activated").</summary>
    public double Px4PosctlFailsafeSinkMs { get; init; } = 0.65;

    /// <summary>ArduPilot GUID_TIMEOUT: velocity/acceleration/attitude targets lapse after this [s].</summary>
    public double ArduGuidedTimeoutS { get; init; } = 3.0;
    /// <summary>ArduPilot DISARM_DELAY: auto-disarm on the ground while armed [s].</summary>
    public double ArduDisarmDelayS { get; init; } = 10.0;
    /// <summary>ArduPilot LAND_SPEED [m/s] (final descent below LAND_ALT_LOW).</summary>
    public double ArduLandSpeedMs { get; init; } = 0.5;
    /// <summary>ArduPilot LAND_ALT_LOW [m]: above it LAND descends at WPNAV_SPEED_DN.</summary>
    public double ArduLandAltLowM { get; init; } = 10;
    /// <summary>ArduPilot RTL_ALT [m above home].</summary>
    public double ArduRtlAltM { get; init; } = 15;
    /// <summary>ArduPilot mode at start-up (custom_mode). A fresh SITL boots in STABILIZE (0); the capture began in
    /// LAND (9) after an earlier flight.</summary>
    public uint ArduInitialMode { get; init; }
    /// <summary>ArduPilot: arming is refused until this simulated time [s] (EKF/GPS warm-up; a cold SITL needs
    /// about 23 s to arm and 41 s to take off; 0 = a warm vehicle as in the main capture).</summary>
    public double ArduEkfReadyAfterS { get; init; }

    /// <summary>Resolved airframe parameters.</summary>
    public MultirotorParams ResolveVehicle() => Vehicle ?? MultirotorPresets.Get(VehiclePreset);

    /// <summary>Resolved home.</summary>
    public GeodeticPosition ResolveHome() => Home ?? (Persona == VapPersona.Px4
        ? GeodeticPosition.FromDegrees(47.3977434, 8.5455943, 489.4)   // PX4 capture HOME_POSITION
        : GeodeticPosition.FromDegrees(50.4502881, 30.5204785, 180.09)); // ArduCopter capture HOME_POSITION

    /// <summary>Checks ranges; messages name the field and the value.</summary>
    public void Validate()
    {
        if (!(PhysicsRateHz >= 50 && PhysicsRateHz <= 2000)) throw new ValidationException($"VirtualAutopilot.PhysicsRateHz = {PhysicsRateHz}: must be in [50, 2000]");
        if (!(BootTimeAtStartS >= 0 && BootTimeAtStartS < 1e6)) throw new ValidationException($"VirtualAutopilot.BootTimeAtStartS = {BootTimeAtStartS}: must be in [0, 1e6)");
        if (!(Px4OffboardLossTimeoutS > 0)) throw new ValidationException($"VirtualAutopilot.Px4OffboardLossTimeoutS = {Px4OffboardLossTimeoutS}: must be > 0");
        if (!(ArduGuidedTimeoutS > 0)) throw new ValidationException($"VirtualAutopilot.ArduGuidedTimeoutS = {ArduGuidedTimeoutS}: must be > 0");
        if (SystemId == 0) throw new ValidationException("VirtualAutopilot.SystemId = 0: must be 1..255");
        if (Vehicle is null && !MultirotorPresets.IsKnown(VehiclePreset))
            throw new ValidationException($"VirtualAutopilot.VehiclePreset = '{VehiclePreset}': must be one of {string.Join(", ", MultirotorPresets.Names)}");
    }
}

/// <summary>Persona default controller limits.</summary>
public static class VapLimits
{
    /// <summary>PX4 v1.16 multicopter defaults: MPC_XY_VEL_MAX 12, MPC_Z_VEL_MAX_UP 3, MPC_Z_VEL_MAX_DN 1.5 (all three
    /// visible in the capture's POSITION_TARGET_LOCAL_NED), MPC_TILTMAX_AIR 45 deg, MPC_XY_P 0.95, MPC_Z_P 1,
    /// MPC_XY_VEL_P_ACC 1.8, MPC_XY_VEL_I_ACC 0.4, MPC_Z_VEL_P_ACC 4, MPC_Z_VEL_I_ACC 2, MPC_YAWRAUTO_MAX 45 deg/s.
    /// A faster airframe than x500 raises the speed and tilt limits to its own (<see cref="IsFastAirframe"/>); PX4 applies
    /// MPC_XY_VEL_MAX, MPC_Z_VEL_MAX_UP/DN to offboard velocity setpoints (mc_pos_control setVelocityLimits).</summary>
    public static VapControlLimits Px4(MultirotorParams v) => new()
    {
        MaxVelXyMs = Math.Max(12, v.MaxSpeedMs),
        MaxVelUpMs = IsFastAirframe(v) ? v.MaxSpeedMs : 3,
        MaxVelDownMs = IsFastAirframe(v) ? v.MaxSpeedMs : 1.5,
        MaxTiltRad = Math.Min(v.MaxTiltRad, Math.Max(Angles.ToRad(45), v.MaxTiltRad)),
        PosXyP = 0.95, PosZP = 1.0, VelXyP = 1.8, VelXyI = 0.4, VelZP = 4.0, VelZI = 2.0,
        YawP = 2.8, MaxYawRateRadS = Angles.ToRad(45),
    };

    /// <summary>ArduCopter defaults: WPNAV_SPEED 10 m/s, WPNAV_SPEED_UP 2.5 m/s (GUIDED's pva_control_start sets the vertical
    /// limits from WPNAV_SPEED_UP/DN; attitude-mode thrust scales to them too), WPNAV_SPEED_DN 1.5 m/s (the capture's LAND
    /// descent 1.47 m/s), ANGLE_MAX 30 deg, PSC_POSXY_P 1, PSC_POSZ_P 1, PSC_VELXY_P 2, PSC_VELXY_I 1, PSC_VELZ_P 5.
    /// GUIDED velocity targets are not limited to WPNAV_SPEED; the airframe's top speed bounds them.</summary>
    public static VapControlLimits ArduPilot(MultirotorParams v) => new()
    {
        MaxVelXyMs = Math.Max(10, v.MaxSpeedMs),
        MaxVelUpMs = IsFastAirframe(v) ? v.MaxSpeedMs : 2.5,
        MaxVelDownMs = IsFastAirframe(v) ? v.MaxSpeedMs : 1.5,
        MaxTiltRad = v.MaxTiltRad > Angles.ToRad(45) ? v.MaxTiltRad : Math.Min(v.MaxTiltRad, Angles.ToRad(30)),
        PosXyP = 1.0, PosZP = 1.0, VelXyP = 2.0, VelXyI = 1.0, VelZP = 5.0, VelZI = 2.0,
        YawP = 4.5, MaxYawRateRadS = Angles.ToRad(90),
    };

    /// <summary>True for an airframe faster than the stock x500 class (12 m/s) whose builder has raised the speed
    /// limits to the airframe's own (see src/Interceptor.Autopilot/README.md, "Parameters for a fast airframe"):
    /// PX4 MPC_Z_VEL_MAX_UP/DN, ArduPilot WPNAV_SPEED_UP/DN set to the airframe's top speed. The stock defaults
    /// (3 / 1.5 m/s and 2.5 / 1.5 m/s) would let an 80 m/s interceptor climb only 3 m/s towards a target above it.</summary>
    public static bool IsFastAirframe(MultirotorParams v) => v.MaxSpeedMs > StockAirframeTopSpeedMs;

    /// <summary>Top speed of the stock airframe class the persona defaults are tuned for (x500) [m/s].</summary>
    public const double StockAirframeTopSpeedMs = 12;
}
