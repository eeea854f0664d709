using Interceptor.Core;
using Interceptor.Sim;
using Interceptor.Sim.Scenarios;
using Interceptor.Testing;

namespace Interceptor.Cli.Tests;

public class ScenarioLoaderTests
{
    private const string Minimal = """
        name: t1
        target:
          kind: shahed
          startPosNedM: [3000, 0, -300]
          speedMs: 48
        """;

    [Fact]
    public void Reads_every_section_into_the_spec()
    {
        const string yaml = """
            name: full
            description: every field
            unitCostUsd: 2000
            targetCostUsd: 30000
            killRadiusM: 1.5
            interceptor:
              preset: x500
              maxSpeedMs: 11
              thrustToWeight: 2.2
              maxTiltDeg: 40
              attitudeTimeConstantS: 0.1
              thrustTimeConstantS: 0.04
              dragPerM: 0.05
              maxYawRateDegS: 180
              startPosNedM: [1, 2, -30]
              startVelNedMs: [0, 1, 0]
              startYawDeg: 90
            target:
              kind: shahed
              startPosNedM: [3000, 100, -300]
              speedMs: 47
              headingDeg: 170
              climbAngleDeg: 1
              routeNedM:
                - [2000, 100, -300]
                - [1000, 500, -250]
              turnAccelG: 0.5
              weaveAccelG: 0.7
              weavePeriodS: 9
              weavePhaseDeg: 45
              diveAngleDeg: 30
              diveAfterDistanceM: 2500
              jinkAccelMs2: 0
              jinkIntervalMinS: 1.5
              jinkIntervalMaxS: 2.5
              jinkHeadingDeg: 20
              jinkSpeedMinMs: 7
              jinkSpeedMaxMs: 9
              jinkClimbRateMs: 0.5
            seeker:
              enabled: true
              noiseMrad: 1.5
              frameRateHz: 60
              latencyS: 0.04
              horizontalFovDeg: 50
              verticalFovDeg: 40
              mountPitchDeg: 25
              maxDetectionProbability: 0.9
              detectionRange50M: 1800
              detectionRangeWidthM: 150
            cue:
              enabled: true
              positionNoiseM: 12
              rateHz: 2
              latencyS: 0.7
              stopAfterSeekerTrackS: 1.5
            guidance:
              law: ppn
              navigationGain: 3.5
              guidanceRateHz: 50
            safety:
              altitudeFloorM: 15
              geofenceRadiusM: 9000
            sim:
              dtS: 0.005
              maxTimeS: 90
            dispersions:
              interceptorStartOffsetNedM: [1, 2, 3]
              targetStartOffsetNedM: [4, 5, 6]
              targetHeadingOffsetDeg: 7
              targetSpeedOffsetMs: 2
              weaveAccelG: [0.6, 1.0]
              weavePeriodS: [6, 10]
              randomWeavePhase: true
              sensorNoiseScale: [0.5, 1.5]
              latencyScale: [0.9, 1.1]
            """;
        var s = ScenarioLoader.Parse("full.yaml", yaml);
        var sp = s.Spec;
        Assert.Equal("full", s.Name);
        Assert.Equal(1.5, s.KillRadiusM);
        Assert.Equal("every field", sp.Description);
        Assert.Equal(2000, sp.UnitCostUsd);
        Assert.Equal(30000, sp.TargetCostUsd);
        Assert.Equal("x500", sp.Interceptor.Preset);
        Assert.Equal(11, sp.Interceptor.MaxSpeedMs);
        Assert.Equal(2.2, sp.Interceptor.ThrustToWeight);
        Assert.Equal(40, sp.Interceptor.MaxTiltDeg);
        Assert.Equal(0.1, sp.Interceptor.AttitudeTimeConstantS);
        Assert.Equal(0.04, sp.Interceptor.ThrustTimeConstantS);
        Assert.Equal(0.05, sp.Interceptor.DragPerM);
        Assert.Equal(180, sp.Interceptor.MaxYawRateDegS);
        Assert.Equal(new Vector3d(1, 2, -30), sp.Interceptor.StartPosNedM);
        Assert.Equal(new Vector3d(0, 1, 0), sp.Interceptor.StartVelNedMs);
        Assert.Equal(90, sp.Interceptor.StartYawDeg);
        Assert.Equal("shahed", sp.Target.Kind);
        Assert.Equal(new Vector3d(3000, 100, -300), sp.Target.StartPosNedM);
        Assert.Equal(47, sp.Target.SpeedMs);
        Assert.Equal(170, sp.Target.HeadingDeg);
        Assert.Equal(1, sp.Target.ClimbAngleDeg);
        Assert.Equal([new Vector3d(2000, 100, -300), new Vector3d(1000, 500, -250)], sp.Target.RouteNedM);
        Assert.Equal(0.5, sp.Target.TurnAccelG);
        Assert.Equal(0.7, sp.Target.WeaveAccelG);
        Assert.Equal(9, sp.Target.WeavePeriodS);
        Assert.Equal(45, sp.Target.WeavePhaseDeg);
        Assert.Equal(30, sp.Target.DiveAngleDeg);
        Assert.Equal(2500, sp.Target.DiveAfterDistanceM);
        Assert.Equal(0, sp.Target.JinkAccelMs2);
        Assert.Equal(1.5, sp.Target.JinkIntervalMinS);
        Assert.Equal(2.5, sp.Target.JinkIntervalMaxS);
        Assert.Equal(20, sp.Target.JinkHeadingDeg);
        Assert.Equal(7, sp.Target.JinkSpeedMinMs);
        Assert.Equal(9, sp.Target.JinkSpeedMaxMs);
        Assert.Equal(0.5, sp.Target.JinkClimbRateMs);
        Assert.True(sp.Seeker.Enabled);
        Assert.Equal(1.5, sp.Seeker.NoiseMrad);
        Assert.Equal(60, sp.Seeker.FrameRateHz);
        Assert.Equal(0.04, sp.Seeker.LatencyS);
        Assert.Equal(50, sp.Seeker.HorizontalFovDeg);
        Assert.Equal(40, sp.Seeker.VerticalFovDeg);
        Assert.Equal(25, sp.Seeker.MountPitchDeg);
        Assert.Equal(0.9, sp.Seeker.MaxDetectionProbability);
        Assert.Equal(1800, sp.Seeker.DetectionRange50M);
        Assert.Equal(150, sp.Seeker.DetectionRangeWidthM);
        Assert.Equal(12, sp.Cue.PositionNoiseM);
        Assert.Equal(2, sp.Cue.RateHz);
        Assert.Equal(0.7, sp.Cue.LatencyS);
        Assert.Equal(1.5, sp.Cue.StopAfterSeekerTrackS);
        Assert.Equal("ppn", sp.Guidance.Law);
        Assert.Equal(3.5, sp.Guidance.NavigationGain);
        Assert.Equal(50, sp.Guidance.GuidanceRateHz);
        Assert.Equal(15, sp.Safety.AltitudeFloorM);
        Assert.Equal(9000, sp.Safety.GeofenceRadiusM);
        Assert.Equal(0.005, sp.Sim.DtS);
        Assert.Equal(90, sp.Sim.MaxTimeS);
        Assert.Equal(new Vector3d(1, 2, 3), sp.Dispersions.InterceptorStartOffsetNedM);
        Assert.Equal(new Vector3d(4, 5, 6), sp.Dispersions.TargetStartOffsetNedM);
        Assert.Equal(7, sp.Dispersions.TargetHeadingOffsetDeg);
        Assert.Equal(2, sp.Dispersions.TargetSpeedOffsetMs);
        Assert.Equal(new ValueRange(0.6, 1.0), sp.Dispersions.WeaveAccelG);
        Assert.Equal(new ValueRange(6, 10), sp.Dispersions.WeavePeriodS);
        Assert.True(sp.Dispersions.RandomWeavePhase);
        Assert.Equal(new ValueRange(0.5, 1.5), sp.Dispersions.SensorNoiseScale);
        Assert.Equal(new ValueRange(0.9, 1.1), sp.Dispersions.LatencyScale);
    }

