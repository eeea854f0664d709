using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Interceptor.Autopilot;
using Interceptor.Core;
using Interceptor.Guidance;
using Interceptor.Sim;
using Interceptor.Sim.Campaign;
using Interceptor.Sim.ClosedLoop;
using Interceptor.Sim.Reports;
using Interceptor.Sim.Scenarios;

namespace Interceptor.Cli;

/// <summary>`interceptor sim`, `interceptor campaign`, `interceptor campaign merge`, `interceptor laws`.</summary>
public static class SimCommands
{
    /// <summary>Scenario flown by `interceptor sim` without arguments, relative to the repository root.</summary>
    public const string DefaultScenario = "sim/suites/standard/shahed-weave.yaml";

    public static IEnumerable<Command> All()
    {
        yield return Sim();
        yield return Campaign();
        yield return Laws();
    }

    // ---------------------------------------------------------------- sim
    public static Command Sim()
    {
        var scenarioArg = new Argument<string?>("scenario") { Description = $"Scenario YAML file (default: {DefaultScenario})", Arity = ArgumentArity.ZeroOrOne };
        var lawOpt = new Option<string?>("--law") { Description = $"Guidance law (default: the scenario's guidance.law; 'interceptor laws' lists them)" };
        var seedOpt = new Option<string?>("--seed") { Description = "Random seed of the run (default 1)" };
        var outOpt = new Option<string?>("--out") { Description = "Folder for report.html and trajectory.csv (default out/sim)" };
        var nominalOpt = new Option<bool>("--nominal") { Description = "Fly the nominal geometry (no dispersions)" };
        var autopilotOpt = AutopilotOption();
        var cmd = new Command("sim", "Fly one simulated engagement, narrate it and write an HTML report");
        cmd.Arguments.Add(scenarioArg);
        cmd.Options.Add(autopilotOpt);
        cmd.Options.Add(lawOpt);
        cmd.Options.Add(seedOpt);
        cmd.Options.Add(outOpt);
        cmd.Options.Add(nominalOpt);
        cmd.SetAction(pr => Guarded(pr, (o, e) =>
        {
            string path = ResolveScenario(pr.GetValue(scenarioArg));
            var scenario = ScenarioLoader.Load(path);
            string law = pr.GetValue(lawOpt) is { Length: > 0 } l ? CheckLaw(l) : "default";
            if (law == "default") law = scenario.Spec.Guidance.Law;
            if (law.Equals("default", StringComparison.OrdinalIgnoreCase)) law = GuidanceLaws.DefaultName;
            ulong seed = ParseSeed(pr.GetValue(seedOpt), 1);
            var autopilot = ParseAutopilot(pr.GetValue(autopilotOpt));
            string outDir = pr.GetValue(outOpt) ?? Path.Combine("out", "sim");
            bool nominal = pr.GetValue(nominalOpt);
            var ic = CultureInfo.InvariantCulture;
            o.WriteLine(string.Create(ic, $"scenario {scenario.Name}: {scenario.Spec.Description}"));
            o.WriteLine(string.Create(ic, $"  file {path}, law {law}, seed {seed}{(nominal ? ", nominal geometry" : "")}"));
            o.WriteLine("  " + FlownBy(autopilot));

            EngagementResult result;
            ClosedLoopResult? loop = null;
            List<SimEvent> events;
            if (autopilot is { } kind)
            {
                loop = ClosedLoopRunner.Run(scenario.Spec, kind, seed, new ClosedLoopOptions
                {
                    Law = law,
                    ApplyDispersions = !nominal,
                    RecordTrajectory = true,
                    TrajectoryIntervalS = 0.05,
                });
                result = loop.Engagement;
                events = ClosedLoopNarration(loop);
                events.AddRange(SimReport.Narrate(scenario.Spec, result));
            }
            else
            {
                result = EngagementRunner.Run(scenario.Spec, law, seed, new RunOptions
                {
                    RecordTrajectory = true,
                    TrajectoryIntervalS = 0.05,
                    ApplyDispersions = !nominal,
                });
                events = SimReport.Narrate(scenario.Spec, result);
            }
            foreach (var ev in events) o.WriteLine(string.Create(ic, $"  t = {ev.TimeS,7:0.00} s  {ev.Text}"));
            bool kill = result.Outcome == EngagementOutcome.ClosestApproach && result.MissDistanceM <= scenario.KillRadiusM;
            if (loop is { SetupOk: false })
                o.WriteLine($"result: MISS - the {PersonaName(loop.Autopilot)} set-up failed before the engagement: {loop.SetupError}");
            else
                o.WriteLine(string.Create(ic, $"result: {(kill ? "KILL" : "MISS")} - miss {result.MissDistanceM:0.000} m (kill radius {scenario.KillRadiusM:0.0#} m) at t = {result.TimeOfClosestApproachS:0.00} s, peak acceleration {result.PeakAccelMs2 / Wgs84.GravityMs2:0.0} g, law {result.Law}{(loop is null ? "" : ", autopilot " + PersonaName(loop.Autopilot))}"));
            if (loop is not null)
                o.WriteLine(string.Create(ic, $"autopilot: {PersonaName(loop.Autopilot)} ({loop.Form} setpoints), {loop.SetpointsSent} setpoints sent, {loop.AutopilotRejectedSetpoints} refused, final mode {loop.FinalMode} {(loop.FinalArmed ? "armed" : "disarmed")}; simulated {loop.SimulatedS:0.0} s in {loop.WallS:0.00} s wall"));
            Directory.CreateDirectory(outDir);
            string report = Path.Combine(outDir, "report.html");
            string html = SimReport.Render(scenario, result, events);
            File.WriteAllText(report, loop is null ? html : WithAutopilotRow(html, loop));
            var trace = TrajectoryTrace.FromResult(scenario.Name, result.Law, 0, result.Trajectory);
            File.WriteAllText(Path.Combine(outDir, "trajectory.csv"), TrajectoriesCsv.Format([trace]));
            if (loop is not null) File.WriteAllText(Path.Combine(outDir, ClosedLoopReportFile), loop.ToReport());
            o.WriteLine($"report: {Path.GetFullPath(report)}");
            return ExitCodes.Ok;
        }));
        return cmd;
    }

