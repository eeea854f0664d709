using Interceptor.Mavlink.Messages;

namespace Interceptor.Mavlink.Tests;

/// <summary>Every frame of the real autopilot captures parses with a valid CRC; counts match
/// ../shared/captures/README.md (taken there with pymavlink); decoded values are sane.</summary>
public class CaptureTests
{
    private static readonly Dictionary<string, int> Px4ToClient = new()
    {
        ["ATTITUDE"] = 7548, ["ATTITUDE_QUATERNION"] = 3774, ["GLOBAL_POSITION_INT"] = 3774, ["HIGHRES_IMU"] = 3774,
        ["ODOMETRY"] = 2264, ["LOCAL_POSITION_NED"] = 1514, ["ALTITUDE"] = 755, ["ATTITUDE_TARGET"] = 754,
        ["DISTANCE_SENSOR"] = 755, ["SERVO_OUTPUT_RAW"] = 755, ["TIMESYNC"] = 755, ["VFR_HUD"] = 755,
        ["POSITION_TARGET_LOCAL_NED"] = 726, ["GPS_RAW_INT"] = 604, ["POSITION_TARGET_GLOBAL_INT"] = 214,
        ["EXTENDED_SYS_STATE"] = 153, ["SYS_STATUS"] = 153, ["HEARTBEAT"] = 76, ["PING"] = 76, ["SYSTEM_TIME"] = 76,
        ["ESTIMATOR_STATUS"] = 76, ["SCALED_PRESSURE"] = 76, ["OPEN_DRONE_ID_LOCATION"] = 76, ["OPEN_DRONE_ID_SYSTEM"] = 76,
        ["LINK_NODE_STATUS"] = 76, ["MISSION_CURRENT"] = 75, ["BATTERY_STATUS"] = 38, ["HOME_POSITION"] = 38,
        ["VIBRATION"] = 38, ["CURRENT_MODE"] = 38, ["TIME_ESTIMATE_TO_TARGET"] = 37, ["CURRENT_EVENT_SEQUENCE"] = 25,
        ["EVENT"] = 20, ["PARAM_VALUE"] = 12, ["COMMAND_ACK"] = 9, ["COMMAND_LONG"] = 6, ["STATUSTEXT"] = 6,
    };

    private static readonly Dictionary<string, int> ClientToPx4 = new()
    {
        ["SET_POSITION_TARGET_LOCAL_NED"] = 854, ["HEARTBEAT"] = 76, ["SET_ATTITUDE_TARGET"] = 56, ["COMMAND_LONG"] = 8,
    };

    private static readonly Dictionary<string, int> ArduToGcs = BuildArduToGcs();

    private static Dictionary<string, int> BuildArduToGcs()
    {
        var d = new Dictionary<string, int> { ["ATTITUDE"] = 561, ["LOCAL_POSITION_NED"] = 561, ["POSITION_TARGET_LOCAL_NED"] = 499 };
        foreach (var n in new[] { "AHRS", "AHRS2", "BATTERY_STATUS", "EKF_STATUS_REPORT", "ESC_TELEMETRY_1_TO_4", "GLOBAL_POSITION_INT",
                     "GPS_RAW_INT", "MEMINFO", "MISSION_CURRENT", "NAV_CONTROLLER_OUTPUT", "POWER_STATUS", "RAW_IMU", "RC_CHANNELS",
                     "SCALED_IMU2", "SCALED_IMU3", "SCALED_PRESSURE", "SCALED_PRESSURE2", "SERVO_OUTPUT_RAW", "SIMSTATE", "SYS_STATUS",
                     "TERRAIN_REPORT", "VFR_HUD", "VIBRATION", "WIND" })
            d[n] = 225;
        d["HEARTBEAT"] = 59; d["SYSTEM_TIME"] = 57; d["POSITION_TARGET_GLOBAL_INT"] = 32; d["TERRAIN_REQUEST"] = 28;
        d["COMMAND_ACK"] = 8; d["TIMESYNC"] = 6; d["STATUSTEXT"] = 4; d["PARAM_VALUE"] = 2; d["GPS_GLOBAL_ORIGIN"] = 1; d["HOME_POSITION"] = 1;
        return d;
    }

