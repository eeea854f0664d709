using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Interceptor.Mavlink;
using Interceptor.Mavlink.Tlog;
using Interceptor.Testing;

namespace Interceptor.Cli.Tests;

public class MavlinkCommandTests
{
    private static string Capture(string name) => RepoPaths.SharedFile("captures", name);

    private static JsonElement Stream(JsonDocument doc, string name) =>
        doc.RootElement.GetProperty("streams").EnumerateArray().Single(s => s.GetProperty("name").GetString() == name);

    private static long Count(JsonElement stream, string message) =>
        stream.GetProperty("messages").EnumerateArray().Single(m => m.GetProperty("name").GetString() == message).GetProperty("count").GetInt64();

    [Fact]
    public void InspectPx4CaptureAsJsonHasTheReadmeCounts()
    {
        var (code, output, err) = CliHarness.Run("mavlink", "inspect", Capture("px4-sih-offboard-session.bin"), "--json");
        Assert.True(code == ExitCodes.Ok, err);
        using var doc = JsonDocument.Parse(output);
        Assert.Equal("datagram-records", doc.RootElement.GetProperty("format").GetString());
        var px4 = Stream(doc, "from-autopilot");
        Assert.Equal(29_977, px4.GetProperty("frames").GetInt64());
        Assert.Equal(0, px4.GetProperty("crcErrors").GetInt64());
        Assert.Equal(7_548, Count(px4, "ATTITUDE"));
        Assert.Equal(76, Count(px4, "HEARTBEAT"));
        Assert.Equal(9, Count(px4, "COMMAND_ACK"));
        Assert.Equal(38, Count(px4, "CURRENT_MODE"));
        var src = px4.GetProperty("sources").EnumerateArray().Single();
        Assert.Equal((1, 1), (src.GetProperty("systemId").GetInt32(), src.GetProperty("componentId").GetInt32()));
        var client = Stream(doc, "to-autopilot");
        Assert.Equal(994, client.GetProperty("frames").GetInt64());
        Assert.Equal(854, Count(client, "SET_POSITION_TARGET_LOCAL_NED"));
        // ATTITUDE over the 75.7 s session: about 100 Hz.
        double rate = px4.GetProperty("messages").EnumerateArray().Single(m => m.GetProperty("name").GetString() == "ATTITUDE").GetProperty("rateHz").GetDouble();
        Assert.InRange(rate, 95, 105);
    }

    [Fact]
    public void InspectArduPilotStreamAsText()
    {
        var (code, output, err) = CliHarness.Run("mavlink", "inspect", Capture("arducopter-guided-session.bin"));
        Assert.True(code == ExitCodes.Ok, err);
        Assert.Contains("raw-stream", output);
        Assert.Contains("all: 7219 frames, 0 CRC errors", output);
        Assert.Matches(@"HEARTBEAT\s+0\s+59\b", output);
        Assert.Matches(@"LOCAL_POSITION_NED\s+32\s+561\b", output);
    }

    [Fact]
    public void InspectSecondsLimitsATimedCapture()
    {
        var (code, output, _) = CliHarness.Run("mavlink", "inspect", Capture("px4-sih-offboard-session.bin"), "--json", "--seconds", "10");
        Assert.Equal(ExitCodes.Ok, code);
        using var doc = JsonDocument.Parse(output);
        var hb = Count(Stream(doc, "from-autopilot"), "HEARTBEAT");
        Assert.InRange(hb, 10, 11); // 1 Hz for the first 10 s
    }

    [Theory]
    [InlineData("udp://:99999", "port '99999'")]
    [InlineData("serial:///dev/ttyACM0:1234", "baud rate 1234")]
    [InlineData("ftp://x:1", "scheme 'ftp'")]
    public void InspectBadUrlExits2NamingThePart(string url, string expected)
    {
        var (code, _, err) = CliHarness.Run("mavlink", "inspect", url);
        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains(expected, err);
    }

    [Fact]
    public void InspectMissingOrUnknownFileExits2()
    {
        using var tmp = new CliHarness.TempDir();
        var (code, _, err) = CliHarness.Run("mavlink", "inspect", tmp.File("none.tlog"));
        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains("none.tlog", err);
        File.WriteAllText(tmp.File("text.tlog"), "hello world, not mavlink");
        (code, _, err) = CliHarness.Run("mavlink", "inspect", tmp.File("text.tlog"));
        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains("not a recognised capture", err);
        (code, _, err) = CliHarness.Run("mavlink", "inspect", Capture("px4-sih-offboard-session.bin"), "--seconds", "-3");
        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains("--seconds = -3", err);
    }

    [Fact]
    public async Task RecordWritesATlogThatInspectReads()
    {
        using var tmp = new CliHarness.TempDir();
        string tlog = tmp.File("flight.tlog");
        int port;
        using (var probe = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp))
        {
            probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            port = ((IPEndPoint)probe.LocalEndPoint!).Port;
        }
        var record = Task.Run(() => CliHarness.Run("mavlink", "record", $"udp://127.0.0.1:{port}", tlog, "--seconds", "1.5"));
        using var sender = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        var to = new IPEndPoint(IPAddress.Loopback, port);
        var frame = new byte[MavlinkConstants.MaxFrameLength];
        var writer = new MavlinkFrameWriter(1, 1);
        int sent = 0;
        var deadline = DateTime.UtcNow.AddSeconds(1.0);
        while (DateTime.UtcNow < deadline && !record.IsCompleted)
        {
            int n = writer.Write(frame, new Interceptor.Mavlink.Messages.HeartbeatMessage { Type = 2, Autopilot = 12, MavlinkVersion = 3 });
            await sender.SendToAsync(frame.AsMemory(0, n), SocketFlags.None, to);
            sent++;
            await Task.Delay(20);
        }
        var (code, output, err) = await record.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.True(code == ExitCodes.Ok, err);
        Assert.Contains("frames", output);

        using var reader = CaptureReader.Open(tlog);
        Assert.Equal(CaptureFormat.Tlog, reader.Format);
        var report = CaptureInspector.Inspect(tlog);
        long frames = report.Streams.Single().Frames;
        // The first datagrams may precede the bind; everything after it is recorded.
        Assert.InRange(frames, Math.Max(1, sent - 10), sent);
        Assert.Equal(frames, report.Streams.Single().Messages.Single(m => m.Name == "HEARTBEAT").Count);
    }

    [Fact]
    public void RecordToAMissingFolderExits2()
    {
        var (code, _, err) = CliHarness.Run("mavlink", "record", "udp://127.0.0.1:14999", "/nonexistent-folder-mavio/x.tlog", "--seconds", "0.1");
        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains("nonexistent-folder-mavio", err);
    }
}
