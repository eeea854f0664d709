namespace Interceptor.Mavlink.Tests;

/// <summary>Parser fuzzing: over 10^6 random and mutated real frames in random chunk sizes. No exception, no frame
/// with a bad checksum accepted, and intact frames around the damage recovered.</summary>
public class FramingFuzzTests
{
    private static readonly Lazy<byte[][]> RealFrames = new(() =>
    {
        var list = CaptureData.Px4Records().Select(r => r.Datagram).ToList();
        list.AddRange(CaptureData.ParseAll(new MavlinkParser(), CaptureData.Bytes("arducopter-guided-session.bin")));
        list.AddRange(CaptureData.ParseAll(new MavlinkParser(), CaptureData.Bytes("arducopter-guided-session-signed.bin")));
        return [.. list];
    });

    /// <summary>Checks a yielded frame with the bytewise CRC (a separate code path from the parser's table).</summary>
    private static void AssertCrcValid(in MavlinkFrame f)
    {
        var info = MavlinkMessages.Find(f.MessageId);
        if (info is null)
        {
            Assert.False(f.CrcVerified);
            return;
        }
        Assert.True(f.CrcVerified);
        Assert.InRange(f.PayloadLength, 0, info.MaxLength);
        ushort crc = MavlinkCrc.Initial;
        var covered = f.Raw.Slice(1, f.HeaderLength - 1 + f.PayloadLength);
        foreach (byte b in covered) crc = MavlinkCrc.Accumulate(b, crc);
        crc = MavlinkCrc.Accumulate(info.CrcExtra, crc);
        Assert.Equal(crc, f.Checksum);
    }

    private static (int Yielded, HashSet<long> IntactSeen) ParseInRandomChunks(byte[] stream, Random r, Func<long, bool>? isIntactMarker, bool wholeStream = false)
    {
        var p = new MavlinkParser();
        int yielded = 0;
        var seen = new HashSet<long>();
        int pos = 0;
        while (pos < stream.Length)
        {
            int n = wholeStream ? stream.Length : Math.Min(stream.Length - pos, r.Next(4) == 0 ? r.Next(1, 16) : r.Next(1, 4096));
            foreach (var f in p.Parse(stream.AsSpan(pos, n)))
            {
                yielded++;
                AssertCrcValid(f);
                if (isIntactMarker is not null && f.MessageId == 0 && f.SystemId == 200 && f.PayloadLength == 9)
                {
                    long id = BitConverter.ToUInt32(f.Payload[..4]);
                    if (isIntactMarker(id)) seen.Add(id);
                }
            }
            pos += n;
        }
        return (yielded, seen);
    }

    private static byte[] Marker(uint id)
    {
        // A HEARTBEAT from sysid 200 whose custom_mode carries a running number.
        var buf = new byte[MavlinkConstants.MaxFrameLength];
        int n = MavlinkFrameWriter.WriteFrame(buf, MavlinkVersion.V2, (byte)id, 200, 1, 0, 50, 9,
            [(byte)id, (byte)(id >> 8), (byte)(id >> 16), (byte)(id >> 24), 2, 12, 0x51, 4, 3]);
        return buf[..n];
    }