    // ---------------------------------------------------------------- campaign
    public static Command Campaign()
    {
        var inputsArg = new Argument<string[]>("inputs") { Description = "Suite folders (every *.yaml in it) and/or scenario files", Arity = ArgumentArity.OneOrMore };
        var runsOpt = new Option<string?>("--runs") { Description = "Monte-Carlo runs per scenario and law (default 100)" };
        var seedOpt = new Option<string?>("--seed") { Description = "Base seed (default 1); run i of scenario s uses a seed derived from (seed, s, i)" };
        var lawOpt = new Option<string?>("--law") { Description = $"Law name, comma-separated list, or 'all' (default {GuidanceLaws.DefaultName})" };
        var shardOpt = new Option<string?>("--shard") { Description = "Run only shard i of N (i/N, numbered from 0); combine the folders with 'campaign merge'" };
        var outOpt = new Option<string?>("--out") { Description = "Results folder (default out/campaign)" };
        var baselineOpt = new Option<string?>("--baseline") { Description = "Regression thresholds (YAML); exit 1 when one fails" };
        var threadsOpt = new Option<string?>("--threads") { Description = "Worker threads (default: all cores)" };
        var trajOpt = new Option<string?>("--trajectories") { Description = "Runs per scenario and law whose trajectories are kept for the report (default 3)" };
        var quietOpt = new Option<bool>("--quiet") { Description = "No progress bar" };
        var autopilotOpt = AutopilotOption();
        var cmd = new Command("campaign", "Monte-Carlo campaign over scenarios and guidance laws: runs.csv, summary.json, report.html");
        cmd.Arguments.Add(inputsArg);
        foreach (var opt in new Option[] { runsOpt, seedOpt, lawOpt, autopilotOpt, shardOpt, outOpt, baselineOpt, threadsOpt, trajOpt, quietOpt }) cmd.Options.Add(opt);
        cmd.SetAction(pr => Guarded(pr, (o, e) =>
        {
            int runs = ParseInt(pr.GetValue(runsOpt), "--runs", 100, 1, 10_000_000);
            ulong seed = ParseSeed(pr.GetValue(seedOpt), 1);
            var laws = ParseLaws(pr.GetValue(lawOpt));
            var autopilot = ParseAutopilot(pr.GetValue(autopilotOpt));
            var shard = pr.GetValue(shardOpt) is { } sh ? ShardSpec.Parse(sh) : ShardSpec.All;
            int threads = ParseInt(pr.GetValue(threadsOpt), "--threads", 0, 0, 1024);
            int traj = ParseInt(pr.GetValue(trajOpt), "--trajectories", 3, 0, 100);
            string outDir = pr.GetValue(outOpt) ?? Path.Combine("out", "campaign");
            var baseline = pr.GetValue(baselineOpt) is { } bf ? Baseline.Load(bf) : null;
            var scenarios = ScenarioLoader.LoadMany(pr.GetValue(inputsArg) ?? []);
            var options = new CampaignOptions(runs, seed, laws, shard, threads, traj) { Autopilot = autopilot };
            var plan = CampaignRunner.Plan(scenarios, options);
            var ic = CultureInfo.InvariantCulture;
            o.WriteLine(string.Create(ic, $"campaign: {scenarios.Count} scenario(s) x {laws.Count} law(s) ({string.Join(", ", laws)}) x {runs} runs = {plan.TotalJobs} runs, seed {seed}{(shard.IsAll ? "" : $", shard {shard}")}"));
            o.WriteLine("  " + FlownBy(autopilot));
            var progress = pr.GetValue(quietOpt) ? null : new ProgressBar(e);
            var sw = Stopwatch.StartNew();
            var result = CampaignRunner.Run(scenarios, options, progress is null ? null : progress.Report);
            progress?.Finish(sw.Elapsed);
            var summaries = CampaignResults.Write(outDir, result);
            o.WriteLine(string.Create(ic, $"{result.Records.Count} runs in {sw.Elapsed.TotalSeconds:0.0} s"));
            return Conclude(o, e, outDir, summaries, baseline, shard);
        }));

        var dirsArg = new Argument<string[]>("shards") { Description = "Results folders of every shard of one campaign", Arity = ArgumentArity.OneOrMore };
        var mergeOut = new Option<string?>("--out") { Description = "Merged results folder (default out/campaign)" };
        var mergeBaseline = new Option<string?>("--baseline") { Description = "Regression thresholds (YAML); exit 1 when one fails" };
        var merge = new Command("merge", "Combine the results folders of all shards into what an unsharded campaign writes");
        merge.Arguments.Add(dirsArg);
        merge.Options.Add(mergeOut);
        merge.Options.Add(mergeBaseline);
        merge.SetAction(pr => Guarded(pr, (o, e) =>
        {
            var baseline = pr.GetValue(mergeBaseline) is { } bf ? Baseline.Load(bf) : null;
            var result = CampaignResults.Merge(pr.GetValue(dirsArg) ?? []);
            string outDir = pr.GetValue(mergeOut) ?? Path.Combine("out", "campaign");
            var summaries = CampaignResults.Write(outDir, result);
            o.WriteLine(string.Create(CultureInfo.InvariantCulture, $"merged {(pr.GetValue(dirsArg) ?? []).Length} shard folder(s): {result.Records.Count} runs"));
            return Conclude(o, e, outDir, summaries, baseline, ShardSpec.All);
        }));
        cmd.Subcommands.Add(merge);
        return cmd;
    }

