using Interceptor.Cli;
using Interceptor.Testing;
using Xunit.Abstractions;

namespace Interceptor.EndToEnd.Tests;

/// <summary>Guidance-accuracy regression: the standard suite at reduced N against the committed baseline.</summary>
public class StandardSuiteRegressionTests(ITestOutputHelper log)
{
    /// <summary>Runs per scenario and law: the first N runs of the campaign the baseline was measured on
    /// (run seeds depend only on base seed, scenario and run index).</summary>
    public const int Runs = 24;

    [Fact]
    public void Standard_suite_meets_the_committed_baseline()
    {
        using var dir = new CliRunner.TempDir();
        var (code, output, err) = CliRunner.Run("campaign", RepoPaths.RepoFile("sim", "suites", "standard"),
            "--runs", Runs.ToString(System.Globalization.CultureInfo.InvariantCulture), "--law", "zem,ppn", "--seed", "1",
            "--baseline", RepoPaths.RepoFile("sim", "suites", "standard", "baseline.yaml"),
            "--out", dir.Sub("out"), "--quiet", "--trajectories", "1");
        log.WriteLine(output);
        log.WriteLine(err);
        Assert.True(code == ExitCodes.Ok, $"exit {code}\n{err}\n{output}");
        Assert.Contains(" 0 failed", output);
    }
}
