using System.Text.Json;
using Interceptor.Core;
using Interceptor.Sim.Campaign;
using Interceptor.Sim.Reports;

namespace Interceptor.Cli.Tests;

public class CampaignUnitTests
{
    [Theory]
    [InlineData("0/1", 0, 1)]
    [InlineData("3/4", 3, 4)]
    [InlineData("0/16", 0, 16)]
    public void Shard_parses_i_over_n(string text, int index, int count) =>
        Assert.Equal(new ShardSpec(index, count), ShardSpec.Parse(text));

    [Theory]
    [InlineData("4/4", "i must be in [0, 3]")]
    [InlineData("1/0", "N must be >= 1")]
    [InlineData("-1/4", "expected i/N")]
    [InlineData("a/b", "expected i/N")]
    [InlineData("2", "expected i/N")]
    public void Bad_shards_are_rejected_naming_the_option(string text, string rule)
    {
        var e = Assert.Throws<ValidationException>(() => ShardSpec.Parse(text));
        Assert.StartsWith($"--shard = '{text}'", e.Message);
        Assert.Contains(rule, e.Message);
    }

    [Fact]
    public void Shards_partition_the_jobs_exactly_once()
    {
        for (int n = 1; n <= 7; n++)
        {
            for (long job = 0; job < 200; job++)
                Assert.Equal(1, Enumerable.Range(0, n).Count(i => new ShardSpec(i, n).Contains(job)));
        }
    }

    [Fact]
    public void Run_seeds_depend_only_on_base_seed_scenario_and_run()
    {
        ulong a = RunSeeds.For(1, "shahed-weave", 0);
        Assert.Equal(a, RunSeeds.For(1, "shahed-weave", 0));
        var seeds = new HashSet<ulong>();
        foreach (ulong b in new ulong[] { 1, 2 })
            foreach (string s in new[] { "shahed-weave", "shahed-straight" })
                for (int i = 0; i < 100; i++)
                    Assert.True(seeds.Add(RunSeeds.For(b, s, i)));
        // The documented derivation, recomputed here: changing it silently changes every published result.
        Assert.Equal(RunSeeds.Mix(RunSeeds.Mix(1UL ^ RunSeeds.Mix(Fnv1a("shahed-weave"))) + unchecked(0x9E3779B97F4A7C15UL * 5) + 1), RunSeeds.For(1, "shahed-weave", 5));
    }

    private static ulong Fnv1a(string s)
    {
        ulong h = 14695981039346656037UL;
        foreach (byte b in System.Text.Encoding.UTF8.GetBytes(s)) { h ^= b; h *= 1099511628211UL; }
        return h;
    }

    [Fact]
    public void SplitMix_finaliser_matches_the_reference_values()
    {
        // SplitMix64 (Steele, Lea, Flood 2014) with state 0: the first output is Mix(0x9E3779B97F4A7C15).
        Assert.Equal(0xE220A8397B1DCDAFUL, RunSeeds.Mix(0x9E3779B97F4A7C15UL));
        Assert.Equal(0x6E789E6AA1B965F4UL, RunSeeds.Mix(unchecked(0x9E3779B97F4A7C15UL * 2)));
    }

    [Fact]
    public void Quantiles_follow_type_7_interpolation()
    {
        double[] x = [1, 2, 3, 4];
        Assert.Equal(2.5, Statistics.Quantile(x, 0.5), 12);
        Assert.Equal(3.7, Statistics.Quantile(x, 0.9), 12);
        Assert.Equal(1, Statistics.Quantile(x, 0));
        Assert.Equal(4, Statistics.Quantile(x, 1));
        Assert.Equal(5, Statistics.Quantile([5.0], 0.9));
        Assert.Equal(0.5, Statistics.FractionAtOrBelow(x, 2));
        Assert.Equal(0.75, Statistics.FractionAtOrBelow(x, 3.5));
    }

    private static readonly ScenarioInfo Info = new("s", "s.yaml", "", 1.0, 3000, 35000);

    private static RunRecord Rec(int run, double miss, string outcome = CampaignSummary.KillOutcome) =>
        RunRecord.Create("s", "zem", run, (ulong)run, miss, 10 + run, 20, outcome);

