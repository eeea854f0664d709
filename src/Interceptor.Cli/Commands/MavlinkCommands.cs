using System.CommandLine;
using System.Globalization;
using System.Net.Sockets;
using System.Text.Json;
using Interceptor.Mavlink;
using Interceptor.Mavlink.Tlog;
using Interceptor.Mavlink.Transports;

namespace Interceptor.Cli;

/// <summary>`interceptor mavlink inspect` and `interceptor mavlink record`.</summary>
public static class MavlinkCommands
{
    /// <summary>Listening time of `inspect` on a URL when --seconds is not given.</summary>
    public const double DefaultLiveSeconds = 10;

    public static Command Build()
    {
        var cmd = new Command("mavlink", "MAVLink tools: inspect captures or live links, record telemetry logs");
        cmd.Subcommands.Add(Inspect());
        cmd.Subcommands.Add(Record());
        return cmd;
    }

    private static Command Inspect()
    {
        var input = new Argument<string>("input") { Description = "A .tlog, a capture file (datagram records, .chunks, raw stream) or a URL (udp://:14550, udpout://host:port, tcp://host:port, serial:///dev/ttyACM0:921600)" };
        var json = new Option<bool>("--json") { Description = "Print the report as JSON" };
        var seconds = new Option<string?>("--seconds") { Description = $"Files: only the first N seconds; URLs: listen N seconds (default {DefaultLiveSeconds})" };
        var cmd = new Command("inspect", "Message counts, rates, sources, CRC errors and sequence losses of a capture or a live link");
        cmd.Arguments.Add(input);
        cmd.Options.Add(json);
        cmd.Options.Add(seconds);
        cmd.SetAction(async (pr, ct) => await Guarded(pr, async (o, e) =>
        {
            string source = pr.GetValue(input)!;
            double? secs = ParseSeconds(pr.GetValue(seconds));
            TrafficReport report;
            if (source.Contains("://", StringComparison.Ordinal))
                report = await InspectLiveAsync(MavlinkUrl.Parse(source), secs ?? DefaultLiveSeconds, ct).ConfigureAwait(false);
            else
            {
                if (!File.Exists(source)) throw new FileNotFoundException($"{source}: file not found", source);
                report = CaptureInspector.Inspect(source, secs);
            }
            if (pr.GetValue(json)) WriteJson(o, report); else WriteText(o, report);
            return ExitCodes.Ok;
        }).ConfigureAwait(false));
        return cmd;
    }

