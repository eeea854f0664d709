using System.CommandLine;
using System.Globalization;
using Interceptor.Autopilot;
using Interceptor.Core;
using Interceptor.Mavlink.Transports;
using Interceptor.Sim;
using Interceptor.Sim.ClosedLoop;
using Interceptor.Sim.Scenarios;

namespace Interceptor.Cli;

/// <summary>`interceptor sitl`: the closed loop against an external PX4 SITL, ArduPilot SITL or vehicle, in real time.
/// See src/Interceptor.Autopilot/README.md for the SITL start commands.</summary>
public static class SitlCommands
{
    public static Command Build()
    {
        var autopilotOpt = new Option<string>("--autopilot") { Description = "px4 or ardupilot", Required = true };
        var connectOpt = new Option<string?>("--connect") { Description = "MAVLink URL (default: px4 udp://:14540, ardupilot tcp://127.0.0.1:5760)" };
        var scenarioOpt = new Option<string>("--scenario") { Description = "Scenario YAML file (the target and seeker we simulate)", Required = true };
        var seedOpt = new Option<string?>("--seed") { Description = "Random seed of the run (default 1)" };
        var lawOpt = new Option<string?>("--law") { Description = "Guidance law (default: the scenario's)" };
        var formOpt = new Option<string?>("--form") { Description = "Setpoint form: velocity-accel, accel or attitude (default: per autopilot)" };
        var altOpt = new Option<string?>("--altitude") { Description = "Take-off height in metres (default: the scenario's start height)" };
        var outOpt = new Option<string?>("--out") { Description = "Folder for the tlog and the report (default out/sitl)" };
        var landOpt = new Option<bool>("--land") { Description = "Land after the engagement (default: hold)" };
        var deadlineOpt = new Option<string?>("--deadline") { Description = "Guidance deadline in seconds: older output stops the stream and commands hold (default 0.2)" };
        var cmd = new Command("sitl", "Fly the whole stack against PX4 SITL or ArduPilot SITL in real time: take off, intercept a simulated target, hold; writes a tlog and a report");
        foreach (var opt in new Option[] { autopilotOpt, connectOpt, scenarioOpt, seedOpt, lawOpt, formOpt, altOpt, outOpt, landOpt, deadlineOpt }) cmd.Options.Add(opt);
        cmd.SetAction(pr =>
        {
            var o = pr.InvocationConfiguration.Output;
            var e = pr.InvocationConfiguration.Error;
            try
            {
                var kind = ParseAutopilot(pr.GetValue(autopilotOpt));
                string url = pr.GetValue(connectOpt) ?? SitlRunner.DefaultUrl(kind);
                if (!MavlinkUrl.TryParse(url, out _, out string urlError)) throw new ValidationException($"--connect = '{url}': {urlError}");
                var scenario = ScenarioLoader.Load(SimCommands.ResolveScenario(pr.GetValue(scenarioOpt)));
                ulong seed = 1;
                if (pr.GetValue(seedOpt) is { } s && !ulong.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out seed))
                    throw new ValidationException($"--seed = '{s}': must be a whole number");
                double? altitude = null;
                if (pr.GetValue(altOpt) is { } a)
                {
                    if (!double.TryParse(a, NumberStyles.Float, CultureInfo.InvariantCulture, out double alt) || !(alt >= 1 && alt <= 500))
                        throw new ValidationException($"--altitude = '{a}': must be a number of metres in [1, 500]");
                    altitude = alt;
                }
                double deadline = 0.2;
                if (pr.GetValue(deadlineOpt) is { } d
                    && (!double.TryParse(d, NumberStyles.Float, CultureInfo.InvariantCulture, out deadline) || !(deadline >= 0.02 && deadline <= 1.0)))
                    throw new ValidationException($"--deadline = '{d}': must be a number of seconds in [0.02, 1]");
                string outDir = pr.GetValue(outOpt) ?? Path.Combine("out", "sitl");
                Directory.CreateDirectory(outDir);
                string stem = $"sitl-{kind.ToString().ToLowerInvariant()}-{scenario.Name}";
                string tlog = Path.Combine(outDir, stem + ".tlog");
                var options = new ClosedLoopOptions
                {
                    Law = pr.GetValue(lawOpt) ?? "default",
                    Form = ParseForm(pr.GetValue(formOpt)),
                    TakeoffAltitudeM = altitude,
                    MaxTakeoffAltitudeM = Math.Max(120, altitude ?? 0),
                    TlogPath = tlog,
                    RecordTrajectory = true,
                    Session = new VehicleSessionOptions { GuidanceDeadlineS = deadline },
                };
                using var cts = new CancellationTokenSource();
                Console.CancelKeyPress += (_, args) => { args.Cancel = true; cts.Cancel(); };
                ClosedLoopResult result;
                try
                {
                    result = SitlRunner.RunAsync(scenario.Spec, kind, url, seed, options, pr.GetValue(landOpt), o, cts.Token).GetAwaiter().GetResult();
                }
                catch (OperationCanceledException)
                {
                    e.WriteLine("cancelled: the vehicle keeps whatever the autopilot's own failsafe does (setpoints stopped)");
                    return ExitCodes.ThresholdFailed;
                }
                string report = result.ToReport();
                string reportPath = Path.Combine(outDir, stem + ".txt");
                File.WriteAllText(reportPath, report);
                o.Write(report);
                o.WriteLine($"report: {Path.GetFullPath(reportPath)}");
                if (!result.SetupOk) return ExitCodes.ThresholdFailed;
                bool kill = result.Engagement.Outcome == EngagementOutcome.ClosestApproach && result.Engagement.MissDistanceM <= scenario.KillRadiusM;
                return kill ? ExitCodes.Ok : ExitCodes.ThresholdFailed;
            }
            catch (Exception ex) when (ex is ValidationException or ScenarioFileException or MavlinkUrlException)
            {
                e.WriteLine($"error: {ex.Message}");
                return ExitCodes.BadInput;
            }
        });
        return cmd;
    }

    private static AutopilotKind ParseAutopilot(string? text) => text?.Trim().ToLowerInvariant() switch
    {
        "px4" => AutopilotKind.Px4,
        "ardupilot" or "arducopter" => AutopilotKind.ArduPilot,
        _ => throw new ValidationException($"--autopilot = '{text}': must be px4 or ardupilot"),
    };

    private static SetpointForm? ParseForm(string? text) => text?.Trim().ToLowerInvariant() switch
    {
        null or "" or "default" => null,
        "velocity-accel" => SetpointForm.VelocityAcceleration,
        "accel" => SetpointForm.Acceleration,
        "attitude" => SetpointForm.AttitudeThrust,
        _ => throw new ValidationException($"--form = '{text}': must be velocity-accel, accel or attitude"),
    };
}
