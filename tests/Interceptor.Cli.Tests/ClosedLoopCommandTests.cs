using System.Globalization;
using System.Text.Json;
using Interceptor.Cli;

namespace Interceptor.Cli.Tests;

/// <summary>`sim --autopilot` and `campaign --autopilot`: the whole stack against the virtual autopilot
/// (lockstep over loopback MAVLink), through the real command line.</summary>
public class ClosedLoopCommandTests
{
    /// <summary>An x500-class quad at 20 m against a small quad flying straight at 5 m/s across its front,
    /// 100 m north and 5 m above (the end-to-end closed-loop tests' geometry), with small dispersions.</summary>
    private const string StraightTargetYaml = """
        name: cli-straight-crossing
        description: x500 vs a small quad crossing at 5 m/s, 100 m ahead, 5 m above
        killRadiusM: 1.5
        interceptor:
          preset: x500
          startPosNedM: [0, 0, -20]
          startYawDeg: 0
        target:
          kind: constant-velocity
          startPosNedM: [100, -40, -25]
          speedMs: 5
          headingDeg: 90
        seeker:
          noiseMrad: 1.0
          frameRateHz: 30
          latencyS: 0.05
          horizontalFovDeg: 60
          verticalFovDeg: 48
          mountPitchDeg: 20
          maxDetectionProbability: 0.98
          detectionRange50M: 400
          detectionRangeWidthM: 50
        cue:
          positionNoiseM: 3
          rateHz: 2
          latencyS: 0.3
        guidance:
          guidanceRateHz: 50
        safety:
          altitudeFloorM: 5
          geofenceRadiusM: 2000
        sim:
          dtS: 0.0025
          maxTimeS: 60
        dispersions:
          interceptorStartOffsetNedM: [1, 1, 0.5]
          targetStartOffsetNedM: [3, 3, 1]
          targetHeadingOffsetDeg: 3
          targetSpeedOffsetMs: 0.2
        """;

    private static string WriteScenario(CliHarness.TempDir dir)
    {
        string path = dir.File("straight.yaml");
        File.WriteAllText(path, StraightTargetYaml);
        return path;
    }

