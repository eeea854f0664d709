using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using BenchmarkDotNet.Attributes;
using Interceptor.Mavlink;
using Interceptor.Mavlink.Messages;
using Interceptor.Mavlink.Signing;

namespace Interceptor.Benchmarks;

/// <summary>MAVLink codec throughput on the real PX4 capture (29,977 autopilot frames, one operation = the whole
/// stream) and encode throughput (one operation = 1000 frames).
/// Run: dotnet run -c Release --project tests/Interceptor.Benchmarks -- --filter '*MavlinkCodec*' --job short --inProcess
/// MB/s = capture bytes / Mean; msgs/s = 29,977 / Mean.</summary>
[MemoryDiagnoser]
public class MavlinkCodecBenchmarks
{
    private byte[] _px4Stream = [];
    private byte[] _signedStream = [];
    private int _px4Frames;
    private readonly MavlinkParser _parser = new();
    private readonly byte[] _frameBuffer = new byte[MavlinkConstants.MaxFrameLength];
    private MavlinkFrameWriter _writer = null!;
    private MavlinkFrameWriter _signedWriter = null!;
    private MavlinkSignatureVerifier _verifier = null!;
    private readonly byte[] _payloadBuffer = new byte[MavlinkConstants.MaxPayloadLength];

    private static string SharedDir([CallerFilePath] string thisFile = "")
    {
        if (Environment.GetEnvironmentVariable("INTERCEPTOR_SHARED") is { Length: > 0 } s) return s;
        // tests/Interceptor.Benchmarks/<this file> -> repository root -> ../shared
        return Path.GetFullPath(Path.Combine(Path.GetDirectoryName(thisFile)!, "..", "..", "..", "shared"));
    }

    [GlobalSetup]
    public void Setup()
    {
        // PX4 record format: u8 direction, u64 time, u32 length, datagram. Keep the autopilot's frames as one stream.
        var data = File.ReadAllBytes(Path.Combine(SharedDir(), "captures", "px4-sih-offboard-session.bin"));
        var stream = new MemoryStream();
        for (int i = 0; i < data.Length;)
        {
            int len = (int)BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan(i + 9));
            if (data[i] == 0) { stream.Write(data, i + 13, len); _px4Frames++; }
            i += 13 + len;
        }
        _px4Stream = stream.ToArray();
        _signedStream = File.ReadAllBytes(Path.Combine(SharedDir(), "captures", "arducopter-guided-session-signed.bin"));
        _writer = new MavlinkFrameWriter(255, 190);
        var key = MavlinkSigningKey.FromPassphrase("arducopter-sitl-test");
        _signedWriter = new MavlinkFrameWriter(255, 190, MavlinkVersion.V2, new MavlinkSigner(key, 5, TimeProvider.System));
        _verifier = new MavlinkSignatureVerifier(MavlinkSigningPolicy.SignedOnly, key);
        if (ParsePx4() != _px4Frames) throw new InvalidOperationException("parser lost frames");
    }

    /// <summary>Frames of the PX4 capture, fed as 4 KiB reads (frames split across reads).</summary>
    [Benchmark]
    public int ParsePx4()
    {
        int n = 0;
        var s = _px4Stream.AsSpan();
        for (int pos = 0; pos < s.Length; pos += 4096)
            foreach (var f in _parser.Parse(s.Slice(pos, Math.Min(4096, s.Length - pos))))
                n += f.PayloadLength > 0 ? 1 : 0;
        return n;
    }

    /// <summary>Parse and decode the common telemetry messages into structs.</summary>
    [Benchmark]
    public double ParseAndDecodePx4()
    {
        double sum = 0;
        var s = _px4Stream.AsSpan();
        for (int pos = 0; pos < s.Length; pos += 4096)
            foreach (var f in _parser.Parse(s.Slice(pos, Math.Min(4096, s.Length - pos))))
            {
                switch (f.MessageId)
                {
                    case AttitudeMessage.MavlinkMessageId: sum += AttitudeMessage.Decode(f.Payload).Roll; break;
                    case AttitudeQuaternionMessage.MavlinkMessageId: sum += AttitudeQuaternionMessage.Decode(f.Payload).Q1; break;
                    case GlobalPositionIntMessage.MavlinkMessageId: sum += GlobalPositionIntMessage.Decode(f.Payload).RelativeAlt; break;
                    case HighresImuMessage.MavlinkMessageId: sum += HighresImuMessage.Decode(f.Payload).Zacc; break;
                    case OdometryMessage.MavlinkMessageId: sum += OdometryMessage.Decode(f.Payload).Z; break;
                    case LocalPositionNedMessage.MavlinkMessageId: sum += LocalPositionNedMessage.Decode(f.Payload).Z; break;
                }
            }
        return sum;
    }

    /// <summary>1000 SET_POSITION_TARGET_LOCAL_NED frames: encode, truncate, checksum.</summary>
    [Benchmark]
    public int Encode1000SetpointFrames()
    {
        int total = 0;
        var sp = new SetPositionTargetLocalNedMessage { TargetSystem = 1, TargetComponent = 1, CoordinateFrame = 1, TypeMask = 3527 };
        for (int i = 0; i < 1000; i++)
        {
            sp.TimeBootMs = (uint)i;
            sp.Vx = i * 0.01f;
            total += _writer.Write(_frameBuffer, sp);
        }
        return total;
    }

    /// <summary>1000 signed HEARTBEAT frames (SHA-256 per frame).</summary>
    [Benchmark]
    public int Encode1000SignedHeartbeats()
    {
        int total = 0;
        var hb = new HeartbeatMessage { Type = 6, Autopilot = 8, SystemStatus = 4, MavlinkVersion = 3 };
        for (int i = 0; i < 1000; i++) total += _signedWriter.Write(_frameBuffer, hb);
        return total;
    }

    /// <summary>Decode then re-encode ODOMETRY payload 1000 times (struct codec only, no framing).</summary>
    [Benchmark]
    public int DecodeEncode1000Odometry()
    {
        int total = 0;
        var p = _payloadBuffer.AsSpan(0, OdometryMessage.MavlinkMaxLength);
        for (int i = 0; i < 1000; i++) total += OdometryMessage.Decode(p).Encode(p);
        return total;
    }

    /// <summary>Parse the signed ArduPilot stream (2,852 frames) and check every signature (replays after the first pass).</summary>
    [Benchmark]
    public int ParseAndVerifySignedArduPilot()
    {
        int n = 0;
        foreach (var f in _parser.Parse(_signedStream))
            if (MavlinkSignatureVerifier.IsAccepted(_verifier.Check(f)) || f.IsSigned) n++;
        return n;
    }
}
