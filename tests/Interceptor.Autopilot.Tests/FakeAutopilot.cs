using Interceptor.Autopilot;
using Interceptor.Core;
using Interceptor.Mavlink;
using Interceptor.Mavlink.Messages;

namespace Interceptor.Autopilot.Tests;

/// <summary>A scripted autopilot for session tests: records every frame the session sends (with the session time),
/// and injects autopilot frames (system 1, component 1) built from the generated messages. Time is manual.</summary>
internal sealed class FakeAutopilot : IFrameSink
{
    private readonly MavlinkFrameWriter _writer = new(1, 1);
    private readonly byte[] _buffer = new byte[MavlinkConstants.MaxFrameLength];

    public FakeAutopilot(AutopilotKind kind, VehicleSessionOptions? options = null)
    {
        Time = new ManualTimeProvider();
        Session = new VehicleSession((options ?? new VehicleSessionOptions()) with { Autopilot = kind }, this, Time);
        Kind = kind;
    }

    public AutopilotKind Kind { get; }
    public ManualTimeProvider Time { get; }
    public VehicleSession Session { get; }
    public List<(double TimeS, byte[] Frame)> Sent { get; } = new();
    public uint CustomMode { get; set; }
    public bool Armed { get; set; }
    public uint BootMs => (uint)(5000 + Session.NowS * 1000);

    public void Send(ReadOnlySpan<byte> frame) => Sent.Add((Session.NowS, frame.ToArray()));

    public void Inject<T>(in T message, byte systemId = 1, byte componentId = 1) where T : struct, IMavlinkMessage<T>
    {
        var writer = systemId == 1 && componentId == 1 ? _writer : new MavlinkFrameWriter(systemId, componentId);
        int n = writer.Write(_buffer, message);
        Assert.Equal(MavlinkFrameCheck.Ok, MavlinkFrame.Check(_buffer.AsSpan(0, n), out var frame, out _));
        Session.Handle(frame);
    }

    public void Heartbeat() => Inject(new HeartbeatMessage
    {
        Type = 2, Autopilot = (byte)(Kind == AutopilotKind.Px4 ? 12 : 3), CustomMode = CustomMode,
        BaseMode = (byte)(1 | (Armed ? 128 : 0)), SystemStatus = (byte)(Armed ? 4 : 3), MavlinkVersion = 3,
    });

    public void Position(Vector3d posNed, Vector3d velNed = default) => Inject(new LocalPositionNedMessage
    {
        TimeBootMs = BootMs, X = (float)posNed.X, Y = (float)posNed.Y, Z = (float)posNed.Z,
        Vx = (float)velNed.X, Vy = (float)velNed.Y, Vz = (float)velNed.Z,
    });

    public void Home() => Inject(new HomePositionMessage { Latitude = 473977434, Longitude = 85455943, Altitude = 489400 });

    public void Ack(ushort command, byte result = 0) => Inject(new CommandAckMessage { Command = command, Result = result, TargetSystem = 255, TargetComponent = 190 });

    /// <summary>Advances time in steps of <paramref name="stepS"/>, ticking the session, sending a heartbeat each
    /// second and a position every step (the vehicle at <paramref name="posNed"/>).</summary>
    public void Run(double seconds, Vector3d posNed, double stepS = 0.01)
    {
        int n = (int)Math.Round(seconds / stepS);
        for (int i = 0; i < n; i++)
        {
            double before = Session.NowS;
            Time.AdvanceSeconds(stepS);
            if (Math.Floor(Session.NowS) != Math.Floor(before)) Heartbeat();
            Position(posNed);
            Session.Tick();
        }
    }

    public void Connect(Vector3d posNed)
    {
        Heartbeat();
        Position(posNed);
        Home();
        Session.Tick();
    }

    /// <summary>Frames of message <typeparamref name="T"/> sent at or after <paramref name="fromS"/>.</summary>
    public List<(double TimeS, T Message)> SentOf<T>(double fromS = double.NegativeInfinity) where T : struct, IMavlinkMessage<T>
    {
        var list = new List<(double, T)>();
        foreach (var (t, bytes) in Sent)
        {
            if (t < fromS) continue;
            Assert.Equal(MavlinkFrameCheck.Ok, MavlinkFrame.Check(bytes, out var frame, out _));
            if (frame.MessageId == T.MessageId && frame.TryDecode(out T m)) list.Add((t, m));
        }
        return list;
    }

    /// <summary>The result of an operation that must have completed (operations complete inside Handle/Tick).</summary>
    public static OperationResult Done(Task<OperationResult> task)
    {
        Assert.True(task.IsCompleted, "operation still pending");
        return task.GetAwaiter().GetResult();
    }

    public List<CommandLongMessage> Commands(ushort command) =>
        SentOf<CommandLongMessage>().Select(x => x.Message).Where(c => c.Command == command).ToList();
}