    [Theory]
    [InlineData("px4", "PX4", "OFFBOARD", "Px4")]
    [InlineData("ardupilot", "ArduPilot (ArduCopter)", "GUIDED", "ArduPilot")]
    public void Sim_with_an_autopilot_flies_the_closed_loop_names_the_persona_and_writes_the_reports(string option, string persona, string externalMode, string kind)
    {
        using var dir = new CliHarness.TempDir();
        string scenario = WriteScenario(dir);
        string outDir = dir.File("out");
        var (code, output, err) = CliHarness.Run("sim", scenario, "--autopilot", option, "--seed", "1", "--out", outDir);
        Assert.True(code == ExitCodes.Ok, err + output);

        Assert.Contains($"autopilot: {persona} persona of the virtual autopilot, closed loop over loopback MAVLink", output);
        // the set-up happened over MAVLink before guidance took over, and is narrated before t = 0
        Assert.Contains($"{persona}: Armed", output);
        Assert.Contains($"{persona}: TakeoffComplete", output);
        Assert.Contains($"{persona}: ExternalControlEntered: {externalMode}", output);
        Assert.Contains("guidance takes over", output);
        Assert.Contains("closest approach: miss distance", output);
        Assert.Contains($"autopilot {persona}", output.Split('\n').Single(l => l.StartsWith("result: ", StringComparison.Ordinal)));
        Assert.Contains($"final mode {externalMode} armed", output);

        // the closed loop intercepts this straight target (as the end-to-end tests require: miss < 1.5 m)
        string resultLine = output.Split('\n').Single(l => l.StartsWith("result: ", StringComparison.Ordinal));
        Assert.StartsWith("result: KILL", resultLine);
        double missM = double.Parse(resultLine.Split(" miss ")[1].Split(' ')[0], CultureInfo.InvariantCulture);
        Assert.InRange(missM, 0, 1.5);

        string html = File.ReadAllText(Path.Combine(outDir, "report.html"));
        Assert.Contains($"<tr><td>Autopilot</td><td>{System.Net.WebUtility.HtmlEncode(persona)} persona of the virtual autopilot", html);
        Assert.Contains("cli-straight-crossing", html);
        Assert.Contains("<svg", html);
        Assert.DoesNotContain("NaN", html);
        Assert.True(File.ReadAllLines(Path.Combine(outDir, "trajectory.csv")).Length > 10);

        string text = File.ReadAllText(Path.Combine(outDir, SimCommands.ClosedLoopReportFile));
        Assert.Contains($"autopilot {kind}, setpoint form", text);
        Assert.Contains("set-up: ok", text);
        // the text report carries the same miss the narration printed (2 vs 3 decimals)
        Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"miss {missM:F2} m"), text);
    }

    [Fact]
    public void Campaign_with_px4_flies_every_run_through_the_closed_loop_and_records_the_autopilot()
    {
        using var dir = new CliHarness.TempDir();
        string scenario = WriteScenario(dir);
        string outDir = dir.File("out");
        var (code, output, err) = CliHarness.Run("campaign", scenario, "--autopilot", "px4", "--runs", "2", "--law", "zem", "--threads", "2", "--out", outDir, "--quiet");
        Assert.True(code == ExitCodes.Ok, err + output);
        Assert.Contains("autopilot: PX4 persona", output);
        Assert.Contains("cli-straight-crossing", output);
        Assert.Contains("[px4]", output);

        string[] runs = File.ReadAllLines(Path.Combine(outDir, "runs.csv"));
        Assert.Equal(3, runs.Length);
        foreach (string line in runs.Skip(1))
        {
            string[] f = line.Split(',');
            Assert.Equal("cli-straight-crossing", f[0]);
            Assert.Equal("zem", f[1]);
            Assert.Equal("closest-approach", f[7]);
            Assert.InRange(double.Parse(f[4], CultureInfo.InvariantCulture), 0, 1.5);
        }
        using (var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "campaign.json"))))
            Assert.Equal("px4", manifest.RootElement.GetProperty("autopilot").GetString());
        using (var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "summary.json"))))
        {
            var s = summary.RootElement.GetProperty("scenarios")[0];
            Assert.Equal("px4", s.GetProperty("autopilot").GetString());
            Assert.Equal(2, s.GetProperty("runs").GetInt32());
            Assert.Equal(1.0, s.GetProperty("pk").GetProperty("1.5").GetDouble());
        }
        Assert.True(File.Exists(Path.Combine(outDir, "report.html")));
        Assert.True(File.ReadAllLines(Path.Combine(outDir, "trajectories.csv")).Length > 10);

        // a baseline can single out the autopilot: a check for the pure simulator does not apply here ...
        string noneOnly = dir.File("none.yaml");
        File.WriteAllText(noneOnly, "checks:\n  - scenario: cli-straight-crossing\n    law: zem\n    pkRadiusM: 1.5\n    minPk: 0.5\n    autopilot: none\n");
        (code, _, err) = CliHarness.Run("campaign", scenario, "--autopilot", "px4", "--runs", "1", "--law", "zem", "--out", dir.File("out2"), "--baseline", noneOnly, "--quiet");
        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains("none of its checks", err);

        // ... and one for px4 does
        string px4Only = dir.File("px4.yaml");
        File.WriteAllText(px4Only, "checks:\n  - scenario: cli-straight-crossing\n    law: zem\n    pkRadiusM: 1.5\n    minPk: 0.5\n    autopilot: px4\n");
        (code, output, err) = CliHarness.Run("campaign", scenario, "--autopilot", "px4", "--runs", "1", "--law", "zem", "--out", dir.File("out3"), "--baseline", px4Only, "--quiet");
        Assert.True(code == ExitCodes.Ok, err + output);
        Assert.Contains("1 passed, 0 failed", output);
    }

    [Fact]
    public void Campaign_merge_joins_shards_of_one_autopilot_and_refuses_to_mix_autopilots()
    {
        using var dir = new CliHarness.TempDir();
        string scenario = WriteScenario(dir);
        string Shard(string autopilot, string shard)
        {
            string outDir = dir.File($"{autopilot}-{shard.Replace("/", "of", StringComparison.Ordinal)}");
            var (c, o, e) = CliHarness.Run("campaign", scenario, "--autopilot", autopilot, "--runs", "2", "--shard", shard, "--out", outDir, "--quiet");
            Assert.True(c == ExitCodes.Ok, e + o);
            return outDir;
        }
        string a0 = Shard("ardupilot", "0/2"), a1 = Shard("ardupilot", "1/2"), n1 = Shard("none", "1/2");

        string merged = dir.File("merged");
        var (code, output, err) = CliHarness.Run("campaign", "merge", a0, a1, "--out", merged);
        Assert.True(code == ExitCodes.Ok, err + output);
        Assert.Contains("[ardupilot] runs     2", output);
        using (var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(merged, "summary.json"))))
            Assert.Equal("ardupilot", summary.RootElement.GetProperty("scenarios")[0].GetProperty("autopilot").GetString());

        (code, _, err) = CliHarness.Run("campaign", "merge", a0, n1, "--out", dir.File("mixed"));
        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains("describes a different campaign", err);
        Assert.Contains("autopilot", err);
    }

    [Fact]
    public void Campaign_without_an_autopilot_records_none()
    {
        using var dir = new CliHarness.TempDir();
        string outDir = dir.File("out");
        var (code, output, err) = CliHarness.Run("campaign", WriteScenario(dir), "--runs", "1", "--out", outDir, "--quiet");
        Assert.True(code == ExitCodes.Ok, err + output);
        Assert.Contains("autopilot: none (pure simulator", output);
        using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "summary.json")));
        Assert.Equal("none", summary.RootElement.GetProperty("scenarios")[0].GetProperty("autopilot").GetString());
    }

    [Theory]
    [InlineData("sim")]
    [InlineData("campaign")]
    public void An_unknown_autopilot_exits_2_naming_the_value(string command)
    {
        using var dir = new CliHarness.TempDir();
        string scenario = WriteScenario(dir);
        var (code, output, err) = CliHarness.Run(command, scenario, "--autopilot", "betaflight", "--out", dir.File("out"));
        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains("--autopilot = 'betaflight'", err);
        Assert.Contains("none, px4, ardupilot", err);
        Assert.DoesNotContain("result:", output);
        Assert.False(Directory.Exists(dir.File("out")));
    }
}