    private static int Conclude(TextWriter o, TextWriter e, string outDir, List<ScenarioSummary> summaries, Baseline? baseline, ShardSpec shard)
    {
        foreach (var s in summaries) o.WriteLine(CampaignSummary.Describe(s));
        o.WriteLine($"results: {Path.GetFullPath(outDir)} (runs.csv, summary.json, report.html)");
        if (baseline is null) return ExitCodes.Ok;
        if (!shard.IsAll)
        {
            o.WriteLine($"baseline: not checked on a single shard; check it on 'campaign merge --baseline {baseline.Path}'");
            return ExitCodes.Ok;
        }
        var verdicts = baseline.Evaluate(summaries);
        if (verdicts.All(v => v.Skipped))
        {
            e.WriteLine($"error: {baseline.Path}: none of its checks matches a scenario/law of this campaign");
            return ExitCodes.BadInput;
        }
        int failed = 0;
        foreach (var v in verdicts)
        {
            (v.Passed ? o : e).WriteLine((v.Skipped ? "  skip " : v.Passed ? "  ok   " : "  FAIL ") + v.Message);
            if (!v.Passed) failed++;
        }
        o.WriteLine(string.Create(CultureInfo.InvariantCulture, $"baseline {baseline.Path}: {verdicts.Count(v => !v.Skipped) - failed} passed, {failed} failed, {verdicts.Count(v => v.Skipped)} skipped"));
        return failed > 0 ? ExitCodes.ThresholdFailed : ExitCodes.Ok;
    }

