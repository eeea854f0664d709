using System.CommandLine;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Interceptor.Core;
using Interceptor.Sim;
using Interceptor.Sim.VirtualAutopilot;

namespace Interceptor.Cli;

/// <summary>`interceptor virtual-autopilot`: the built-in virtual autopilot as its own process.</summary>
public static class VirtualAutopilotCommands
{
    public static Command Build()
    {
        var persona = new Option<string>("--persona") { Description = "px4 (UDP 14580 -> 14540, latches onto the first sender) or ardupilot (TCP server 5760)", Required = true };
        var port = new Option<string?>("--port") { Description = "px4: local UDP port (default 14580); ardupilot: TCP port (default 5760)" };
        var speedup = new Option<string?>("--speedup") { Description = "Simulated seconds per wall second (default 1)" };
        var bind = new Option<string?>("--bind") { Description = "Address to bind (default 127.0.0.1)" };
        var remote = new Option<string?>("--remote") { Description = "px4: where to send until a client speaks (default 127.0.0.1:14540)" };
        var udpOut = new Option<string?>("--udp-out") { Description = "ardupilot: also stream to this UDP host:port (e.g. 127.0.0.1:14550)" };
        var vehicle = new Option<string?>("--vehicle") { Description = $"Airframe preset: {string.Join(", ", MultirotorPresets.Names)} (default x500)" };
        var seconds = new Option<string?>("--seconds") { Description = "Stop after N wall seconds (default: until Ctrl+C)" };
        var cmd = new Command("virtual-autopilot", "Run the built-in virtual autopilot (PX4 or ArduCopter persona) on loopback sockets");
        foreach (var o in new Option[] { persona, port, speedup, bind, remote, udpOut, vehicle, seconds }) cmd.Options.Add(o);
        cmd.SetAction(async (pr, ct) =>
        {
            var output = pr.InvocationConfiguration.Output;
            var error = pr.InvocationConfiguration.Error;
            try
            {
                var p = ParsePersona(pr.GetValue(persona)!);
                int? portValue = ParseInt(pr.GetValue(port), "--port", 0, 65535);
                double speed = ParseDouble(pr.GetValue(speedup), "--speedup", 1.0, 1e-3, 10000);
                double? secs = pr.GetValue(seconds) is { } s ? ParseDouble(s, "--seconds", 0, 1e-3, 1e7) : null;
                var address = pr.GetValue(bind) is { } b ? ParseAddress(b, "--bind") : IPAddress.Loopback;
                var ep = VirtualAutopilotEndpoints.For(p, portValue) with { BindAddress = address };
                if (pr.GetValue(remote) is { } r) ep = ep with { Px4InitialRemote = ParseEndPoint(r, "--remote") };
                if (pr.GetValue(udpOut) is { } u) ep = ep with { ArduUdpOut = ParseEndPoint(u, "--udp-out") };
                var options = new VirtualAutopilotOptions { Persona = p, VehiclePreset = pr.GetValue(vehicle) ?? MultirotorPresets.X500 };
                options.Validate();

                await using var server = new VirtualAutopilotServer(options, ep);
                output.WriteLine(p == VapPersona.Px4
                    ? string.Create(CultureInfo.InvariantCulture, $"virtual PX4 (sysid 1, compid 1) on udp {server.LocalEndPoint}, sending to {ep.Px4InitialRemote} until a client speaks; speed-up {speed:0.###}x")
                    : string.Create(CultureInfo.InvariantCulture, $"virtual ArduCopter (sysid 1, compid 1) listening on tcp {server.LocalEndPoint}; simulation starts when the first client connects; speed-up {speed:0.###}x"));
                using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
                if (secs is { } limit) cts.CancelAfter(TimeSpan.FromSeconds(limit));
                try { await server.RunAsync(speed, cancellationToken: cts.Token).ConfigureAwait(false); }
                catch (OperationCanceledException) { }
                var ap = server.Autopilot;
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"stopped at {ap.TimeS:0.###} s simulated: mode {ap.ModeName}, {(ap.Armed ? "armed" : "disarmed")}, {server.FramesSent} frames sent, {ap.FramesReceived} received"));
                return ExitCodes.Ok;
            }
            catch (ValidationException e) { error.WriteLine(e.Message); return ExitCodes.BadInput; }
            catch (SocketException e) { error.WriteLine($"virtual-autopilot: cannot open the socket: {e.Message}"); return ExitCodes.BadInput; }
        });
        return cmd;
    }

    private static VapPersona ParsePersona(string s) => s.Trim().ToLowerInvariant() switch
    {
        "px4" => VapPersona.Px4,
        "ardupilot" or "arducopter" => VapPersona.ArduPilot,
        _ => throw new ValidationException($"--persona = '{s}': must be px4 or ardupilot"),
    };

    private static int? ParseInt(string? s, string name, int min, int max)
    {
        if (s is null) return null;
        if (!int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out int v) || v < min || v > max)
            throw new ValidationException($"{name} = '{s}': must be an integer in [{min}, {max}]");
        return v;
    }

    private static double ParseDouble(string? s, string name, double fallback, double min, double max)
    {
        if (s is null) return fallback;
        if (!double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) || !double.IsFinite(v) || v < min || v > max)
            throw new ValidationException($"{name} = '{s}': must be a number in [{min.ToString(CultureInfo.InvariantCulture)}, {max.ToString(CultureInfo.InvariantCulture)}]");
        return v;
    }

    private static IPAddress ParseAddress(string s, string name) =>
        IPAddress.TryParse(s, out var a) && a.AddressFamily == AddressFamily.InterNetwork ? a
            : throw new ValidationException($"{name} = '{s}': must be an IPv4 address");

    private static IPEndPoint ParseEndPoint(string s, string name) =>
        IPEndPoint.TryParse(s, out var e) && e.Port > 0 && e.AddressFamily == AddressFamily.InterNetwork ? e
            : throw new ValidationException($"{name} = '{s}': must be an IPv4 host:port");
}
