using System.Globalization;
using Interceptor.Core;

namespace Interceptor.Sim;

// The scenario model. Plain records with init properties and defaults, so a YAML loader can bind
// them directly and tests can write them in C# with `with` expressions. Units are in every name;
// angles in scenario files are degrees (a file is a boundary), everything the simulator uses
// internally is converted to radians once. Positions are local NED about a ground origin:
// Down = -altitude above ground, ground is Down = 0.
//
// Validate() checks every field and throws ValidationException naming the field path
// (e.g. "Target.WeaveAccelG") and the offending value.

/// <summary>One engagement scenario: the world, the sensors, the guidance and the Monte-Carlo dispersions.</summary>
public sealed record ScenarioSpec
{
    public string Name { get; init; } = "unnamed";
    public string Description { get; init; } = "";
    public InterceptorSpec Interceptor { get; init; } = new();
    public TargetSpec Target { get; init; } = new();
    public SeekerSpec Seeker { get; init; } = new();
    public CueSpec Cue { get; init; } = new();
    public GuidanceSpec Guidance { get; init; } = new();
    public SafetySpec Safety { get; init; } = new();
    public SimSpec Sim { get; init; } = new();
    public DispersionSpec Dispersions { get; init; } = new();
    /// <summary>Cost of one interceptor [USD] (cost per kill = UnitCostUsd / Pk).</summary>
    public double UnitCostUsd { get; init; } = 3000;
    /// <summary>Cost of the target [USD], reported next to the cost per kill.</summary>
    public double TargetCostUsd { get; init; } = 35000;

    /// <summary>Throws <see cref="ValidationException"/> naming the first invalid field and its value.</summary>
    public ScenarioSpec Validate()
    {
        if (string.IsNullOrWhiteSpace(Name)) throw new ValidationException($"Name = '{Name}': must not be empty");
        if (Interceptor is null) throw new ValidationException("Interceptor = null: section required");
        if (Target is null) throw new ValidationException("Target = null: section required");
        if (Seeker is null) throw new ValidationException("Seeker = null: section required");
        if (Cue is null) throw new ValidationException("Cue = null: section required");
        if (Guidance is null) throw new ValidationException("Guidance = null: section required");
        if (Safety is null) throw new ValidationException("Safety = null: section required");
        if (Sim is null) throw new ValidationException("Sim = null: section required");
        if (Dispersions is null) throw new ValidationException("Dispersions = null: section required");
        Interceptor.Validate("Interceptor");
        Target.Validate("Target");
        Seeker.Validate("Seeker");
        Cue.Validate("Cue");
        Guidance.Validate("Guidance");
        Safety.Validate("Safety");
        Sim.Validate("Sim");
        Dispersions.Validate("Dispersions");
        V.NonNegative(UnitCostUsd, "UnitCostUsd");
        V.NonNegative(TargetCostUsd, "TargetCostUsd");
        if (!Seeker.Enabled && !Cue.Enabled)
            throw new ValidationException("Seeker.Enabled = false and Cue.Enabled = false: at least one sensor must be enabled");
        return this;
    }
}

/// <summary>Interceptor vehicle: a named preset plus optional overrides (null = preset value).</summary>
public sealed record InterceptorSpec
{
    /// <summary>"fast-quad" (about 80 m/s, T/W 4, 70 deg tilt) or "x500" (12 m/s, T/W 2, 45 deg tilt).</summary>
    public string Preset { get; init; } = MultirotorPresets.FastQuad;
    public double? MaxSpeedMs { get; init; }
    public double? ThrustToWeight { get; init; }
    public double? MaxTiltDeg { get; init; }
    /// <summary>First-order time constant of the thrust direction (attitude loop) [s].</summary>
    public double? AttitudeTimeConstantS { get; init; }
    /// <summary>First-order time constant of the thrust magnitude (motor/ESC) [s].</summary>
    public double? ThrustTimeConstantS { get; init; }
    /// <summary>Quadratic drag: a_drag = -DragPerM * |v| * v [1/m]. Null = derived so that level flight at
    /// full tilt tops out exactly at MaxSpeedMs.</summary>
    public double? DragPerM { get; init; }
    /// <summary>Yaw rate limit of the vehicle [deg/s].</summary>
    public double? MaxYawRateDegS { get; init; }
    public Vector3d StartPosNedM { get; init; } = new(0, 0, -100);
    public Vector3d StartVelNedMs { get; init; } = Vector3d.Zero;
    /// <summary>Initial heading [deg]; null = point at the target's initial position.</summary>
    public double? StartYawDeg { get; init; }

