using System.Buffers.Binary;
using Interceptor.Mavlink.Tlog;
using Interceptor.Testing;

namespace Interceptor.Mavlink.Tests;

public class TlogTests
{
    private static string Capture(string name) => RepoPaths.SharedFile("captures", name);

    private static (long Records, long Frames, long CrcErrors, Dictionary<CaptureDirection, long> ByDirection) Scan(string path)
    {
        using var reader = CaptureReader.Open(path);
        var parsers = new Dictionary<CaptureDirection, MavlinkParser>();
        var byDir = new Dictionary<CaptureDirection, long>();
        long frames = 0;
        while (reader.TryRead(out var rec))
        {
            if (!parsers.TryGetValue(rec.Direction, out var p)) parsers[rec.Direction] = p = new MavlinkParser();
            foreach (var f in p.Parse(rec.Bytes.Span))
            {
                Assert.True(f.CrcVerified);
                frames++;
                byDir[rec.Direction] = byDir.GetValueOrDefault(rec.Direction) + 1;
            }
        }
        Assert.False(reader.Truncated);
        return (reader.RecordsRead, frames, parsers.Values.Sum(p => p.CrcErrors), byDir);
    }

    [Fact]
    public void DetectsEachCaptureFormat()
    {
        Assert.Equal(CaptureFormat.DatagramRecords, Format("px4-sih-offboard-session.bin"));
        Assert.Equal(CaptureFormat.RawStream, Format("arducopter-guided-session.bin"));
        Assert.Equal(CaptureFormat.RawStream, Format("arducopter-guided-session.gcs2ap.bin"));
        Assert.Equal(CaptureFormat.Chunks, Format("arducopter-guided-session.chunks"));
        Assert.Equal(CaptureFormat.Chunks, Format("arducopter-guided-session-signed.chunks"));
        static CaptureFormat Format(string n) { using var r = CaptureReader.Open(Capture(n)); return r.Format; }
    }

    [Fact]
    public void Px4DatagramCaptureHasTheReadmeCounts()
    {
        var (records, frames, crc, byDir) = Scan(Capture("px4-sih-offboard-session.bin"));
        Assert.Equal(29_977 + 994, records);
        Assert.Equal(records, frames); // one frame per datagram
        Assert.Equal(0, crc);
        Assert.Equal(29_977, byDir[CaptureDirection.FromAutopilot]);
        Assert.Equal(994, byDir[CaptureDirection.ToAutopilot]);
    }

    [Fact]
    public void ArduPilotRawStreamsAndChunksHaveTheReadmeCounts()
    {
        Assert.Equal(7_219, Scan(Capture("arducopter-guided-session.bin")).Frames);
        Assert.Equal(426, Scan(Capture("arducopter-guided-session.gcs2ap.bin")).Frames);
        var chunks = Scan(Capture("arducopter-guided-session.chunks"));
        Assert.Equal(7_219, chunks.ByDirection[CaptureDirection.FromAutopilot]);
        Assert.Equal(426, chunks.ByDirection[CaptureDirection.ToAutopilot]);
        var signed = Scan(Capture("arducopter-guided-session-signed.chunks"));
        Assert.Equal(2_852, signed.ByDirection[CaptureDirection.FromAutopilot]);
        Assert.Equal(92, signed.ByDirection[CaptureDirection.ToAutopilot]);
        Assert.Equal(0, chunks.CrcErrors + signed.CrcErrors);
    }

    [Fact]
    public void TlogRoundTripKeepsEveryFrameAndTimestamp()
    {
        var original = new List<(long Us, byte[] Bytes)>();
        using (var reader = CaptureReader.Open(Capture("px4-sih-offboard-session.bin")))
            while (reader.TryRead(out var rec)) original.Add((rec.TimestampUs, rec.Bytes.ToArray()));

        var ms = new MemoryStream();
        using (var writer = new TlogWriter(ms, leaveOpen: true))
            foreach (var (us, bytes) in original) writer.Write(us, bytes);
        Assert.Equal(original.Sum(o => 8L + o.Bytes.Length), ms.Length);

        // Standard layout: big-endian microseconds, then the frame.
        var data = ms.ToArray();
        Assert.Equal(original[0].Us, BinaryPrimitives.ReadInt64BigEndian(data));
        Assert.Equal(0xFD, data[8]);

        ms.Position = 0;
        Assert.Equal(CaptureFormat.Tlog, CaptureReader.Detect(data.AsSpan(0, 32)));
        using var back = new CaptureReader(ms, CaptureFormat.Tlog);
        int i = 0;
        while (back.TryRead(out var rec))
        {
            Assert.Equal(original[i].Us, rec.TimestampUs);
            Assert.True(rec.Bytes.Span.SequenceEqual(original[i].Bytes));
            i++;
        }
        Assert.Equal(original.Count, i);
        Assert.Equal(0, back.SkippedBytes);
    }

    [Fact]
    public void TlogReaderSkipsGarbageAndReportsATruncatedTail()
    {
        var frames = new List<byte[]>();
        using (var reader = CaptureReader.Open(Capture("arducopter-guided-session.gcs2ap.bin")))
        {
            var parser = new MavlinkParser();
            while (reader.TryRead(out var rec))
                foreach (var f in parser.Parse(rec.Bytes.Span)) frames.Add(f.Raw.ToArray());
        }
        var ms = new MemoryStream();
        var w = new TlogWriter(ms, leaveOpen: true);
        w.Write(1_700_000_000_000_000, frames[0]);
        ms.Write([0x11, 0x22, 0x33]); // garbage between records
        w.Write(1_700_000_000_100_000, frames[1]);
        w.Write(1_700_000_000_200_000, frames[2].AsSpan(0, frames[2].Length - 3)); // cut short at the end
        w.Dispose();
        ms.Position = 0;
        using var r = new CaptureReader(ms, CaptureFormat.Tlog);
        Assert.True(r.TryRead(out var a));
        Assert.True(a.Bytes.Span.SequenceEqual(frames[0]));
        Assert.True(r.TryRead(out var b));
        Assert.Equal(1_700_000_000_100_000, b.TimestampUs);
        Assert.True(b.Bytes.Span.SequenceEqual(frames[1]));
        Assert.Equal(3, r.SkippedBytes);
        Assert.False(r.TryRead(out _));
        Assert.True(r.Truncated);
    }

    [Fact]
    public void WriterRejectsNegativeTimeAndConvertsDateTimeOffset()
    {
        using var w = new TlogWriter(new MemoryStream());
        Assert.Throws<ArgumentOutOfRangeException>(() => w.Write(-1, [0xFD]));
        Assert.Equal(1_000_001, TlogWriter.ToUnixUs(DateTimeOffset.UnixEpoch.AddTicks(10_000_010)));
    }

    [Fact]
    public void UnknownFileIsRejectedWithItsName()
    {
        var path = Path.Combine(Path.GetTempPath(), $"mavio-{Guid.NewGuid():N}.bin");
        File.WriteAllBytes(path, [0x41, 0x42, 0x43, 0x44]);
        try
        {
            var e = Assert.Throws<InvalidDataException>(() => CaptureReader.Open(path));
            Assert.Contains(path, e.Message);
        }
        finally { File.Delete(path); }
    }
}