    [Fact]
    public void Missing_sections_keep_the_model_defaults_and_the_file_name_names_the_scenario()
    {
        var s = ScenarioLoader.Parse("dir/my-case.yaml", "target:\n  speedMs: 40\n");
        Assert.Equal("my-case", s.Name);
        Assert.Equal(40, s.Spec.Target.SpeedMs);
        Assert.Equal(new SeekerSpec(), s.Spec.Seeker);
        Assert.Equal(ScenarioLoader.DefaultKillRadiusM, s.KillRadiusM);
    }

    [Theory]
    // out of range value, caught by the spec's validation, mapped back to the key's line
    [InlineData("  weaveAccelG: -3\n", "x.yaml:6: target.weaveAccelG = -3: must be in [0, 5]")]
    // unknown key, with its own line
    [InlineData("  weaveG: 1\n", "x.yaml:6: target.weaveG: unknown key")]
    // not a number
    [InlineData("  weavePeriodS: fast\n", "x.yaml:6: target.weavePeriodS = fast: expected a finite number")]
    // wrong vector length
    [InlineData("  routeNedM:\n    - [1, 2]\n", "x.yaml:7: target.routeNedM[0] = [1, 2]: expected [north, east, down] in metres")]
    public void Bad_target_fields_are_reported_with_file_line_and_field(string extra, string expected)
    {
        string yaml = Minimal + "\n" + extra;
        var e = Assert.Throws<ScenarioFileException>(() => ScenarioLoader.Parse("x.yaml", yaml));
        Assert.StartsWith(expected, e.Message);
    }