    private static readonly Dictionary<string, int> GcsToArdu = new()
    {
        ["SET_POSITION_TARGET_LOCAL_NED"] = 330, ["HEARTBEAT"] = 57, ["SET_ATTITUDE_TARGET"] = 30, ["COMMAND_LONG"] = 8, ["REQUEST_DATA_STREAM"] = 1,
    };

    [Fact]
    public void Px4_every_datagram_is_one_valid_frame_and_counts_match()
    {
        var records = CaptureData.Px4Records();
        var parsers = new[] { new MavlinkParser(), new MavlinkParser() };
        var frames = new[] { new List<byte[]>(), new List<byte[]>() };
        foreach (var (dir, _, datagram) in records)
        {
            Assert.InRange(dir, 0, 1);
            Assert.Equal(MavlinkFrameCheck.Ok, MavlinkFrame.Check(datagram, out var single, out _));
            Assert.Equal(datagram.Length, single.Raw.Length);
            var got = CaptureData.ParseAll(parsers[dir], datagram);
            Assert.Single(got);
            frames[dir].Add(got[0]);
        }
        Assert.Equal(29_977, frames[0].Count);
        Assert.Equal(994, frames[1].Count);
        Assert.Equal(Px4ToClient.OrderBy(k => k.Key), CaptureData.CountByName(frames[0]).OrderBy(k => k.Key));
        Assert.Equal(ClientToPx4.OrderBy(k => k.Key), CaptureData.CountByName(frames[1]).OrderBy(k => k.Key));
        foreach (var p in parsers)
        {
            Assert.Equal(0, p.CrcErrors);
            Assert.Equal(0, p.BytesDiscarded);
            Assert.Equal(0, p.LostFrames);
        }
        var px4 = Assert.Single(parsers[0].Sources);
        Assert.Equal((1, 1), (px4.SystemId, px4.ComponentId));
        Assert.Equal(29_977, px4.Frames);
        Assert.Equal(1, px4.Reordered); // the +2, -2, +3 pattern around interleaved COMMAND_ACKs
        var client = Assert.Single(parsers[1].Sources);
        Assert.Equal((255, 190), (client.SystemId, client.ComponentId));
    }

    [Fact]
    public void Px4_values_are_sane()
    {
        var modes = new HashSet<uint>();
        float minZ = float.MaxValue;
        int heartbeats = 0, attitudes = 0, acks = 0;
        foreach (var (dir, _, datagram) in CaptureData.Px4Records())
        {
            MavlinkFrame.Check(datagram, out var f, out _);
            if (dir == 0 && f.TryDecode(out HeartbeatMessage hb))
            {
                heartbeats++;
                Assert.Equal(MavAutopilot.Px4, hb.AutopilotEnum);
                Assert.Equal(MavType.Quadrotor, hb.TypeEnum);
                Assert.Equal(3, hb.MavlinkVersion);
                modes.Add(hb.CustomMode);
            }
            else if (dir == 1 && f.TryDecode(out hb))
            {
                Assert.Equal(MavType.Gcs, hb.TypeEnum);
            }
            else if (f.TryDecode(out AttitudeMessage att))
            {
                attitudes++;
                Assert.InRange(att.Roll, -MathF.PI, MathF.PI);
                Assert.InRange(att.Pitch, -MathF.PI / 2, MathF.PI / 2);
                Assert.InRange(att.Yaw, -MathF.PI, MathF.PI);
            }
            else if (f.TryDecode(out LocalPositionNedMessage lpos))
            {
                Assert.True(float.IsFinite(lpos.Z));
                minZ = Math.Min(minZ, lpos.Z);
            }
            else if (dir == 0 && f.TryDecode(out CommandAckMessage ack))
            {
                acks++;
                Assert.True(Enum.IsDefined(ack.ResultEnum), $"result {ack.Result}");
            }
            else if (dir == 1 && f.TryDecode(out SetPositionTargetLocalNedMessage sp))
            {
                Assert.Contains(sp.CoordinateFrameEnum, new[] { MavFrame.LocalNed, MavFrame.BodyNed });
                Assert.Equal(1, sp.TargetSystem);
            }
        }
        Assert.Equal(76, heartbeats);
        Assert.Equal(7548, attitudes);
        Assert.Equal(9, acks);
        Assert.Contains(0x03040000u, modes); // AUTO.LOITER
        Assert.Contains(0x00060000u, modes); // OFFBOARD
        Assert.InRange(minZ, -21f, -10f);
    }

