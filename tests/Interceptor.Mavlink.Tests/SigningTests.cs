using System.Security.Cryptography;
using System.Text;
using Interceptor.Mavlink.Messages;
using Interceptor.Mavlink.Signing;

namespace Interceptor.Mavlink.Tests;

public class SigningTests
{
    private const string KeyHex = "71c2152b9701d317934ae3ab5be6ad966fa83978a606df07632e47baeed9d899";
    private static readonly MavlinkSigningKey Key = MavlinkSigningKey.FromPassphrase("arducopter-sitl-test");

    private sealed class SettableClock(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;
        public override DateTimeOffset GetUtcNow() => Now;
    }

    private static List<byte[]> SignedFrames(string file) =>
        CaptureData.ParseAll(new MavlinkParser(), CaptureData.Bytes(file));

    [Fact]
    public void Key_from_passphrase_equals_the_readme_hex()
    {
        Assert.Equal(Convert.FromHexString(KeyHex), Key.Bytes.ToArray());
        Assert.Equal(Key.Bytes.ToArray(), MavlinkSigningKey.FromHex(KeyHex.ToUpperInvariant()).Bytes.ToArray());
        Assert.DoesNotContain("71c2", Key.ToString(), StringComparison.OrdinalIgnoreCase);
        Assert.Throws<FormatException>(() => MavlinkSigningKey.FromHex(KeyHex[..62]));
        Assert.Throws<FormatException>(() => MavlinkSigningKey.FromHex(KeyHex[..62] + "zz"));
    }

    [Fact]
    public void Timestamps_count_10us_units_since_2015()
    {
        Assert.Equal(0ul, MavlinkSignature.TimestampFrom(new DateTimeOffset(2015, 1, 1, 0, 0, 0, TimeSpan.Zero)));
        Assert.Equal(100_000ul, MavlinkSignature.TimestampFrom(new DateTimeOffset(2015, 1, 1, 0, 0, 1, TimeSpan.Zero)));
        Assert.Equal(0ul, MavlinkSignature.TimestampFrom(new DateTimeOffset(2014, 1, 1, 0, 0, 0, TimeSpan.Zero)));
        var t = new DateTimeOffset(2026, 11, 21, 12, 0, 0, TimeSpan.Zero);
        Assert.Equal(t, MavlinkSignature.TimeOf(MavlinkSignature.TimestampFrom(t)));
    }

    [Theory]
    [InlineData("arducopter-guided-session-signed.bin", 2_852, 1, 1, 1)]
    [InlineData("arducopter-guided-session-signed.gcs2ap.bin", 92, 255, 190, 5)]
    public void Every_frame_of_the_signed_capture_verifies_under_signed_only(string file, int frames, int sys, int comp, int link)
    {
        var all = SignedFrames(file);
        Assert.Equal(frames, all.Count);
        var v = new MavlinkSignatureVerifier(MavlinkSigningPolicy.SignedOnly, MavlinkSigningKey.FromHex(KeyHex));
        foreach (var raw in all)
        {
            MavlinkFrame.Check(raw, out var f, out _);
            Assert.True(f.IsSigned);
            Assert.Equal((sys, comp, link), (f.SystemId, f.ComponentId, f.SignatureLinkId));
            Assert.True(MavlinkSignature.Verify(Key.Bytes, f));
            Assert.Equal(MavlinkSignatureVerdict.AcceptedSigned, v.Check(f));
        }
        Assert.Equal(frames, v.Count(MavlinkSignatureVerdict.AcceptedSigned));
        Assert.Equal(0, v.RejectedTotal);

        // Replaying the whole session into the same verifier: every frame is a replay.
        foreach (var raw in all)
        {
            MavlinkFrame.Check(raw, out var f, out _);
            Assert.Equal(MavlinkSignatureVerdict.RejectedReplay, v.Check(f));
        }
        Assert.Equal(frames, v.Count(MavlinkSignatureVerdict.RejectedReplay));
    }

    [Fact]
    public void Signature_matches_sha256_over_key_frame_link_and_timestamp()
    {
        // Independent recomputation for the first ArduPilot frame.
        var raw = SignedFrames("arducopter-guided-session-signed.bin")[0];
        MavlinkFrame.Check(raw, out var f, out _);
        int n = f.LengthWithoutSignature;
        byte[] input = [.. Key.Bytes, .. raw[..n], .. raw[n..(n + 7)]]; // link id + 6 timestamp bytes
        Assert.Equal(SHA256.HashData(input)[..6], f.SignatureValue.ToArray());
        Assert.Equal(n + 13, raw.Length);
        Assert.Equal(MavlinkConstants.IncompatFlagSigned, f.IncompatFlags);
    }