    private static Command Record()
    {
        var url = new Argument<string>("url") { Description = "Link to record (udp://:14550, udpout://host:port, tcp://host:port, serial:///dev/ttyACM0:921600)" };
        var file = new Argument<string>("file") { Description = "Output .tlog (overwritten)" };
        var seconds = new Option<string?>("--seconds") { Description = "Stop after N seconds (default: until Ctrl+C)" };
        var cmd = new Command("record", "Record every frame of a link with its receive time as a standard .tlog");
        cmd.Arguments.Add(url);
        cmd.Arguments.Add(file);
        cmd.Options.Add(seconds);
        cmd.SetAction(async (pr, ct) => await Guarded(pr, async (o, e) =>
        {
            var u = MavlinkUrl.Parse(pr.GetValue(url)!);
            string path = pr.GetValue(file)!;
            double? secs = ParseSeconds(pr.GetValue(seconds));
            string? dir = Path.GetDirectoryName(Path.GetFullPath(path));
            if (dir is not null && !Directory.Exists(dir)) throw new DirectoryNotFoundException($"{path}: folder {dir} does not exist");
            using var writer = TlogWriter.Create(path);
            await using var link = new MavlinkLink(await MavlinkTransport.OpenAsync(u, cancellationToken: ct).ConfigureAwait(false),
                options: new MavlinkLinkOptions { Recorder = writer }).Start();
            o.WriteLine(string.Create(CultureInfo.InvariantCulture, $"recording {u} to {path}{(secs is { } limit ? $" for {limit:0.###} s" : " until Ctrl+C")}"));
            try
            {
                if (secs is { } s) await Task.WhenAny(Task.Delay(TimeSpan.FromSeconds(s), ct), link.Completion).ConfigureAwait(false);
                else await Task.WhenAny(Task.Delay(Timeout.Infinite, ct), link.Completion).ConfigureAwait(false);
            }
            catch (OperationCanceledException) { }
            if (link.Fault is { } fault) throw new IOException($"{u}: {fault.Message}", fault);
            writer.Flush();
            o.WriteLine($"{writer.FramesWritten} frames, {writer.BytesWritten} bytes written to {path}; " +
                $"{link.Parser.CrcErrors} CRC errors, {link.Parser.LostFrames} lost by sequence");
            return ExitCodes.Ok;
        }).ConfigureAwait(false));
        return cmd;
    }

    private static async Task<TrafficReport> InspectLiveAsync(MavlinkUrl url, double seconds, CancellationToken ct)
    {
        var stats = new TrafficStatistics("all");
        await using var transport = await MavlinkTransport.OpenAsync(url, cancellationToken: ct).ConfigureAwait(false);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        stop.CancelAfter(TimeSpan.FromSeconds(seconds));
        var buffer = new byte[65536];
        long receives = 0;
        try
        {
            while (true)
            {
                int n = await transport.ReceiveAsync(buffer, stop.Token).ConfigureAwait(false);
                receives++;
                stats.Feed(buffer.AsSpan(0, n), TlogWriter.ToUnixUs(DateTimeOffset.UtcNow));
                if (transport.IsDatagram) stats.Parser.ResetStream();
            }
        }
        catch (OperationCanceledException) { }
        return new TrafficReport(url.Text, "live", receives, [stats]);
    }

    private static double? ParseSeconds(string? text)
    {
        if (text is null) return null;
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double s) || !double.IsFinite(s) || s <= 0)
            throw new ArgumentException($"--seconds = {text}: must be a number > 0");
        return s;
    }

    private static void WriteText(TextWriter o, TrafficReport r)
    {
        var ic = CultureInfo.InvariantCulture;
        o.WriteLine(string.Create(ic, $"{r.Source}: {r.Format}, {r.Records} records"));
        foreach (var s in r.Streams)
        {
            var p = s.Parser;
            o.WriteLine(string.Create(ic, $"{s.Name}: {s.Frames} frames{(s.DurationS > 0 ? $" in {s.DurationS:0.00} s" : "")}, {p.CrcErrors} CRC errors, {p.LostFrames} lost by sequence, {p.BytesDiscarded} bytes discarded"));
            o.WriteLine("  sources:");
            foreach (var src in p.Sources.OrderBy(x => x.SystemId).ThenBy(x => x.ComponentId))
                o.WriteLine(string.Create(ic, $"    {src.SystemId,3}/{src.ComponentId,-3}  frames {src.Frames,8}  crc errors {src.CrcErrors,5}  lost {src.LostFrames,5}  reordered {src.Reordered,4}  duplicates {src.Duplicates,4}"));
            o.WriteLine("  messages:");
            foreach (var m in s.Messages)
            {
                string rate = s.RateHz(m.Count) is { } hz ? string.Create(ic, $"{hz,8:0.00} Hz") : "";
                o.WriteLine(string.Create(ic, $"    {m.Name,-34} {m.Id,6}  {m.Count,8}  {rate}"));
            }
        }
    }

    private static void WriteJson(TextWriter o, TrafficReport r)
    {
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("source", r.Source);
            w.WriteString("format", r.Format);
            w.WriteNumber("records", r.Records);
            w.WriteStartArray("streams");
            foreach (var s in r.Streams)
            {
                var p = s.Parser;
                w.WriteStartObject();
                w.WriteString("name", s.Name);
                w.WriteNumber("frames", s.Frames);
                w.WriteNumber("durationS", Math.Round(s.DurationS, 6));
                w.WriteNumber("crcErrors", p.CrcErrors);
                w.WriteNumber("lostFrames", p.LostFrames);
                w.WriteNumber("bytesDiscarded", p.BytesDiscarded);
                w.WriteStartArray("sources");
                foreach (var src in p.Sources.OrderBy(x => x.SystemId).ThenBy(x => x.ComponentId))
                {
                    w.WriteStartObject();
                    w.WriteNumber("systemId", src.SystemId);
                    w.WriteNumber("componentId", src.ComponentId);
                    w.WriteNumber("frames", src.Frames);
                    w.WriteNumber("crcErrors", src.CrcErrors);
                    w.WriteNumber("lostFrames", src.LostFrames);
                    w.WriteNumber("reordered", src.Reordered);
                    w.WriteNumber("duplicates", src.Duplicates);
                    w.WriteEndObject();
                }
                w.WriteEndArray();
                w.WriteStartArray("messages");
                foreach (var m in s.Messages)
                {
                    w.WriteStartObject();
                    w.WriteNumber("id", m.Id);
                    w.WriteString("name", m.Name);
                    w.WriteNumber("count", m.Count);
                    if (s.RateHz(m.Count) is { } hz) w.WriteNumber("rateHz", Math.Round(hz, 4)); else w.WriteNull("rateHz");
                    w.WriteEndObject();
                }
                w.WriteEndArray();
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        o.WriteLine(System.Text.Encoding.UTF8.GetString(ms.ToArray()));
    }

    private static async Task<int> Guarded(ParseResult pr, Func<TextWriter, TextWriter, Task<int>> body)
    {
        var o = pr.InvocationConfiguration.Output;
        var e = pr.InvocationConfiguration.Error;
        try
        {
            return await body(o, e).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is MavlinkUrlException or ArgumentException or InvalidDataException or IOException
            or UnauthorizedAccessException or SocketException or PlatformNotSupportedException)
        {
            e.WriteLine($"error: {ex.Message}");
            return ExitCodes.BadInput;
        }
    }
}
