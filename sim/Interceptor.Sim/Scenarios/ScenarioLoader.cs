using Interceptor.Core;

namespace Interceptor.Sim.Scenarios;

/// <summary>A scenario read from a file: the spec plus what the campaign needs beside it.</summary>
/// <param name="Path">File it came from (as given, for messages).</param>
/// <param name="Spec">Validated scenario.</param>
/// <param name="KillRadiusM">Miss distance at or below which a run counts as a kill for the cost-per-kill
/// figure (top-level key <c>killRadiusM</c>, default 1 m).</param>
public sealed record LoadedScenario(string Path, ScenarioSpec Spec, double KillRadiusM)
{
    public string Name => Spec.Name;
}

/// <summary>Reads scenario YAML files into <see cref="ScenarioSpec"/> without reflection (YamlDotNet's
/// representation model, so the CLI stays Native-AOT friendly). Keys are the camelCase names of the
/// spec's properties (<c>target.weaveAccelG</c>); vectors are <c>[north, east, down]</c> lists; ranges are
/// <c>[min, max]</c>. Unknown keys and invalid values fail with <c>path:line: field = value: rule</c>.</summary>
public static class ScenarioLoader
{
    public const double DefaultKillRadiusM = 1.0;

    public static LoadedScenario Load(string path) => Read(YamlFile.Load(path));

    public static LoadedScenario Parse(string path, string yamlText) => Read(YamlFile.Parse(path, yamlText));