    // ---------------------------------------------------------------- laws
    public static Command Laws()
    {
        var cmd = new Command("laws", "List the guidance laws");
        cmd.SetAction(pr => Guarded(pr, (o, e) =>
        {
            foreach (string name in GuidanceLaws.Names)
                o.WriteLine($"{name,-10}{(name == GuidanceLaws.DefaultName ? " (default)" : "          ")}  {GuidanceLaws.Describe(name)}");
            return ExitCodes.Ok;
        }));
        return cmd;
    }

    // ---------------------------------------------------------------- closed loop
    /// <summary>Plain-text closed-loop report written next to report.html by `sim --autopilot`.</summary>
    public const string ClosedLoopReportFile = "closed-loop.txt";

    private static Option<string?> AutopilotOption() => new("--autopilot")
    {
        Description = "none (default: the pure simulator) | px4 | ardupilot: fly the whole stack (estimation, guidance, "
            + "autopilot session, MAVLink over loopback) against the built-in virtual autopilot of that persona",
    };

    private static AutopilotKind? ParseAutopilot(string? text) =>
        text is null ? null : CampaignRunner.ParseAutopilot(text, "--autopilot");

    private static string PersonaName(AutopilotKind kind) => kind switch
    {
        AutopilotKind.Px4 => "PX4",
        AutopilotKind.ArduPilot => "ArduPilot (ArduCopter)",
        _ => kind.ToString(),
    };

    private static string FlownBy(AutopilotKind? kind) => kind is { } k
        ? $"autopilot: {PersonaName(k)} persona of the virtual autopilot, closed loop over loopback MAVLink (lockstep)"
        : "autopilot: none (pure simulator: guidance drives the airframe model directly)";

    /// <summary>The autopilot side of a closed-loop run as narration: the session's events (connect, arm,
    /// take-off, external control ...) on the engagement clock (negative = before guidance took over).</summary>
    private static List<SimEvent> ClosedLoopNarration(ClosedLoopResult loop)
    {
        double t0 = double.IsFinite(loop.EngagementStartS) ? loop.EngagementStartS : loop.SimulatedS;
        var list = new List<SimEvent>();
        foreach (var ev in loop.Events)
            if (ev.TimeS <= t0) list.Add(new SimEvent(ev.TimeS - t0, $"{PersonaName(loop.Autopilot)}: {ev.Kind}: {ev.Message}"));
        list.Add(loop.SetupOk
            ? new SimEvent(0, $"{PersonaName(loop.Autopilot)} in external control ({loop.Form} setpoints): guidance takes over")
            : new SimEvent(0, $"{PersonaName(loop.Autopilot)} set-up FAILED: {loop.SetupError}"));
        return list;
    }

    /// <summary>Adds an "Autopilot" row at the top of the sim report's summary table.</summary>
    private static string WithAutopilotRow(string html, ClosedLoopResult loop)
    {
        const string table = "<table class=\"kv\">\n";
        int i = html.IndexOf(table, StringComparison.Ordinal);
        if (i < 0) return html;
        string state = loop.SetupOk ? $"final mode {loop.FinalMode}" : $"set-up failed: {loop.SetupError}";
        string value = System.Net.WebUtility.HtmlEncode(string.Create(CultureInfo.InvariantCulture,
            $"{PersonaName(loop.Autopilot)} persona of the virtual autopilot over loopback MAVLink ({loop.Form} setpoints, {loop.SetpointsSent} sent); {state}"));
        return html.Insert(i + table.Length, $"<tr><td>Autopilot</td><td>{value}</td></tr>\n");
    }