    [Fact]
    public void Mutated_frames_with_a_fixed_checksum_are_rejected()
    {
        var raw = SignedFrames("arducopter-guided-session-signed.bin")[10];
        MavlinkFrame.Check(raw, out var orig, out _);
        var info = orig.Info!;
        int hl = orig.HeaderLength, pl = orig.PayloadLength;
        int cases = 0;
        for (int pos = 1; pos < raw.Length; pos++)
        {
            if (pos == 2) continue; // incompat flags: changes the frame length
            if (pos == 1) continue; // length: changes the layout
            if (pos >= hl + pl && pos < hl + pl + 2) continue; // checksum bytes themselves
            var m = (byte[])raw.Clone();
            m[pos] ^= 0x20;
            // Repair the checksum so that only the signature can catch it.
            ushort crc = MavlinkCrc.Compute(m.AsSpan(1, hl - 1 + pl), info.CrcExtra);
            if (pos < hl + pl) { m[hl + pl] = (byte)crc; m[hl + pl + 1] = (byte)(crc >> 8); }
            if (pos >= 7 && pos <= 9) continue; // message id changed: a different message's CRC_EXTRA
            Assert.Equal(MavlinkFrameCheck.Ok, MavlinkFrame.Check(m, out var f, out _));
            var v = new MavlinkSignatureVerifier(MavlinkSigningPolicy.SignedOnly, Key);
            Assert.Equal(MavlinkSignatureVerdict.RejectedBadSignature, v.Check(f));
            cases++;
        }
        Assert.True(cases > 20);
    }

    [Fact]
    public void Unsigned_frames_are_rejected_under_signed_only_except_allowed_ids()
    {
        var unsigned = SignedFrames("arducopter-guided-session.bin");
        var strict = new MavlinkSignatureVerifier(MavlinkSigningPolicy.SignedOnly, Key);
        var allowHeartbeat = new MavlinkSignatureVerifier(MavlinkSigningPolicy.SignedOnly, Key, [HeartbeatMessage.MavlinkMessageId]);
        var permissive = new MavlinkSignatureVerifier(MavlinkSigningPolicy.VerifyIfSigned, Key);
        foreach (var raw in unsigned)
        {
            MavlinkFrame.Check(raw, out var f, out _);
            Assert.Equal(MavlinkSignatureVerdict.RejectedUnsigned, strict.Check(f));
            var expected = f.MessageId == 0 ? MavlinkSignatureVerdict.AcceptedUnsigned : MavlinkSignatureVerdict.RejectedUnsigned;
            Assert.Equal(expected, allowHeartbeat.Check(f));
            Assert.Equal(MavlinkSignatureVerdict.AcceptedUnsigned, permissive.Check(f));
        }
        Assert.Equal(7_219, strict.Count(MavlinkSignatureVerdict.RejectedUnsigned));
        Assert.Equal(59, allowHeartbeat.Count(MavlinkSignatureVerdict.AcceptedUnsigned));
        Assert.Equal(7_219 - 59, allowHeartbeat.RejectedTotal);
    }

    [Fact]
    public void Signed_only_without_a_key_fails_closed()
    {
        var v = new MavlinkSignatureVerifier(MavlinkSigningPolicy.SignedOnly, key: null);
        foreach (var raw in SignedFrames("arducopter-guided-session-signed.gcs2ap.bin"))
        {
            MavlinkFrame.Check(raw, out var f, out _);
            Assert.Equal(MavlinkSignatureVerdict.RejectedNoKey, v.Check(f));
        }
        foreach (var raw in SignedFrames("arducopter-guided-session.gcs2ap.bin"))
        {
            MavlinkFrame.Check(raw, out var f, out _);
            Assert.Equal(MavlinkSignatureVerdict.RejectedUnsigned, v.Check(f));
        }
        Assert.Equal(92, v.Count(MavlinkSignatureVerdict.RejectedNoKey));
        Assert.Equal(426, v.Count(MavlinkSignatureVerdict.RejectedUnsigned));
        Assert.Equal(0, v.Count(MavlinkSignatureVerdict.AcceptedSigned) + v.Count(MavlinkSignatureVerdict.AcceptedUnsigned));

        var wrongKey = new MavlinkSignatureVerifier(MavlinkSigningPolicy.SignedOnly, MavlinkSigningKey.FromPassphrase("not the key"));
        MavlinkFrame.Check(SignedFrames("arducopter-guided-session-signed.bin")[0], out var first, out _);
        Assert.Equal(MavlinkSignatureVerdict.RejectedBadSignature, wrongKey.Check(first));
    }