    /// <summary>Expands folders (every *.yaml/*.yml in it except baseline*, sorted by name) and files into
    /// scenarios, in order. Duplicate scenario names are an error.</summary>
    public static List<LoadedScenario> LoadMany(IEnumerable<string> pathsOrFolders)
    {
        var result = new List<LoadedScenario>();
        var seen = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string p in pathsOrFolders)
        {
            IEnumerable<string> files;
            if (Directory.Exists(p))
            {
                files = Directory.EnumerateFiles(p)
                    .Where(f => (f.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".yml", StringComparison.OrdinalIgnoreCase))
                                && !System.IO.Path.GetFileName(f).StartsWith("baseline", StringComparison.OrdinalIgnoreCase))
                    .Order(StringComparer.Ordinal)
                    .ToList();
                if (!files.Any()) throw new ScenarioFileException($"{p}: folder holds no scenario files (*.yaml)");
            }
            else if (File.Exists(p)) files = [p];
            else throw new ScenarioFileException($"{p}: no such scenario file or folder");
            foreach (string f in files)
            {
                var s = Load(f);
                if (seen.TryGetValue(s.Name, out string? other))
                    throw new ScenarioFileException($"{f}: name = {s.Name}: the same scenario name is already used by {other}");
                seen[s.Name] = f;
                result.Add(s);
            }
        }
        return result;
    }

    private static LoadedScenario Read(YamlFile file)
    {
        var root = file.Root;
        string stem = System.IO.Path.GetFileNameWithoutExtension(file.Path);
        var d = new ScenarioSpec();
        string name = root.String("name", stem);
        foreach (char c in name)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
                throw root.Invalid("name", "use letters, digits, '-', '_' or '.' only (it appears in CSV files and seeds)");
        }
        var spec = new ScenarioSpec
        {
            Name = name,
            Description = root.String("description", d.Description),
            UnitCostUsd = root.Double("unitCostUsd", d.UnitCostUsd),
            TargetCostUsd = root.Double("targetCostUsd", d.TargetCostUsd),
            Interceptor = ReadInterceptor(root.OptionalSection("interceptor")),
            Target = ReadTarget(root.OptionalSection("target")),
            Seeker = ReadSeeker(root.OptionalSection("seeker")),
            Cue = ReadCue(root.OptionalSection("cue")),
            Guidance = ReadGuidance(root.OptionalSection("guidance")),
            Safety = ReadSafety(root.OptionalSection("safety")),
            Sim = ReadSim(root.OptionalSection("sim")),
            Dispersions = ReadDispersions(root.OptionalSection("dispersions")),
        };
        double killRadiusM = root.Double("killRadiusM", DefaultKillRadiusM);
        if (!(killRadiusM > 0 && killRadiusM <= 100)) throw root.Invalid("killRadiusM", "must be in (0, 100]");
        root.RejectUnknownKeys();
        try
        {
            spec.Validate();
        }
        catch (ValidationException e)
        {
            throw Locate(file, e.Message);
        }
        return new LoadedScenario(file.Path, spec, killRadiusM);
    }

    /// <summary>Turns "Target.WeaveAccelG = -3: must be in [0, 5]" into
    /// "file:line: target.weaveAccelG = -3: must be in [0, 5]".</summary>
    internal static ScenarioFileException Locate(YamlFile file, string message)
    {
        int end = message.IndexOf(" = ", StringComparison.Ordinal);
        int colon = message.IndexOf(':');
        if (end < 0 || (colon >= 0 && colon < end)) end = colon;
        if (end <= 0) return new ScenarioFileException($"{file.Path}:{file.Root.Line}: {message}");
        string specPath = message[..end];
        string yamlPath = string.Join('.', specPath.Split('.').Select(Camel));
        int bracket = yamlPath.IndexOf('[');
        string lookup = bracket > 0 ? yamlPath[..bracket] : yamlPath;
        return new ScenarioFileException($"{file.Path}:{file.LineOf(lookup)}: {yamlPath}{message[end..]}");
    }

    private static string Camel(string s) => s.Length > 0 && char.IsUpper(s[0]) ? char.ToLowerInvariant(s[0]) + s[1..] : s;

    private static InterceptorSpec ReadInterceptor(YamlSection? s)
    {
        var d = new InterceptorSpec();
        if (s is null) return d;
        var r = new InterceptorSpec
        {
            Preset = s.String("preset", d.Preset),
            MaxSpeedMs = s.OptionalDouble("maxSpeedMs"),
            ThrustToWeight = s.OptionalDouble("thrustToWeight"),
            MaxTiltDeg = s.OptionalDouble("maxTiltDeg"),
            AttitudeTimeConstantS = s.OptionalDouble("attitudeTimeConstantS"),
            ThrustTimeConstantS = s.OptionalDouble("thrustTimeConstantS"),
            DragPerM = s.OptionalDouble("dragPerM"),
            MaxYawRateDegS = s.OptionalDouble("maxYawRateDegS"),
            StartPosNedM = s.Vector("startPosNedM", d.StartPosNedM),
            StartVelNedMs = s.Vector("startVelNedMs", d.StartVelNedMs),
            StartYawDeg = s.OptionalDouble("startYawDeg"),
        };
        s.RejectUnknownKeys();
        return r;
    }

    private static TargetSpec ReadTarget(YamlSection? s)
    {
        var d = new TargetSpec();
        if (s is null) return d;
        var r = new TargetSpec
        {
            Kind = s.String("kind", d.Kind),
            StartPosNedM = s.Vector("startPosNedM", d.StartPosNedM),
            SpeedMs = s.Double("speedMs", d.SpeedMs),
            HeadingDeg = s.Double("headingDeg", d.HeadingDeg),
            ClimbAngleDeg = s.Double("climbAngleDeg", d.ClimbAngleDeg),
            RouteNedM = s.OptionalVectorList("routeNedM") ?? (IReadOnlyList<Vector3d>)d.RouteNedM,
            TurnAccelG = s.Double("turnAccelG", d.TurnAccelG),
            WeaveAccelG = s.Double("weaveAccelG", d.WeaveAccelG),
            WeavePeriodS = s.Double("weavePeriodS", d.WeavePeriodS),
            WeavePhaseDeg = s.Double("weavePhaseDeg", d.WeavePhaseDeg),
            DiveAngleDeg = s.Double("diveAngleDeg", d.DiveAngleDeg),
            DiveAfterDistanceM = s.Double("diveAfterDistanceM", d.DiveAfterDistanceM),
            JinkAccelMs2 = s.Double("jinkAccelMs2", d.JinkAccelMs2),
            JinkIntervalMinS = s.Double("jinkIntervalMinS", d.JinkIntervalMinS),
            JinkIntervalMaxS = s.Double("jinkIntervalMaxS", d.JinkIntervalMaxS),
            JinkHeadingDeg = s.Double("jinkHeadingDeg", d.JinkHeadingDeg),
            JinkSpeedMinMs = s.Double("jinkSpeedMinMs", d.JinkSpeedMinMs),
            JinkSpeedMaxMs = s.Double("jinkSpeedMaxMs", d.JinkSpeedMaxMs),
            JinkClimbRateMs = s.Double("jinkClimbRateMs", d.JinkClimbRateMs),
        };
        s.RejectUnknownKeys();
        return r;
    }

    private static SeekerSpec ReadSeeker(YamlSection? s)
    {
        var d = new SeekerSpec();
        if (s is null) return d;
        var r = new SeekerSpec
        {
            Enabled = s.Bool("enabled", d.Enabled),
            NoiseMrad = s.Double("noiseMrad", d.NoiseMrad),
            FrameRateHz = s.Double("frameRateHz", d.FrameRateHz),
            LatencyS = s.Double("latencyS", d.LatencyS),
            HorizontalFovDeg = s.Double("horizontalFovDeg", d.HorizontalFovDeg),
            VerticalFovDeg = s.Double("verticalFovDeg", d.VerticalFovDeg),
            MountPitchDeg = s.Double("mountPitchDeg", d.MountPitchDeg),
            MaxDetectionProbability = s.Double("maxDetectionProbability", d.MaxDetectionProbability),
            DetectionRange50M = s.Double("detectionRange50M", d.DetectionRange50M),
            DetectionRangeWidthM = s.Double("detectionRangeWidthM", d.DetectionRangeWidthM),
        };
        s.RejectUnknownKeys();
        return r;
    }

    private static CueSpec ReadCue(YamlSection? s)
    {
        var d = new CueSpec();
        if (s is null) return d;
        var r = new CueSpec
        {
            Enabled = s.Bool("enabled", d.Enabled),
            PositionNoiseM = s.Double("positionNoiseM", d.PositionNoiseM),
            RateHz = s.Double("rateHz", d.RateHz),
            LatencyS = s.Double("latencyS", d.LatencyS),
            StopAfterSeekerTrackS = s.OptionalDouble("stopAfterSeekerTrackS") ?? d.StopAfterSeekerTrackS,
        };
        s.RejectUnknownKeys();
        return r;
    }

    private static GuidanceSpec ReadGuidance(YamlSection? s)
    {
        var d = new GuidanceSpec();
        if (s is null) return d;
        var r = new GuidanceSpec
        {
            Law = s.String("law", d.Law),
            NavigationGain = s.OptionalDouble("navigationGain") ?? d.NavigationGain,
            GuidanceRateHz = s.Double("guidanceRateHz", d.GuidanceRateHz),
        };
        s.RejectUnknownKeys();
        return r;
    }

    private static SafetySpec ReadSafety(YamlSection? s)
    {
        var d = new SafetySpec();
        if (s is null) return d;
        var r = new SafetySpec
        {
            AltitudeFloorM = s.Double("altitudeFloorM", d.AltitudeFloorM),
            GeofenceRadiusM = s.Double("geofenceRadiusM", d.GeofenceRadiusM),
        };
        s.RejectUnknownKeys();
        return r;
    }

    private static SimSpec ReadSim(YamlSection? s)
    {
        var d = new SimSpec();
        if (s is null) return d;
        var r = new SimSpec
        {
            DtS = s.Double("dtS", d.DtS),
            MaxTimeS = s.Double("maxTimeS", d.MaxTimeS),
        };
        s.RejectUnknownKeys();
        return r;
    }

    private static DispersionSpec ReadDispersions(YamlSection? s)
    {
        var d = new DispersionSpec();
        if (s is null) return d;
        var r = new DispersionSpec
        {
            InterceptorStartOffsetNedM = s.Vector("interceptorStartOffsetNedM", d.InterceptorStartOffsetNedM),
            TargetStartOffsetNedM = s.Vector("targetStartOffsetNedM", d.TargetStartOffsetNedM),
            TargetHeadingOffsetDeg = s.Double("targetHeadingOffsetDeg", d.TargetHeadingOffsetDeg),
            TargetSpeedOffsetMs = s.Double("targetSpeedOffsetMs", d.TargetSpeedOffsetMs),
            WeaveAccelG = Range(s, "weaveAccelG") ?? d.WeaveAccelG,
            WeavePeriodS = Range(s, "weavePeriodS") ?? d.WeavePeriodS,
            RandomWeavePhase = s.Bool("randomWeavePhase", d.RandomWeavePhase),
            SensorNoiseScale = Range(s, "sensorNoiseScale") ?? d.SensorNoiseScale,
            LatencyScale = Range(s, "latencyScale") ?? d.LatencyScale,
        };
        s.RejectUnknownKeys();
        return r;
    }

    private static ValueRange? Range(YamlSection s, string key)
    {
        var v = s.OptionalDoubles(key, 2);
        return v is null ? null : new ValueRange(v[0], v[1]);
    }
}