    [Fact]
    public void Unknown_top_level_key_and_syntax_errors_name_their_line()
    {
        var e1 = Assert.Throws<ScenarioFileException>(() => ScenarioLoader.Parse("a.yaml", "name: a\nseekr:\n  noiseMrad: 1\n"));
        Assert.StartsWith("a.yaml:2: seekr: unknown key", e1.Message);
        var e2 = Assert.Throws<ScenarioFileException>(() => ScenarioLoader.Parse("b.yaml", "name: b\ntarget:\n  speedMs: [1, 2\n"));
        Assert.StartsWith("b.yaml:", e2.Message);
        Assert.Contains("YAML syntax error", e2.Message);
        var e3 = Assert.Throws<ScenarioFileException>(() => ScenarioLoader.Parse("c.yaml", "name: c\nseeker:\n  frameRateHz: 30\n  latencyS: 5\n"));
        Assert.Equal("c.yaml:4: seeker.latencyS = 5: must be in [0, 2]", e3.Message);
        var e4 = Assert.Throws<ScenarioFileException>(() => ScenarioLoader.Parse("d.yaml", "name: d\nseeker:\n  enabled: maybe\n"));
        Assert.Equal("d.yaml:3: seeker.enabled = maybe: expected true or false", e4.Message);
        var e5 = Assert.Throws<ScenarioFileException>(() => ScenarioLoader.Parse("e.yaml", "name: e\nkillRadiusM: 0\n"));
        Assert.Equal("e.yaml:2: killRadiusM = 0: must be in (0, 100]", e5.Message);
        var e6 = Assert.Throws<ScenarioFileException>(() => ScenarioLoader.Parse("f.yaml", "- 1\n- 2\n"));
        Assert.StartsWith("f.yaml:1: expected a mapping", e6.Message);
        var e7 = Assert.Throws<ScenarioFileException>(() => ScenarioLoader.Parse("g.yaml", "name: has space\n"));
        Assert.StartsWith("g.yaml:1: name = has space:", e7.Message);
    }

    [Fact]
    public void Standard_suite_loads_with_the_required_scenarios_and_sensor_settings()
    {
        var suite = ScenarioLoader.LoadMany([RepoPaths.RepoFile("sim", "suites", "standard")]);
        var names = suite.Select(s => s.Name).ToList();
        foreach (string required in new[] { "crossing-quad-6ms", "headon-quad", "tailchase-quad", "shahed-straight", "shahed-weave", "shahed-aerostat-launch" })
            Assert.Contains(required, names);
        Assert.Equal(names.Order(StringComparer.Ordinal), names);
        foreach (var s in suite)
        {
            Assert.Equal(1.0, s.Spec.Seeker.NoiseMrad);
            Assert.Equal(30, s.Spec.Seeker.FrameRateHz);
            Assert.Equal(0.05, s.Spec.Seeker.LatencyS);
            Assert.True(s.Spec.Seeker.HorizontalFovDeg < 180 && s.Spec.Seeker.VerticalFovDeg < 180);
        }
        var crossing = suite.Single(s => s.Name == "crossing-quad-6ms").Spec;
        Assert.Equal("x500", crossing.Interceptor.Preset);
        Assert.Equal(6, crossing.Target.SpeedMs);
        var weave = suite.Single(s => s.Name == "shahed-weave").Spec;
        Assert.Equal(new ValueRange(0.6, 1.0), weave.Dispersions.WeaveAccelG);
        var aerostat = suite.Single(s => s.Name == "shahed-aerostat-launch").Spec;
        Assert.Equal(1500, aerostat.Target.StartPosNedM.Down - aerostat.Interceptor.StartPosNedM.Down);
        foreach (string file in Directory.EnumerateFiles(RepoPaths.RepoFile("sim", "scenarios"), "*.yaml"))
            ScenarioLoader.Load(file);
    }

    [Fact]
    public void Duplicate_names_and_missing_paths_are_rejected()
    {
        using var dir = new CliHarness.TempDir();
        File.WriteAllText(dir.File("a.yaml"), "name: same\n");
        File.WriteAllText(dir.File("b.yaml"), "name: same\n");
        var e = Assert.Throws<ScenarioFileException>(() => ScenarioLoader.LoadMany([dir.Path]));
        Assert.Contains("name = same", e.Message);
        var e2 = Assert.Throws<ScenarioFileException>(() => ScenarioLoader.LoadMany([dir.File("nope.yaml")]));
        Assert.Contains("no such scenario file or folder", e2.Message);
    }
}
