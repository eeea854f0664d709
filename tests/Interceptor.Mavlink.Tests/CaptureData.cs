using System.Buffers.Binary;
using Interceptor.Testing;

namespace Interceptor.Mavlink.Tests;

/// <summary>Readers for the capture formats described in ../shared/captures/README.md.</summary>
internal static class CaptureData
{
    public static string File(string name) => RepoPaths.SharedFile("captures", name);

    public static byte[] Bytes(string name) => System.IO.File.ReadAllBytes(File(name));

    /// <summary>PX4 record format: u8 direction, u64 microseconds, u32 length, one datagram.</summary>
    public static List<(byte Direction, ulong TimeUs, byte[] Datagram)> Px4Records()
    {
        var data = Bytes("px4-sih-offboard-session.bin");
        var list = new List<(byte, ulong, byte[])>();
        int i = 0;
        while (i < data.Length)
        {
            byte dir = data[i];
            ulong t = BinaryPrimitives.ReadUInt64LittleEndian(data.AsSpan(i + 1));
            int len = checked((int)BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan(i + 9)));
            list.Add((dir, t, data.AsSpan(i + 13, len).ToArray()));
            i += 13 + len;
        }
        return list;
    }

    /// <summary>ArduPilot .chunks format: f64 unix time, u8 direction, u32 length, bytes of one TCP read.</summary>
    public static List<(double Time, byte Direction, byte[] Bytes)> Chunks(string name)
    {
        var data = Bytes(name);
        var list = new List<(double, byte, byte[])>();
        int i = 0;
        while (i < data.Length)
        {
            double t = BinaryPrimitives.ReadDoubleLittleEndian(data.AsSpan(i));
            byte dir = data[i + 8];
            int len = checked((int)BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan(i + 9)));
            list.Add((t, dir, data.AsSpan(i + 13, len).ToArray()));
            i += 13 + len;
        }
        return list;
    }

    /// <summary>Parses a whole stream in one chunk; returns frames as copies.</summary>
    public static List<byte[]> ParseAll(MavlinkParser parser, ReadOnlySpan<byte> stream)
    {
        var frames = new List<byte[]>();
        foreach (var f in parser.Parse(stream))
        {
            Assert.True(f.CrcVerified, $"frame id {f.MessageId} not verifiable");
            frames.Add(f.Raw.ToArray());
        }
        return frames;
    }

    public static Dictionary<string, int> CountByName(IEnumerable<byte[]> frames)
    {
        var counts = new Dictionary<string, int>();
        foreach (var raw in frames)
        {
            var check = MavlinkFrame.Check(raw, out var f, out _);
            Assert.Equal(MavlinkFrameCheck.Ok, check);
            string name = f.Info?.Name ?? $"#{f.MessageId}";
            counts[name] = counts.GetValueOrDefault(name) + 1;
        }
        return counts;
    }
}