    [Fact]
    public void Summary_counts_kills_by_radius_and_outcome()
    {
        var runs = new[] { Rec(0, 0.2), Rec(1, 0.7), Rec(2, 1.2), Rec(3, 2.5), Rec(4, 10), Rec(5, 0.4, "target-lost") };
        var s = CampaignSummary.Compute(Info, "zem", runs);
        Assert.Equal(6, s.Runs);
        // radii 0.5, 1, 1.5, 2, 3: the target-lost run at 0.4 m is not a kill
        Assert.Equal([1 / 6.0, 2 / 6.0, 3 / 6.0, 3 / 6.0, 4 / 6.0], s.Pk);
        // misses sorted: 0.2 0.4 0.7 1.2 2.5 10 -> median (0.7 + 1.2) / 2, P90 at h = 4.5
        Assert.Equal(0.95, s.MissMedianM, 12);
        Assert.Equal(2.5 + 0.5 * 7.5, s.MissP90M, 12);
        Assert.Equal(Math.Sqrt(Math.Log(2) * (0.04 + 0.16 + 0.49 + 1.44 + 6.25 + 100) / 6), s.CepM, 12);
        Assert.Equal(2 / 6.0, s.PkAtKillRadius, 12);
        Assert.Equal(3000 / (2 / 6.0), s.CostPerKillUsd!.Value, 9);
    }

    [Fact]
    public void Summary_without_kills_has_no_cost_per_kill_and_json_writes_null()
    {
        var s = CampaignSummary.Compute(Info, "ppn", [Rec(0, 5), Rec(1, 7)]);
        Assert.Null(s.CostPerKillUsd);
        using var doc = JsonDocument.Parse(CampaignSummary.ToJson([s]));
        var e = doc.RootElement.GetProperty("scenarios")[0];
        Assert.Equal(JsonValueKind.Null, e.GetProperty("costPerKillUsd").ValueKind);
        Assert.Equal(6.0, e.GetProperty("missMedianM").GetDouble());
    }

    [Fact]
    public void Summary_json_has_the_documented_shape()
    {
        var s = CampaignSummary.Compute(Info, "zem", [Rec(0, 0.3), Rec(1, 0.9), Rec(2, 1.8), Rec(3, 4)]);
        using var doc = JsonDocument.Parse(CampaignSummary.ToJson([s]));
        var e = doc.RootElement.GetProperty("scenarios")[0];
        Assert.Equal("s", e.GetProperty("name").GetString());
        Assert.Equal("zem", e.GetProperty("law").GetString());
        Assert.Equal(4, e.GetProperty("runs").GetInt32());
        var pk = e.GetProperty("pk");
        Assert.Equal(["0.5", "1.0", "1.5", "2.0", "3.0"], pk.EnumerateObject().Select(p => p.Name).ToArray());
        Assert.Equal([0.25, 0.5, 0.5, 0.75, 0.75], pk.EnumerateObject().Select(p => p.Value.GetDouble()).ToArray());
        Assert.Equal(1.35, e.GetProperty("missMedianM").GetDouble(), 12);
        Assert.Equal(6000, e.GetProperty("costPerKillUsd").GetDouble());
        foreach (string key in new[] { "missP90M", "cepM" }) Assert.True(e.GetProperty(key).GetDouble() > 0);
    }

    [Fact]
    public void Runs_csv_round_trips_exactly()
    {
        var runs = new List<RunRecord> { RunRecord.Create("a", "zem", 0, ulong.MaxValue, 0.123456789, 12.3456789, 45.6789, "closest-approach"), Rec(1, 3.14159) };
        using var dir = new CliHarness.TempDir();
        string path = dir.File("runs.csv");
        File.WriteAllText(path, RunsCsv.Format(runs));
        var back = RunsCsv.Read(path);
        Assert.Equal(runs, back);
        Assert.Equal(0.1235, back[0].MissM);
        Assert.StartsWith(RunRecord.CsvHeader + "\na,zem,0,18446744073709551615,0.1235,12.3457,45.679,closest-approach\n", File.ReadAllText(path));
    }

    [Fact]
    public void Run_records_refuse_non_finite_values()
    {
        Assert.Throws<ValidationException>(() => RunRecord.Create("a", "zem", 0, 0, double.NaN, 1, 1, "x"));
        Assert.Throws<ValidationException>(() => RunRecord.Create("a", "zem", 0, 0, 1, double.PositiveInfinity, 1, "x"));
    }

    [Fact]
    public void Nice_ticks_are_1_2_5_steps()
    {
        Assert.Equal([0, 2, 4, 6, 8, 10], SvgPlot.NiceTicks(0, 10, 5));
        Assert.Equal([-500, 0, 500, 1000, 1500], SvgPlot.NiceTicks(-730, 1610, 4));
    }

    [Fact]
    public void Svg_plot_escapes_text_and_never_prints_nan()
    {
        var p = new SvgPlot { Id = "t", Title = "a<b & \"c\"", XLabel = "x", YLabel = "y" };
        p.Series.Add(new PlotSeries("s", "#000", [(0, 0), (double.NaN, 1), (1, 1)]));
        string svg = p.Render();
        Assert.Contains("a&lt;b &amp; &quot;c&quot;", svg);
        Assert.DoesNotContain("NaN", svg);
        Assert.DoesNotContain("Infinity", svg);
    }
}