    internal void Validate(string p)
    {
        if (!MultirotorPresets.IsKnown(Preset))
            throw new ValidationException($"{p}.Preset = '{Preset}': must be one of {string.Join(", ", MultirotorPresets.Names)}");
        if (MaxSpeedMs is { } v) V.InRange(v, 1, 200, $"{p}.MaxSpeedMs");
        if (ThrustToWeight is { } tw) V.InRange(tw, 1.05, 20, $"{p}.ThrustToWeight");
        if (MaxTiltDeg is { } tilt) V.InRange(tilt, 5, 85, $"{p}.MaxTiltDeg");
        if (AttitudeTimeConstantS is { } ta) V.InRange(ta, 0.001, 5, $"{p}.AttitudeTimeConstantS");
        if (ThrustTimeConstantS is { } tt) V.InRange(tt, 0.001, 5, $"{p}.ThrustTimeConstantS");
        if (DragPerM is { } d) V.InRange(d, 0, 10, $"{p}.DragPerM");
        if (MaxYawRateDegS is { } y) V.InRange(y, 1, 3600, $"{p}.MaxYawRateDegS");
        V.Finite(StartPosNedM, $"{p}.StartPosNedM");
        V.Finite(StartVelNedMs, $"{p}.StartVelNedMs");
        if (StartPosNedM.Down > 0) throw new ValidationException($"{p}.StartPosNedM = {StartPosNedM}: Down must be <= 0 (at or above ground)");
        if (StartYawDeg is { } yaw) V.InRange(yaw, -360, 360, $"{p}.StartYawDeg");
        var preset = MultirotorPresets.Get(Preset);
        double tiltRad = Angles.ToRad(MaxTiltDeg ?? Angles.ToDeg(preset.MaxTiltRad));
        double tw2 = ThrustToWeight ?? preset.ThrustToWeight;
        if (tw2 * Math.Cos(tiltRad) < 1.0)
            throw new ValidationException(FormattableString.Invariant(
                $"{p}.ThrustToWeight = {tw2}: cannot hold altitude at {p}.MaxTiltDeg = {Angles.ToDeg(tiltRad):G4} (needs ThrustToWeight * cos(MaxTilt) >= 1)"));
    }
}

/// <summary>Target model and its parameters. Which fields apply depends on <see cref="Kind"/>.</summary>
public sealed record TargetSpec
{
    public const string Shahed = "shahed";
    public const string Quad = "quad";
    public const string ConstantVelocity = "constant-velocity";
    public static readonly string[] Kinds = [Shahed, Quad, ConstantVelocity];

    /// <summary>"shahed" (fixed wing, route, weave, terminal dive), "quad" (small multirotor with random
    /// jinks, deterministic per seed) or "constant-velocity".</summary>
    public string Kind { get; init; } = Shahed;
    /// <summary>Position at t = 0 (altitude = -Down).</summary>
    public Vector3d StartPosNedM { get; init; } = new(3000, 0, -500);
    /// <summary>Cruise speed along the path [m/s] (Shahed-class: 45-51; small quad: 6-15).</summary>
    public double SpeedMs { get; init; } = 48;
    /// <summary>Initial course over ground [deg from north, clockwise].</summary>
    public double HeadingDeg { get; init; } = 180;
    /// <summary>Initial flight-path angle [deg, positive = climbing].</summary>
    public double ClimbAngleDeg { get; init; }
    /// <summary>Optional route after the start position (shahed): the path flies start -> waypoint 1 -> ...,
    /// turning at each corner on an arc of lateral acceleration <see cref="TurnAccelG"/>, and continues
    /// straight after the last one. Empty = straight along HeadingDeg/ClimbAngleDeg.</summary>
    public IReadOnlyList<Vector3d> RouteNedM { get; init; } = [];
    /// <summary>Lateral acceleration in route turns and the dive pull-down [g].</summary>
    public double TurnAccelG { get; init; } = 1.0;
    /// <summary>Weave: horizontal lateral acceleration amplitude [g] (0 = none), period [s], phase [deg].
    /// The lateral offset is A sin(2 pi t / P + phase) with A = WeaveAccelG g (P / 2 pi)^2.</summary>
    public double WeaveAccelG { get; init; }
    public double WeavePeriodS { get; init; } = 8;
    public double WeavePhaseDeg { get; init; }
    /// <summary>Terminal dive (shahed): after flying DiveAfterDistanceM along the path, pitch down to
    /// DiveAngleDeg (0 = no dive) with a pull-down at TurnAccelG.</summary>
    public double DiveAngleDeg { get; init; }
    public double DiveAfterDistanceM { get; init; } = 2000;
    /// <summary>Quad jinks: at random intervals uniform in [JinkIntervalMinS, JinkIntervalMaxS] the target
    /// picks a new course within +-JinkHeadingDeg of the initial course, a new speed in
    /// [JinkSpeedMinMs, JinkSpeedMaxMs] and a climb rate within +-JinkClimbRateMs, and changes its
    /// velocity to it at JinkAccelMs2. JinkAccelMs2 = 0 disables jinks.</summary>
    public double JinkAccelMs2 { get; init; }
    public double JinkIntervalMinS { get; init; } = 1.0;
    public double JinkIntervalMaxS { get; init; } = 3.0;
    public double JinkHeadingDeg { get; init; } = 45;
    public double JinkSpeedMinMs { get; init; } = 6;
    public double JinkSpeedMaxMs { get; init; } = 15;
    public double JinkClimbRateMs { get; init; } = 1;

