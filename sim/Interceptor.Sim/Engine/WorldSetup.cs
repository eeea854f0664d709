using Interceptor.Core;

namespace Interceptor.Sim;

/// <summary>Sensor parameters of one run after dispersion (SI units, radians).</summary>
public readonly record struct SeekerParams(bool Enabled, double NoiseRad, double FramePeriodS, double LatencyS,
    double HalfHorizontalFovRad, double HalfVerticalFovRad, Quaterniond CameraToBody,
    double MaxDetectionProbability, double DetectionRange50M, double DetectionRangeWidthM)
{
    /// <summary>Per-frame detection probability at range <paramref name="rangeM"/>.</summary>
    public double DetectionProbability(double rangeM) =>
        MaxDetectionProbability / (1 + Math.Exp((rangeM - DetectionRange50M) / DetectionRangeWidthM));
}

public readonly record struct CueParams(bool Enabled, double NoiseM, double PeriodS, double LatencyS, double? StopAfterSeekerTrackS);

/// <summary>The world of one run: the scenario with this seed's dispersion draw applied.</summary>
public sealed record WorldSetup(
    MultirotorParams Vehicle,
    MultirotorState InterceptorStart,
    ITargetModel Target,
    SeekerParams Seeker,
    CueParams Cue)
{
    /// <summary>Random streams of a run (one per noise source).</summary>
    internal const ulong StreamDispersion = 0, StreamTarget = 1, StreamSeekerNoise = 2, StreamSeekerDetect = 3, StreamCue = 4;

    /// <summary>Draws the dispersions of <paramref name="seed"/> (every dispersion is drawn in a fixed order
    /// whether or not it is enabled) and builds the models.</summary>
    public static WorldSetup Create(ScenarioSpec spec, ulong seed, bool applyDispersions, bool noiseless)
    {
        var rng = SimRandom.ForStream(seed, StreamDispersion);
        var d = spec.Dispersions;
        var t = spec.Target;
        // Fixed draw order: 3 interceptor offsets, 3 target offsets, heading, speed, weave g, weave period, weave phase, noise scale, latency scale.
        var iOff = new Vector3d(rng.Symmetric(1), rng.Symmetric(1), rng.Symmetric(1));
        var tOff = new Vector3d(rng.Symmetric(1), rng.Symmetric(1), rng.Symmetric(1));
        double uHeading = rng.Symmetric(1), uSpeed = rng.Symmetric(1);
        double uWeaveG = rng.NextDouble(), uWeaveP = rng.NextDouble(), uPhase = rng.NextDouble();
        double uNoise = rng.NextDouble(), uLatency = rng.NextDouble();

        var iStart = spec.Interceptor.StartPosNedM;
        var tStart = t.StartPosNedM;
        double heading = t.HeadingDeg, speed = t.SpeedMs, weaveG = t.WeaveAccelG, weaveP = t.WeavePeriodS, weavePhase = t.WeavePhaseDeg;
        double noiseScale = 1, latencyScale = 1;
        if (applyDispersions)
        {
            iStart += Mul(iOff, d.InterceptorStartOffsetNedM);
            tStart += Mul(tOff, d.TargetStartOffsetNedM);
            heading += uHeading * d.TargetHeadingOffsetDeg;
            speed = Math.Max(0, speed + uSpeed * d.TargetSpeedOffsetMs);
            if (d.WeaveAccelG is { } wg) weaveG = wg.Min + (wg.Max - wg.Min) * uWeaveG;
            if (d.WeavePeriodS is { } wp) weaveP = wp.Min + (wp.Max - wp.Min) * uWeaveP;
            if (d.RandomWeavePhase) weavePhase = 360 * uPhase;
            if (d.SensorNoiseScale is { } ns) noiseScale = ns.Min + (ns.Max - ns.Min) * uNoise;
            if (d.LatencyScale is { } ls) latencyScale = ls.Min + (ls.Max - ls.Min) * uLatency;
        }
        // Keep dispersed starts above ground.
        if (iStart.Down > 0) iStart = iStart with { Z = 0 };
        if (tStart.Down > 0) tStart = tStart with { Z = 0 };
        if (noiseless) noiseScale = 0;

        var vehicle = MultirotorPresets.Resolve(spec.Interceptor);
        double yaw0 = spec.Interceptor.StartYawDeg is { } y
            ? Angles.ToRad(y)
            : Math.Atan2(tStart.East - iStart.East, tStart.North - iStart.North);
        var start = MultirotorModel.Hover(iStart, spec.Interceptor.StartVelNedMs, Angles.WrapPi(yaw0));

        var targetRng = SimRandom.ForStream(seed, StreamTarget);
        var target = CreateTarget(t, tStart, heading, speed, weaveG, weaveP, weavePhase, spec.Sim.MaxTimeS, ref targetRng);

        var s = spec.Seeker;
        var seeker = new SeekerParams(s.Enabled, s.NoiseMrad * 1e-3 * noiseScale, 1.0 / s.FrameRateHz, s.LatencyS * latencyScale,
            Angles.ToRad(s.HorizontalFovDeg) / 2, Angles.ToRad(s.VerticalFovDeg) / 2,
            Frames.CameraToBody(Angles.ToRad(s.MountPitchDeg)),
            noiseless ? 1.0 : s.MaxDetectionProbability, s.DetectionRange50M, s.DetectionRangeWidthM);
        var c = spec.Cue;
        var cue = new CueParams(c.Enabled, c.PositionNoiseM * noiseScale, 1.0 / c.RateHz, c.LatencyS * latencyScale, c.StopAfterSeekerTrackS);
        return new WorldSetup(vehicle, start, target, seeker, cue);
    }

    private static Vector3d Mul(Vector3d a, Vector3d b) => new(a.X * b.X, a.Y * b.Y, a.Z * b.Z);

    /// <summary>Builds the target model of a (dispersed) target spec.</summary>
    public static ITargetModel CreateTarget(TargetSpec t, Vector3d startPosNedM, double headingDeg, double speedMs,
        double weaveAccelG, double weavePeriodS, double weavePhaseDeg, double horizonS, ref SimRandom rng)
    {
        double hdg = Angles.ToRad(headingDeg), gamma = Angles.ToRad(t.ClimbAngleDeg);
        var dir = new Vector3d(Math.Cos(gamma) * Math.Cos(hdg), Math.Cos(gamma) * Math.Sin(hdg), -Math.Sin(gamma));
        switch (t.Kind)
        {
            case TargetSpec.ConstantVelocity:
                return new ConstantVelocityTarget(startPosNedM, dir * speedMs);
            case TargetSpec.Quad:
                if (t.JinkAccelMs2 <= 0) return new ConstantVelocityTarget(startPosNedM, dir * speedMs);
                return new JinkingQuadTarget(startPosNedM, dir * speedMs, horizonS + 10, t.JinkAccelMs2,
                    t.JinkIntervalMinS, t.JinkIntervalMaxS, hdg, Angles.ToRad(t.JinkHeadingDeg),
                    t.JinkSpeedMinMs, t.JinkSpeedMaxMs, t.JinkClimbRateMs, ref rng);
            default:
                {
                    // Route: start, waypoints (shifted with the start offset), then straight on.
                    var offset = startPosNedM - t.StartPosNedM;
                    var pts = new List<Vector3d> { startPosNedM };
                    foreach (var w in t.RouteNedM) pts.Add(w + offset);
                    if (t.RouteNedM.Count == 0) pts.Add(startPosNedM + dir * 1000);
                    else pts.Add(pts[^1] + (pts[^1] - pts[^2]).NormalizedOr(dir) * 1000);
                    if (t.DiveAngleDeg > 0) pts = WithDive(pts, t.DiveAfterDistanceM, Angles.ToRad(t.DiveAngleDeg));
                    return new PathTarget(pts, speedMs, t.TurnAccelG * Wgs84.GravityMs2,
                        weaveAccelG * Wgs84.GravityMs2, weavePeriodS, Angles.ToRad(weavePhaseDeg));
                }
        }
    }

    /// <summary>Cuts the polyline at arc length <paramref name="afterM"/> and continues downward at the dive angle
    /// (the corner is later rounded into a pull-down arc like any route corner).</summary>
    private static List<Vector3d> WithDive(List<Vector3d> pts, double afterM, double diveRad)
    {
        var result = new List<Vector3d> { pts[0] };
        double left = afterM;
        for (int i = 1; i < pts.Count; i++)
        {
            var leg = pts[i] - pts[i - 1];
            double len = leg.Length;
            bool last = i == pts.Count - 1;
            if (left <= len || last)
            {
                var dirLeg = leg.NormalizedOr(Vector3d.UnitX);
                var divePoint = pts[i - 1] + dirLeg * left;
                var horiz = new Vector3d(dirLeg.X, dirLeg.Y, 0).NormalizedOr(Vector3d.UnitX);
                var diveDir = horiz * Math.Cos(diveRad) + new Vector3d(0, 0, Math.Sin(diveRad));
                if (left > 1e-6) result.Add(divePoint);
                else result[^1] = pts[i - 1];
                result.Add(divePoint + diveDir * 1000);
                return result;
            }
            result.Add(pts[i]);
            left -= len;
        }
        return result;
    }
}