    [Fact]
    public void Px4_local_positions_match_the_clients_csv()
    {
        var lines = File.ReadAllLines(CaptureData.File("px4-sih-offboard-session.lpos.csv"));
        Assert.Equal("t_wall,time_boot_ms,x,y,z,vx,vy,vz,mode,armed,phase", lines[0]);
        var decoded = new List<LocalPositionNedMessage>();
        foreach (var (dir, _, datagram) in CaptureData.Px4Records())
        {
            MavlinkFrame.Check(datagram, out var f, out _);
            if (dir == 0 && f.TryDecode(out LocalPositionNedMessage m)) decoded.Add(m);
        }
        Assert.Equal(lines.Length - 1, decoded.Count);
        var inv = System.Globalization.CultureInfo.InvariantCulture;
        for (int i = 0; i < decoded.Count; i++)
        {
            var c = lines[i + 1].Split(',');
            var m = decoded[i];
            Assert.Equal(uint.Parse(c[1], inv), m.TimeBootMs);
            float[] expected = [.. c[2..8].Select(v => float.Parse(v, inv))];
            float[] actual = [m.X, m.Y, m.Z, m.Vx, m.Vy, m.Vz];
            for (int k = 0; k < 6; k++) Assert.True(Math.Abs(expected[k] - actual[k]) <= 0.0006f, $"row {i + 1} column {k + 2}: {expected[k]} vs {actual[k]}");
        }
    }

    [Fact]
    public void ArduPilot_streams_parse_with_counts_from_the_readme()
    {
        var up = new MavlinkParser();
        var ap = CaptureData.ParseAll(up, CaptureData.Bytes("arducopter-guided-session.bin"));
        Assert.Equal(7_219, ap.Count);
        Assert.Equal(ArduToGcs.OrderBy(k => k.Key), CaptureData.CountByName(ap).OrderBy(k => k.Key));
        var src = Assert.Single(up.Sources);
        Assert.Equal((1, 1), (src.SystemId, src.ComponentId));
        Assert.Equal(0, up.CrcErrors);
        Assert.Equal(0, up.BytesDiscarded);
        Assert.Equal(0, up.LostFrames);

        var down = new MavlinkParser();
        var gcs = CaptureData.ParseAll(down, CaptureData.Bytes("arducopter-guided-session.gcs2ap.bin"));
        Assert.Equal(426, gcs.Count);
        Assert.Equal(GcsToArdu.OrderBy(k => k.Key), CaptureData.CountByName(gcs).OrderBy(k => k.Key));
        Assert.Equal(0, down.CrcErrors);
    }