    [Fact]
    public void Mutated_real_frames_never_yield_a_bad_crc_and_intact_frames_between_them_survive()
    {
        var real = RealFrames.Value;
        var r = new Random(12345);
        const int Mutated = 560_000;
        var stream = new MemoryStream();
        var intactIds = new HashSet<long>();
        // A signed frame cut inside its 13-byte signature still has a valid checksum (the signature is not covered
        // by it), so framing alone takes the next bytes as its signature: only signature verification can reject
        // it. An intact frame starting within those 13 bytes is the one loss framing cannot avoid.
        var unavoidable = new HashSet<long>();
        uint markerId = 0;
        long signatureClaimEnd = -1;
        for (int i = 0; i < Mutated; i++)
        {
            var f = (byte[])real[r.Next(real.Length)].Clone();
            (byte[] Original, int Keep)? signedCut = null;
            switch (r.Next(6))
            {
                case 0: // 1 to 3 bit flips anywhere
                case 1:
                    for (int k = r.Next(1, 4); k > 0; k--) f[r.Next(f.Length)] ^= (byte)(1 << r.Next(8));
                    break;
                case 2: // byte replaced
                    f[r.Next(f.Length)] = (byte)r.Next(256);
                    break;
                case 3: // truncated
                    int keep = r.Next(1, f.Length);
                    if ((f[2] & MavlinkConstants.IncompatFlagSigned) != 0)
                    {
                        signedCut = (f, keep);
                        if (keep >= f.Length - MavlinkConstants.SignatureLength) signatureClaimEnd = stream.Position + f.Length;
                    }
                    f = f[..keep];
                    break;
                case 4: // length byte changed
                    f[1] = (byte)r.Next(256);
                    break;
                default: // garbage inserted inside
                    int at = r.Next(f.Length);
                    var g = new byte[r.Next(1, 8)];
                    r.NextBytes(g);
                    f = [.. f[..at], .. g, .. f[at..]];
                    break;
            }
            stream.Write(f);
            if (i % 4 == 0)
            {
                var marker = Marker(markerId);
                if (signedCut is var (orig, keep))
                {
                    // The cut frame plus the marker's first bytes still equal the original through its checksum
                    // (always when cut inside the signature; by coincidence when the cut checksum bytes match the
                    // marker's first bytes): a valid frame whose "signature" is the marker.
                    int crcEnd = orig.Length - MavlinkConstants.SignatureLength;
                    if (crcEnd > keep && crcEnd - keep <= marker.Length && marker.AsSpan(0, crcEnd - keep).SequenceEqual(orig.AsSpan(keep, crcEnd - keep)))
                        unavoidable.Add(markerId);
                }
                if (stream.Position < signatureClaimEnd) unavoidable.Add(markerId); // inside the claimed signature
                intactIds.Add(markerId++);
                stream.Write(marker);
            }
        }
        var (yielded, seen) = ParseInRandomChunks(stream.ToArray(), r, id => true);
        Assert.True(yielded > Mutated / 4);
        Assert.True(unavoidable.Count > 0);
        var lost = intactIds.Where(id => !seen.Contains(id)).ToList();
        // Other losses need an unverifiable (unknown id) candidate that ends exactly at a chunk end while the intact
        // frame inside it is still incomplete (the datagram rule accepts it): with chunks this small and this much
        // damage, a few in 10^5.
        int avoidable = lost.Count(id => !unavoidable.Contains(id));
        Assert.True(avoidable <= intactIds.Count / 5_000, $"lost {lost.Count} intact frames, {avoidable} not after a frame cut in its signature");

        // The same stream in one chunk: besides the unavoidable losses, only checksum coincidences of damaged
        // frames (about 1 in 65536 candidates) remain.
        var (_, seenWhole) = ParseInRandomChunks(stream.ToArray(), new Random(1), id => true, wholeStream: true);
        int avoidableWhole = intactIds.Count(id => !seenWhole.Contains(id) && !unavoidable.Contains(id));
        Assert.True(avoidableWhole <= intactIds.Count / 50_000, $"{avoidableWhole} avoidable losses in one chunk");
    }

    [Fact]
    public void Random_bytes_and_random_frame_shaped_garbage_never_yield_a_bad_crc()
    {
        var r = new Random(777);
        const int Blobs = 450_000;
        var stream = new MemoryStream();
        for (int i = 0; i < Blobs; i++)
        {
            var g = new byte[r.Next(1, 64)];
            r.NextBytes(g);
            if (r.Next(2) == 0) g[0] = r.Next(2) == 0 ? MavlinkConstants.StxV2 : MavlinkConstants.StxV1;
            if (g.Length > 2 && r.Next(2) == 0) g[2] = 0; // plausible incompat flags
            stream.Write(g);
        }
        var (yielded, _) = ParseInRandomChunks(stream.ToArray(), r, null);
        // Random candidates with a known id pass the 16-bit checksum about once in 65536 tries; unknown ids are
        // yielded (unverified) only when a start marker follows them.
        Assert.True(yielded < Blobs / 100, $"{yielded} frames from random bytes");
    }

    [Fact]
    public void Resync_after_garbage_bursts_recovers_the_following_frames()
    {
        var r = new Random(4242);
        const int Bursts = 20_000;
        var stream = new MemoryStream();
        var streamNoMarkers = new MemoryStream();
        uint id = 0;
        var expected = new HashSet<long>();
        for (int i = 0; i < Bursts; i++)
        {
            var g = new byte[r.Next(1, 300)];
            r.NextBytes(g);
            stream.Write(g);
            for (int k = 0; k < g.Length; k++) if (g[k] is MavlinkConstants.StxV1 or MavlinkConstants.StxV2) g[k] = 0x55;
            streamNoMarkers.Write(g);
            for (int k = 0; k < 3; k++)
            {
                var m = Marker(id);
                expected.Add(id++);
                stream.Write(m);
                streamNoMarkers.Write(m);
            }
        }
        // Garbage without start markers: nothing is lost at all.
        var (_, clean) = ParseInRandomChunks(streamNoMarkers.ToArray(), r, _ => true);
        Assert.Equal(expected.Count, clean.Count);
        // Garbage with start markers: a fake candidate can hide at most the frame it overlaps; frames after it are found.
        var (_, seen) = ParseInRandomChunks(stream.ToArray(), r, _ => true);
        int lost = expected.Count - seen.Count;
        Assert.True(lost <= Bursts / 100, $"lost {lost} frames after {Bursts} garbage bursts");
        // The third frame after every burst is always recovered.
        for (uint b = 0; b < Bursts; b++) Assert.Contains(3 * b + 2, seen);
    }
}
