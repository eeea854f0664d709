using Interceptor.Mavlink;
using Interceptor.Mavlink.Messages;
using Interceptor.Mavlink.Tlog;
using Interceptor.Sim.VirtualAutopilot;

namespace Interceptor.Sim.Tests;

/// <summary>One decoded-enough frame: time [s], message id, payload copy.</summary>
internal sealed record CapturedFrame(double TimeS, uint MessageId, byte SystemId, byte ComponentId, byte[] Payload, byte[] Raw)
{
    public T Decode<T>() where T : struct, IMavlinkMessage<T>
    {
        Assert.Equal(T.MessageId, MessageId);
        Assert.True(T.TryDecode(Payload, out var m));
        return m;
    }
}

/// <summary>Collects what a virtual autopilot emits, stamped with its simulated time.</summary>
internal sealed class CollectingSink : IVapFrameSink
{
    private readonly MavlinkParser _parser = new(acceptUnknownMessages: false);
    public VirtualAutopilot.VirtualAutopilot? Autopilot { get; set; }
    public List<CapturedFrame> Frames { get; } = [];

    public void Send(ReadOnlySpan<byte> frame)
    {
        double t = Autopilot?.TimeS ?? 0;
        foreach (var f in _parser.Parse(frame))
            Frames.Add(new CapturedFrame(t, f.MessageId, f.SystemId, f.ComponentId, f.Payload.ToArray(), f.Raw.ToArray()));
    }

    public IEnumerable<T> All<T>() where T : struct, IMavlinkMessage<T> =>
        Frames.Where(f => f.MessageId == T.MessageId).Select(f => f.Decode<T>());
}

/// <summary>A captured session split into the client's frames (to replay) and the autopilot's frames (to compare).</summary>
internal sealed class CaptureSession
{
    public List<CapturedFrame> FromAutopilot { get; } = [];
    public List<CapturedFrame> ToAutopilot { get; } = [];
    public double DurationS { get; private set; }

    /// <summary>Reads a datagram-record or .chunks capture; times are seconds from the first record.</summary>
    public static CaptureSession Load(string path)
    {
        var s = new CaptureSession();
        using var reader = CaptureReader.Open(path);
        var parsers = new[] { new MavlinkParser(false), new MavlinkParser(false) };
        long t0 = -1;
        while (reader.TryRead(out var rec))
        {
            if (t0 < 0) t0 = rec.TimestampUs;
            double t = (rec.TimestampUs - t0) * 1e-6;
            int dir = rec.Direction == CaptureDirection.ToAutopilot ? 1 : 0;
            foreach (var f in parsers[dir].Parse(rec.Bytes.Span))
            {
                var cf = new CapturedFrame(t, f.MessageId, f.SystemId, f.ComponentId, f.Payload.ToArray(), f.Raw.ToArray());
                (dir == 1 ? s.ToAutopilot : s.FromAutopilot).Add(cf);
            }
            s.DurationS = t;
        }
        return s;
    }

    /// <summary>Replays the client's frames into <paramref name="ap"/> at their capture times (lockstep) until
    /// <paramref name="endS"/>.</summary>
    public void Replay(VirtualAutopilot.VirtualAutopilot ap, double endS)
    {
        foreach (var f in ToAutopilot)
        {
            if (f.TimeS > endS) break;
            if (f.TimeS > ap.TimeS) ap.Step(f.TimeS - ap.TimeS);
            ap.Receive(f.Raw);
        }
        if (endS > ap.TimeS) ap.Step(endS - ap.TimeS);
    }
}

/// <summary>A minimal ground station that writes frames straight into a virtual autopilot.</summary>
internal sealed class TestGcs(VirtualAutopilot.VirtualAutopilot ap)
{
    private readonly MavlinkFrameWriter _w = new(255, 190);
    private readonly byte[] _buf = new byte[MavlinkConstants.MaxFrameLength];

    public void Send<T>(in T m) where T : struct, IMavlinkMessage<T>
    {
        int n = _w.Write(_buf, m);
        ap.Receive(_buf.AsSpan(0, n));
    }

    public void Command(ushort command, float p1 = 0, float p2 = 0, float p3 = 0, float p4 = 0, float p5 = 0, float p6 = 0, float p7 = 0) =>
        Send(new CommandLongMessage { Command = command, Param1 = p1, Param2 = p2, Param3 = p3, Param4 = p4, Param5 = p5, Param6 = p6, Param7 = p7, TargetSystem = 1, TargetComponent = 1 });

    public void Setpoint(byte frame, ushort mask, float x = 0, float y = 0, float z = 0, float vx = 0, float vy = 0, float vz = 0, float ax = 0, float ay = 0, float az = 0, float yaw = 0, float yawRate = 0) =>
        Send(new SetPositionTargetLocalNedMessage
        {
            CoordinateFrame = frame, TypeMask = mask, X = x, Y = y, Z = z, Vx = vx, Vy = vy, Vz = vz, Afx = ax, Afy = ay, Afz = az,
            Yaw = yaw, YawRate = yawRate, TargetSystem = 1, TargetComponent = 1,
        });

    /// <summary>Streams a setpoint at <paramref name="rateHz"/> for <paramref name="durationS"/> seconds.</summary>
    public void Stream(double durationS, double rateHz, Action send)
    {
        double end = ap.TimeS + durationS;
        while (ap.TimeS < end - 1e-9)
        {
            send();
            ap.Step(Math.Min(1.0 / rateHz, end - ap.TimeS));
        }
    }
}