    [Theory]
    [InlineData("arducopter-guided-session.chunks", "arducopter-guided-session.bin", "arducopter-guided-session.gcs2ap.bin", 7_219, 426)]
    [InlineData("arducopter-guided-session-signed.chunks", "arducopter-guided-session-signed.bin", "arducopter-guided-session-signed.gcs2ap.bin", 2_852, 92)]
    public void Chunked_tcp_reads_reassemble_to_the_same_frames(string chunks, string apStream, string gcsStream, int apFrames, int gcsFrames)
    {
        var parsers = new[] { new MavlinkParser(), new MavlinkParser() };
        var frames = new[] { new List<byte[]>(), new List<byte[]>() };
        int splitRecords = 0;
        foreach (var (_, dir, bytes) in CaptureData.Chunks(chunks))
        {
            if (parsers[dir].PendingBytes > 0) splitRecords++;
            frames[dir].AddRange(CaptureData.ParseAll(parsers[dir], bytes));
        }
        Assert.True(splitRecords > 0, "the capture is expected to split frames across reads");
        Assert.Equal(apFrames, frames[0].Count);
        Assert.Equal(gcsFrames, frames[1].Count);
        Assert.Equal(CaptureData.ParseAll(new MavlinkParser(), CaptureData.Bytes(apStream)), frames[0]);
        Assert.Equal(CaptureData.ParseAll(new MavlinkParser(), CaptureData.Bytes(gcsStream)), frames[1]);
        foreach (var p in parsers)
        {
            Assert.Equal(0, p.CrcErrors);
            Assert.Equal(0, p.BytesDiscarded);
            Assert.Equal(0, p.PendingBytes);
        }
    }

    [Fact]
    public void ArduPilot_values_are_sane()
    {
        var modes = new HashSet<uint>();
        float minZ = float.MaxValue;
        foreach (var raw in CaptureData.ParseAll(new MavlinkParser(), CaptureData.Bytes("arducopter-guided-session.bin")))
        {
            MavlinkFrame.Check(raw, out var f, out _);
            if (f.TryDecode(out HeartbeatMessage hb))
            {
                Assert.Equal(MavAutopilot.Ardupilotmega, hb.AutopilotEnum);
                Assert.Equal(MavType.Quadrotor, hb.TypeEnum);
                modes.Add(hb.CustomMode);
            }
            else if (f.TryDecode(out LocalPositionNedMessage lpos))
            {
                minZ = Math.Min(minZ, lpos.Z);
            }
            else if (f.TryDecode(out GlobalPositionIntMessage gpi))
            {
                Assert.InRange(gpi.Lat, -900_000_000, 900_000_000);
                Assert.InRange(gpi.Lon, -1_800_000_000, 1_800_000_000);
                Assert.NotEqual(0, gpi.Lat);
            }
            else if (f.TryDecode(out StatustextMessage st))
            {
                Assert.False(string.IsNullOrWhiteSpace(st.Text.ToString()));
            }
        }
        Assert.Contains(4u, modes); // GUIDED
        Assert.Contains(9u, modes); // LAND
        Assert.InRange(minZ, -26f, -25.5f); // takeoff to 20 m, then vz -2 for 3 s; the GCS log shows z -25.7
    }

    [Fact]
    public void ArduPilot_local_positions_include_every_position_the_gcs_logged()
    {
        var decoded = new List<LocalPositionNedMessage>();
        foreach (var raw in CaptureData.ParseAll(new MavlinkParser(), CaptureData.Bytes("arducopter-guided-session.bin")))
        {
            MavlinkFrame.Check(raw, out var f, out _);
            if (f.TryDecode(out LocalPositionNedMessage m)) decoded.Add(m);
        }
        int logged = 0;
        foreach (var line in File.ReadLines(CaptureData.File("arducopter-guided-session.events.jsonl")))
        {
            using var doc = System.Text.Json.JsonDocument.Parse(line);
            var e = doc.RootElement;
            if (e.GetProperty("kind").GetString() != "lpn") continue;
            logged++;
            double x = e.GetProperty("x").GetDouble(), y = e.GetProperty("y").GetDouble(), z = e.GetProperty("z").GetDouble();
            Assert.Contains(decoded, m => Math.Abs(m.X - x) <= 0.0051 && Math.Abs(m.Y - y) <= 0.0051 && Math.Abs(m.Z - z) <= 0.0051);
        }
        Assert.True(logged > 50, $"only {logged} positions logged");
    }
}