    internal void Validate(string p)
    {
        if (Array.IndexOf(Kinds, Kind) < 0)
            throw new ValidationException($"{p}.Kind = '{Kind}': must be one of {string.Join(", ", Kinds)}");
        V.Finite(StartPosNedM, $"{p}.StartPosNedM");
        if (StartPosNedM.Down > 0) throw new ValidationException($"{p}.StartPosNedM = {StartPosNedM}: Down must be <= 0 (at or above ground)");
        V.InRange(SpeedMs, 0, 150, $"{p}.SpeedMs");
        V.InRange(HeadingDeg, -360, 360, $"{p}.HeadingDeg");
        V.InRange(ClimbAngleDeg, -89, 89, $"{p}.ClimbAngleDeg");
        if (RouteNedM is null) throw new ValidationException($"{p}.RouteNedM = null: use an empty list for no route");
        for (int i = 0; i < RouteNedM.Count; i++)
        {
            V.Finite(RouteNedM[i], $"{p}.RouteNedM[{i}]");
            var prev = i == 0 ? StartPosNedM : RouteNedM[i - 1];
            if ((RouteNedM[i] - prev).Length < 1)
                throw new ValidationException($"{p}.RouteNedM[{i}] = {RouteNedM[i]}: closer than 1 m to the previous point");
        }
        V.InRange(TurnAccelG, 0.05, 10, $"{p}.TurnAccelG");
        V.InRange(WeaveAccelG, 0, 5, $"{p}.WeaveAccelG");
        V.InRange(WeavePeriodS, 0.5, 120, $"{p}.WeavePeriodS");
        V.InRange(WeavePhaseDeg, -360, 360, $"{p}.WeavePhaseDeg");
        V.InRange(DiveAngleDeg, 0, 85, $"{p}.DiveAngleDeg");
        V.InRange(DiveAfterDistanceM, 0, 1e6, $"{p}.DiveAfterDistanceM");
        V.InRange(JinkAccelMs2, 0, 50, $"{p}.JinkAccelMs2");
        V.InRange(JinkIntervalMinS, 0.1, 60, $"{p}.JinkIntervalMinS");
        V.InRange(JinkIntervalMaxS, JinkIntervalMinS, 60, $"{p}.JinkIntervalMaxS");
        V.InRange(JinkHeadingDeg, 0, 180, $"{p}.JinkHeadingDeg");
        V.InRange(JinkSpeedMinMs, 0, 100, $"{p}.JinkSpeedMinMs");
        V.InRange(JinkSpeedMaxMs, JinkSpeedMinMs, 100, $"{p}.JinkSpeedMaxMs");
        V.InRange(JinkClimbRateMs, 0, 20, $"{p}.JinkClimbRateMs");
        if (Kind == Shahed && SpeedMs <= 0) throw new ValidationException($"{p}.SpeedMs = {F(SpeedMs)}: a fixed-wing target needs a speed > 0");
    }

    private static string F(double v) => v.ToString("G", CultureInfo.InvariantCulture);
}

