using System.Runtime.CompilerServices;
using BenchmarkDotNet.Attributes;
using Interceptor.Sim.Campaign;
using Interceptor.Sim.Scenarios;

namespace Interceptor.Benchmarks;

/// <summary>A 1000-run Monte-Carlo campaign of the standard suite (6 scenarios x 167 runs = 1002 runs, default
/// law, all cores). Goal: at most 20 s on 2 cores.
/// Run: dotnet run -c Release --project tests/Interceptor.Benchmarks -- --filter '*CampaignBenchmarks*'</summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 0, iterationCount: 3, invocationCount: 1)]
public class CampaignBenchmarks
{
    private List<LoadedScenario> _suite = null!;

    [GlobalSetup]
    public void Setup() => _suite = ScenarioLoader.LoadMany([Path.Combine(RepoRoot(), "sim", "suites", "standard")]);

    [Benchmark]
    public int StandardSuite1000Runs()
    {
        var result = CampaignRunner.Run(_suite, new CampaignOptions(167, 1, [Interceptor.Guidance.GuidanceLaws.DefaultName], ShardSpec.All, TrajectoryRuns: 0));
        return result.Records.Count;
    }

    /// <summary>The repository root: from this source file's compile-time path, else above the working directory.</summary>
    private static string RepoRoot([CallerFilePath] string source = "")
    {
        foreach (string? start in new[] { Path.GetDirectoryName(source), Environment.CurrentDirectory, AppContext.BaseDirectory })
        {
            for (var d = start is null ? null : new DirectoryInfo(start); d is not null; d = d.Parent)
                if (File.Exists(Path.Combine(d.FullName, "Interceptor.sln"))) return d.FullName;
        }
        throw new InvalidOperationException("Interceptor.sln not found; run from inside the repository");
    }
}
