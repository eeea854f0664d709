using Interceptor.Cli;
using Interceptor.Testing;

namespace Interceptor.Cli.Tests;

public class CliCommandTests
{
    private static string Crossing => RepoPaths.RepoFile("sim", "suites", "standard", "crossing-quad-6ms.yaml");

    [Fact]
    public void Laws_lists_every_law_and_marks_the_default()
    {
        var (code, output, _) = CliHarness.Run("laws");
        Assert.Equal(ExitCodes.Ok, code);
        foreach (string law in Interceptor.Guidance.GuidanceLaws.Names) Assert.Contains(law, output);
        Assert.Contains($"{Interceptor.Guidance.GuidanceLaws.DefaultName,-10} (default)", output);
    }

    [Fact]
    public void Sim_narrates_one_run_and_writes_the_report()
    {
        using var dir = new CliHarness.TempDir();
        var (code, output, err) = CliHarness.Run("sim", Crossing, "--seed", "3", "--out", dir.Path);
        Assert.True(code == ExitCodes.Ok, err);
        Assert.Contains("launch:", output);
        Assert.Contains("closest approach: miss distance", output);
        Assert.Contains("result: ", output);
        string html = File.ReadAllText(dir.File("report.html"));
        Assert.Contains("<svg", html);
        Assert.Contains("crossing-quad-6ms", html);
        Assert.DoesNotContain("NaN", html);
        Assert.True(File.ReadAllLines(dir.File("trajectory.csv")).Length > 10);
    }

    [Fact]
    public void Sim_without_a_scenario_flies_the_default_one()
    {
        using var dir = new CliHarness.TempDir();
        var (code, output, err) = CliHarness.Run("sim", "--out", dir.Path);
        Assert.True(code == ExitCodes.Ok, err);
        Assert.Contains("scenario shahed-weave", output);
    }

    [Fact]
    public void Bad_yaml_exits_2_with_file_line_and_field()
    {
        using var dir = new CliHarness.TempDir();
        string bad = dir.File("bad.yaml");
        File.WriteAllText(bad, "name: bad\ntarget:\n  kind: shahed\n  weaveAccelG: -3\n");
        var (code, _, err) = CliHarness.Run("sim", bad, "--out", dir.Path);
        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains($"{bad}:4: target.weaveAccelG = -3: must be in [0, 5]", err);

        File.WriteAllText(bad, "name: bad\ntarget:\n  kind: shahed\n  weaveG: 1\n");
        (code, _, err) = CliHarness.Run("campaign", bad, "--runs", "2", "--out", dir.Path);
        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains($"{bad}:4: target.weaveG: unknown key", err);
    }

    [Theory]
    [InlineData("--runs", "0", "--runs = '0'")]
    [InlineData("--runs", "many", "--runs = 'many'")]
    [InlineData("--shard", "2/2", "--shard = '2/2'")]
    [InlineData("--law", "warp", "--law = 'warp': unknown law")]
    [InlineData("--seed", "-4", "--seed = '-4'")]
    public void Bad_options_exit_2_naming_the_option(string option, string value, string message)
    {
        using var dir = new CliHarness.TempDir();
        var (code, _, err) = CliHarness.Run("campaign", Crossing, option, value, "--out", dir.Path);
        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains(message, err);
    }

    [Fact]
    public void Missing_scenario_file_exits_2()
    {
        var (code, _, err) = CliHarness.Run("campaign", "no/such/file.yaml");
        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains("no/such/file.yaml: no such scenario file or folder", err);
    }

    [Fact]
    public void Campaign_with_baseline_exits_0_when_met_and_1_on_regression()
    {
        using var dir = new CliHarness.TempDir();
        string lenient = dir.File("lenient.yaml");
        File.WriteAllText(lenient, "checks:\n  - scenario: crossing-quad-6ms\n    law: ppn\n    pkRadiusM: 3.0\n    minPk: 0.0\n    maxMissMedianM: 1000\n");
        string strict = dir.File("strict.yaml");
        File.WriteAllText(strict, "checks:\n  - scenario: crossing-quad-6ms\n    law: ppn\n    pkRadiusM: 0.5\n    minPk: 1.0\n    maxMissMedianM: 0.0001\n");
        string outDir = dir.File("out");

        var (code, output, err) = CliHarness.Run("campaign", Crossing, "--runs", "3", "--law", "ppn", "--out", outDir, "--baseline", lenient, "--quiet");
        Assert.True(code == ExitCodes.Ok, err);
        Assert.Contains("1 passed, 0 failed", output);
        foreach (string f in new[] { "runs.csv", "summary.json", "report.html", "campaign.json", "trajectories.csv" })
            Assert.True(File.Exists(Path.Combine(outDir, f)), f);
        Assert.Equal(4, File.ReadAllLines(Path.Combine(outDir, "runs.csv")).Length);

        (code, _, err) = CliHarness.Run("campaign", Crossing, "--runs", "3", "--law", "ppn", "--out", outDir, "--baseline", strict, "--quiet");
        Assert.Equal(ExitCodes.ThresholdFailed, code);
        Assert.Contains("REGRESSION", err);
        Assert.Contains("median miss", err);

        // a baseline that checks nothing this campaign ran is bad input, not a silent pass
        (code, _, err) = CliHarness.Run("campaign", Crossing, "--runs", "1", "--law", "zem", "--out", outDir, "--baseline", strict, "--quiet");
        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains("none of its checks", err);
    }

    [Fact]
    public void Bad_baseline_file_exits_2_with_its_line()
    {
        using var dir = new CliHarness.TempDir();
        string b = dir.File("b.yaml");
        File.WriteAllText(b, "checks:\n  - scenario: x\n    law: zem\n    pkRadiusM: 0.7\n    minPk: 0.5\n");
        var (code, _, err) = CliHarness.Run("campaign", Crossing, "--runs", "1", "--out", dir.File("o"), "--baseline", b);
        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains($"{b}:4: checks[0].pkRadiusM = 0.7: must be one of 0.5, 1, 1.5, 2, 3", err);
    }

    [Fact]
    public void Merge_rejects_incomplete_or_duplicate_shards()
    {
        using var dir = new CliHarness.TempDir();
        string s0 = dir.File("s0"), s1 = dir.File("s1");
        Assert.Equal(ExitCodes.Ok, CliHarness.Run("campaign", Crossing, "--runs", "2", "--shard", "0/2", "--out", s0, "--quiet").Code);
        var (code, _, err) = CliHarness.Run("campaign", "merge", s0, "--out", dir.File("m"));
        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains("shard(s) 1/2 missing", err);
        (code, _, err) = CliHarness.Run("campaign", "merge", s0, s0, "--out", dir.File("m"));
        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains("the same shard is also in", err);
        Assert.Equal(ExitCodes.Ok, CliHarness.Run("campaign", Crossing, "--runs", "3", "--shard", "1/2", "--out", s1, "--quiet").Code);
        (code, _, err) = CliHarness.Run("campaign", "merge", s0, s1, "--out", dir.File("m"));
        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains("different campaign", err);
        (code, _, err) = CliHarness.Run("campaign", "merge", dir.File("nowhere"), "--out", dir.File("m"));
        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains("no such results folder", err);
    }
}