/// <summary>Body-fixed thermal camera seeker (forward-looking, optionally pitched up on its mount).</summary>
public sealed record SeekerSpec
{
    public bool Enabled { get; init; } = true;
    /// <summary>1-sigma line-of-sight angle noise per image axis [mrad].</summary>
    public double NoiseMrad { get; init; } = 1.0;
    public double FrameRateHz { get; init; } = 30;
    /// <summary>Time from exposure to the bearing being available to the estimator [s].</summary>
    public double LatencyS { get; init; } = 0.05;
    /// <summary>Full horizontal and vertical field of view [deg].</summary>
    public double HorizontalFovDeg { get; init; } = 60;
    public double VerticalFovDeg { get; init; } = 48;
    /// <summary>Camera mount pitch relative to the body x axis [deg, positive = looking up].</summary>
    public double MountPitchDeg { get; init; } = 0;
    /// <summary>Detection probability per frame vs range: MaxDetectionProbability / (1 + exp((R - DetectionRange50M) / DetectionRangeWidthM)).</summary>
    public double MaxDetectionProbability { get; init; } = 0.99;
    public double DetectionRange50M { get; init; } = 1500;
    public double DetectionRangeWidthM { get; init; } = 100;

    internal void Validate(string p)
    {
        V.InRange(NoiseMrad, 0, 100, $"{p}.NoiseMrad");
        V.InRange(FrameRateHz, 1, 1000, $"{p}.FrameRateHz");
        V.InRange(LatencyS, 0, 2, $"{p}.LatencyS");
        V.InRange(HorizontalFovDeg, 1, 179, $"{p}.HorizontalFovDeg");
        V.InRange(VerticalFovDeg, 1, 179, $"{p}.VerticalFovDeg");
        V.InRange(MountPitchDeg, -90, 90, $"{p}.MountPitchDeg");
        V.InRange(MaxDetectionProbability, 0, 1, $"{p}.MaxDetectionProbability");
        V.InRange(DetectionRange50M, 1, 1e5, $"{p}.DetectionRange50M");
        V.InRange(DetectionRangeWidthM, 0.1, 1e5, $"{p}.DetectionRangeWidthM");
    }
}

/// <summary>C2 / ground-radar position cue of the target.</summary>
public sealed record CueSpec
{
    public bool Enabled { get; init; } = true;
    /// <summary>1-sigma isotropic position noise per axis [m].</summary>
    public double PositionNoiseM { get; init; } = 5;
    public double RateHz { get; init; } = 1;
    public double LatencyS { get; init; } = 0.5;
    /// <summary>Cues stop once the interceptor's seeker has had the target this long [s] (the terminal
    /// phase runs on the seeker alone); null = cues continue to the end.</summary>
    public double? StopAfterSeekerTrackS { get; init; }

    internal void Validate(string p)
    {
        V.InRange(PositionNoiseM, 0, 1e4, $"{p}.PositionNoiseM");
        V.InRange(RateHz, 0.01, 100, $"{p}.RateHz");
        V.InRange(LatencyS, 0, 10, $"{p}.LatencyS");
        if (StopAfterSeekerTrackS is { } s) V.InRange(s, 0, 1e4, $"{p}.StopAfterSeekerTrackS");
    }
}

/// <summary>Guidance settings. The law itself is chosen per run (EngagementRunner.Run's lawName);
/// <see cref="Law"/> is this scenario's default.</summary>
public sealed record GuidanceSpec
{
    public string Law { get; init; } = "default";
    /// <summary>Navigation constant N of the PN family and the ZEM law; null = the law's default.</summary>
    public double? NavigationGain { get; init; }
    /// <summary>Rate at which the pipeline runs (estimator query, law, shaper, gate) and the autopilot
    /// receives setpoints [Hz]. 1/GuidanceRateHz must be a whole number of Sim.DtS.</summary>
    public double GuidanceRateHz { get; init; } = 100;

    internal void Validate(string p)
    {
        if (string.IsNullOrWhiteSpace(Law)) throw new ValidationException($"{p}.Law = '{Law}': must not be empty");
        if (NavigationGain is { } n) V.InRange(n, 0.5, 20, $"{p}.NavigationGain");
        V.InRange(GuidanceRateHz, 1, 2000, $"{p}.GuidanceRateHz");
    }
}

/// <summary>Safety-gate limits applied to every command before it reaches the vehicle.</summary>
public sealed record SafetySpec
{
    /// <summary>Lowest allowed altitude above ground [m]: commands that would descend below it are cut.</summary>
    public double AltitudeFloorM { get; init; } = 20;
    /// <summary>Geofence: maximum horizontal distance from the interceptor's start [m].</summary>
    public double GeofenceRadiusM { get; init; } = 10000;