    // ---------------------------------------------------------------- helpers
    private static int Guarded(ParseResult pr, Func<TextWriter, TextWriter, int> body)
    {
        var o = pr.InvocationConfiguration.Output;
        var e = pr.InvocationConfiguration.Error;
        try
        {
            return body(o, e);
        }
        catch (Exception ex) when (ex is ValidationException or ScenarioFileException)
        {
            e.WriteLine($"error: {ex.Message}");
            return ExitCodes.BadInput;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            e.WriteLine($"error: {ex.Message}");
            return ExitCodes.BadInput;
        }
        catch (AggregateException ex) when (ex.InnerExceptions.All(i => i is ValidationException))
        {
            e.WriteLine($"error: {ex.InnerExceptions[0].Message}");
            return ExitCodes.BadInput;
        }
    }

    /// <summary>Finds a scenario path: as given (relative to the working directory), else relative to the
    /// repository root found above the working directory or the executable.</summary>
    public static string ResolveScenario(string? given)
    {
        string rel = given ?? DefaultScenario;
        if (File.Exists(rel) || Directory.Exists(rel) || Path.IsPathRooted(rel)) return rel;
        foreach (string start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                string candidate = Path.Combine(dir.FullName, rel);
                if (File.Exists(candidate)) return candidate;
            }
        }
        return rel; // the loader reports "no such file" with the path the user gave
    }

    private static string CheckLaw(string law) =>
        law.Equals("default", StringComparison.OrdinalIgnoreCase) || GuidanceLaws.IsKnown(law)
            ? law.Trim().ToLowerInvariant()
            : throw new ValidationException($"--law = '{law}': unknown law; valid names: {string.Join(", ", GuidanceLaws.Names)}, all");

    private static List<string> ParseLaws(string? text)
    {
        if (text is null or "" or "default") return [GuidanceLaws.DefaultName];
        if (text.Equals("all", StringComparison.OrdinalIgnoreCase)) return GuidanceLaws.Names.ToList();
        var laws = new List<string>();
        foreach (string part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            string l = CheckLaw(part);
            if (l == "default") l = GuidanceLaws.DefaultName;
            if (!laws.Contains(l)) laws.Add(l);
        }
        if (laws.Count == 0) throw new ValidationException($"--law = '{text}': no law named");
        return laws;
    }

    private static int ParseInt(string? text, string option, int defaultValue, int min, int max)
    {
        if (text is null) return defaultValue;
        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int v) || v < min || v > max)
            throw new ValidationException(string.Create(CultureInfo.InvariantCulture, $"{option} = '{text}': must be a whole number in [{min}, {max}]"));
        return v;
    }

    private static ulong ParseSeed(string? text, ulong defaultValue)
    {
        if (text is null) return defaultValue;
        if (!ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out ulong v))
            throw new ValidationException($"--seed = '{text}': must be a whole number in [0, {ulong.MaxValue}]");
        return v;
    }

    /// <summary>Plain-text progress bar on stderr: redrawn in place on a terminal, a line per 10 % otherwise.</summary>
    private sealed class ProgressBar(TextWriter error)
    {
        private readonly Stopwatch _sw = Stopwatch.StartNew();
        private readonly bool _interactive = ReferenceEquals(error, Console.Error) && !Console.IsErrorRedirected;
        private readonly object _gate = new();
        private long _lastDrawMs = -1000;
        private int _lastDecile = -1;

        public void Report(int done, int total)
        {
            lock (_gate)
            {
                long ms = _sw.ElapsedMilliseconds;
                if (_interactive)
                {
                    if (done != total && ms - _lastDrawMs < 100) return;
                    _lastDrawMs = ms;
                    const int width = 30;
                    int filled = total == 0 ? width : (int)((long)done * width / total);
                    double rate = done / Math.Max(1e-3, ms / 1000.0);
                    double eta = rate > 0 ? (total - done) / rate : 0;
                    error.Write(string.Create(CultureInfo.InvariantCulture,
                        $"\r[{new string('#', filled)}{new string('.', width - filled)}] {done}/{total} runs {100.0 * done / Math.Max(1, total),5:0.0}%  {rate:0} runs/s  eta {eta:0}s   "));
                }
                else
                {
                    int decile = total == 0 ? 10 : (int)((long)done * 10 / total);
                    if (decile == _lastDecile) return;
                    _lastDecile = decile;
                    error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"progress: {done}/{total} runs ({decile * 10}%) {ms / 1000.0:0.0} s"));
                }
            }
        }

        public void Finish(TimeSpan elapsed)
        {
            if (_interactive) error.WriteLine();
        }
    }
}