    [Fact]
    public void ArduPilot_lagging_clock_is_accepted_by_default_and_stale_streams_rejected_when_bounded()
    {
        var frames = SignedFrames("arducopter-guided-session-signed.bin");
        MavlinkFrame.Check(frames[0], out var first, out _);
        // Our clock one hour ahead of the capture.
        var clock = new SettableClock(MavlinkSignature.TimeOf(first.SignatureTimestamp).AddHours(1));
        var lenient = new MavlinkSignatureVerifier(MavlinkSigningPolicy.SignedOnly, Key, time: clock);
        Assert.Equal(MavlinkSignatureVerdict.AcceptedSigned, lenient.Check(first));
        var bounded = new MavlinkSignatureVerifier(MavlinkSigningPolicy.SignedOnly, Key, time: clock, maxNewStreamAge: TimeSpan.FromMinutes(1));
        Assert.Equal(MavlinkSignatureVerdict.RejectedStale, bounded.Check(first));
        clock.Now = MavlinkSignature.TimeOf(first.SignatureTimestamp).AddSeconds(30);
        Assert.Equal(MavlinkSignatureVerdict.AcceptedSigned, bounded.Check(first));
        // Once a stream is established, lag behind our clock is not held against it.
        clock.Now = clock.Now.AddHours(5);
        MavlinkFrame.Check(frames[1], out var second, out _);
        Assert.Equal(MavlinkSignatureVerdict.AcceptedSigned, bounded.Check(second));
    }

    [Fact]
    public void Writer_signs_frames_that_verify_and_timestamps_strictly_increase()
    {
        var clock = new SettableClock(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var signer = new MavlinkSigner(Key, linkId: 7, clock);
        var w = new MavlinkFrameWriter(255, 190, MavlinkVersion.V2, signer);
        var v = new MavlinkSignatureVerifier(MavlinkSigningPolicy.SignedOnly, MavlinkSigningKey.FromHex(KeyHex));
        var buf = new byte[MavlinkConstants.MaxFrameLength];
        ulong last = 0;
        ulong start = MavlinkSignature.TimestampFrom(clock.Now);
        for (int i = 0; i < 50; i++)
        {
            if (i == 20) clock.Now = clock.Now.AddSeconds(-10); // clock steps back
            if (i == 40) clock.Now = clock.Now.AddSeconds(60);  // and forward again
            int n = w.Write(buf, new HeartbeatMessage { TypeEnum = MavType.Gcs, MavlinkVersion = 3 });
            Assert.Equal(MavlinkFrameCheck.Ok, MavlinkFrame.Check(buf.AsSpan(0, n), out var f, out _));
            Assert.True(f.IsSigned);
            Assert.Equal(7, f.SignatureLinkId);
            Assert.True(f.SignatureTimestamp > last);
            if (i < 40) Assert.Equal(start + (ulong)i, f.SignatureTimestamp); // stalled/backward clock: last + 1
            else Assert.Equal(MavlinkSignature.TimestampFrom(clock.Now) + (ulong)(i - 40), f.SignatureTimestamp);
            last = f.SignatureTimestamp;
            Assert.Equal(MavlinkSignatureVerdict.AcceptedSigned, v.Check(f));
        }
        // A signer seeded with a persisted timestamp never goes below it.
        var seeded = new MavlinkSigner(Key, 7, clock, initialTimestamp: last + 1000);
        Assert.Equal(last + 1001, seeded.NextTimestamp());
        Assert.Throws<ArgumentException>(() => new MavlinkFrameWriter(1, 1, MavlinkVersion.V1, signer));
    }

    [Fact]
    public void Key_file_must_not_be_group_or_world_accessible()
    {
        if (OperatingSystem.IsWindows()) return; // unix file modes only
        string dir = Path.Combine(Path.GetTempPath(), "mavkey-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            string hexFile = Path.Combine(dir, "key.hex");
            File.WriteAllText(hexFile, KeyHex + "\n", Encoding.ASCII);
            File.SetUnixFileMode(hexFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            Assert.Equal(Key.Bytes.ToArray(), MavlinkSigningKey.FromFile(hexFile).Bytes.ToArray());

            string rawFile = Path.Combine(dir, "key.bin");
            File.WriteAllBytes(rawFile, Key.Bytes.ToArray());
            File.SetUnixFileMode(rawFile, UnixFileMode.UserRead);
            Assert.Equal(Key.Bytes.ToArray(), MavlinkSigningKey.FromFile(rawFile).Bytes.ToArray());

            foreach (var loose in new[] { UnixFileMode.OtherRead, UnixFileMode.GroupRead, UnixFileMode.OtherWrite })
            {
                File.SetUnixFileMode(hexFile, UnixFileMode.UserRead | UnixFileMode.UserWrite | loose);
                var e = Assert.Throws<UnauthorizedAccessException>(() => MavlinkSigningKey.FromFile(hexFile));
                Assert.Contains(hexFile, e.Message, StringComparison.Ordinal);
            }

            string bad = Path.Combine(dir, "bad.txt");
            File.WriteAllText(bad, "not a key");
            File.SetUnixFileMode(bad, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            Assert.Throws<FormatException>(() => MavlinkSigningKey.FromFile(bad));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