    internal void Validate(string p)
    {
        V.InRange(AltitudeFloorM, 0, 1e4, $"{p}.AltitudeFloorM");
        V.InRange(GeofenceRadiusM, 10, 1e6, $"{p}.GeofenceRadiusM");
    }
}

/// <summary>Integration settings.</summary>
public sealed record SimSpec
{
    /// <summary>Fixed RK4 step [s].</summary>
    public double DtS { get; init; } = 0.0025;
    /// <summary>The run ends at this time if no closest approach happened [s].</summary>
    public double MaxTimeS { get; init; } = 180;

    internal void Validate(string p)
    {
        V.InRange(DtS, 1e-5, 0.1, $"{p}.DtS");
        V.InRange(MaxTimeS, 0.1, 3600, $"{p}.MaxTimeS");
    }
}

/// <summary>A closed interval [Min, Max] drawn uniformly.</summary>
public readonly record struct ValueRange(double Min, double Max)
{
    internal void Validate(string field, double lo, double hi)
    {
        V.InRange(Min, lo, hi, $"{field}.Min");
        V.InRange(Max, Min, hi, $"{field}.Max");
    }
}

/// <summary>Monte-Carlo dispersions. Every run draws every dispersion in a fixed order from its seed
/// (unset ones draw and discard), so adding one dispersion never reshuffles the others.
/// Offsets are half-widths of uniform intervals around the nominal value; ranges replace the nominal.</summary>
public sealed record DispersionSpec
{
    public Vector3d InterceptorStartOffsetNedM { get; init; } = Vector3d.Zero;
    public Vector3d TargetStartOffsetNedM { get; init; } = Vector3d.Zero;
    public double TargetHeadingOffsetDeg { get; init; }
    public double TargetSpeedOffsetMs { get; init; }
    /// <summary>Weave acceleration [g] drawn in this range (replaces Target.WeaveAccelG).</summary>
    public ValueRange? WeaveAccelG { get; init; }
    /// <summary>Weave period [s] drawn in this range (replaces Target.WeavePeriodS).</summary>
    public ValueRange? WeavePeriodS { get; init; }
    /// <summary>Draw the weave phase uniformly in [0, 360) deg (replaces Target.WeavePhaseDeg).</summary>
    public bool RandomWeavePhase { get; init; }
    /// <summary>Multiplier on seeker and cue noise sigmas.</summary>
    public ValueRange? SensorNoiseScale { get; init; }
    /// <summary>Multiplier on seeker and cue latencies.</summary>
    public ValueRange? LatencyScale { get; init; }

    internal void Validate(string p)
    {
        V.NonNegative(InterceptorStartOffsetNedM, $"{p}.InterceptorStartOffsetNedM");
        V.NonNegative(TargetStartOffsetNedM, $"{p}.TargetStartOffsetNedM");
        V.InRange(TargetHeadingOffsetDeg, 0, 180, $"{p}.TargetHeadingOffsetDeg");
        V.InRange(TargetSpeedOffsetMs, 0, 50, $"{p}.TargetSpeedOffsetMs");
        WeaveAccelG?.Validate($"{p}.WeaveAccelG", 0, 5);
        WeavePeriodS?.Validate($"{p}.WeavePeriodS", 0.5, 120);
        SensorNoiseScale?.Validate($"{p}.SensorNoiseScale", 0, 100);
        LatencyScale?.Validate($"{p}.LatencyScale", 0, 100);
    }
}

/// <summary>Validation helpers taking an explicit field path (the Core helpers take the caller expression).</summary>
internal static class V
{
    private static string F(double v) => v.ToString("G", CultureInfo.InvariantCulture);

    public static void InRange(double v, double lo, double hi, string field)
    {
        if (!double.IsFinite(v) || v < lo || v > hi)
            throw new ValidationException($"{field} = {F(v)}: must be in [{F(lo)}, {F(hi)}]");
    }

    public static void NonNegative(double v, string field)
    {
        if (!double.IsFinite(v) || v < 0) throw new ValidationException($"{field} = {F(v)}: must be a finite number >= 0");
    }

    public static void Finite(Vector3d v, string field)
    {
        if (!v.IsFinite) throw new ValidationException($"{field} = {v}: must be finite in every component");
    }

    public static void NonNegative(Vector3d v, string field)
    {
        if (!v.IsFinite || v.X < 0 || v.Y < 0 || v.Z < 0) throw new ValidationException($"{field} = {v}: every component must be finite and >= 0");
    }
}
