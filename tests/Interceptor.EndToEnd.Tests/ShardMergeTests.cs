using Interceptor.Cli;
using Interceptor.Testing;

namespace Interceptor.EndToEnd.Tests;

public class ShardMergeTests
{
    [Fact]
    public void Sharded_and_merged_results_equal_the_unsharded_run_byte_for_byte()
    {
        using var dir = new CliRunner.TempDir();
        string[] scenarios =
        [
            RepoPaths.RepoFile("sim", "suites", "standard", "crossing-quad-6ms.yaml"),
            RepoPaths.RepoFile("sim", "suites", "standard", "tailchase-quad.yaml"),
        ];
        string[] common = ["--runs", "5", "--law", "zem,ppn", "--seed", "42", "--trajectories", "2", "--quiet"];
        string whole = dir.Sub("whole");
        var r = CliRunner.Run(["campaign", .. scenarios, .. common, "--out", whole, "--threads", "2"]);
        Assert.True(r.Code == ExitCodes.Ok, r.Err);

        var shards = new List<string>();
        foreach (int i in new[] { 2, 0, 1 }) // order of execution must not matter either
        {
            string s = dir.Sub($"shard{i}");
            shards.Add(s);
            r = CliRunner.Run(["campaign", .. scenarios, .. common, "--out", s, "--threads", "1", "--shard", $"{i}/3"]);
            Assert.True(r.Code == ExitCodes.Ok, r.Err);
        }
        // each shard holds only its own share: 2 scenarios x 2 laws x 5 runs = 20 jobs -> 7, 7, 6
        Assert.Equal(new[] { 6, 7, 7 }, shards.Select(s => File.ReadAllLines(Path.Combine(s, "runs.csv")).Length - 1).ToArray());

        string merged = dir.Sub("merged");
        r = CliRunner.Run(["campaign", "merge", .. shards, "--out", merged]);
        Assert.True(r.Code == ExitCodes.Ok, r.Err);
        foreach (string f in new[] { "runs.csv", "summary.json", "campaign.json", "trajectories.csv", "report.html" })
            Assert.True(File.ReadAllBytes(Path.Combine(whole, f)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(merged, f))), $"{f} differs between the unsharded and the merged campaign");

        string[] lines = File.ReadAllLines(Path.Combine(whole, "runs.csv"));
        Assert.Equal(21, lines.Length);
        Assert.Equal("scenario,law,run,seed,miss_m,tca_s,peak_accel_mps2,outcome", lines[0]);
        // run i has the same seed for every law (common random numbers)
        Assert.Equal(lines[1].Split(',')[3], lines[6].Split(',')[3]);
        Assert.Equal("zem", lines[1].Split(',')[1]);
        Assert.Equal("ppn", lines[6].Split(',')[1]);
    }
}
