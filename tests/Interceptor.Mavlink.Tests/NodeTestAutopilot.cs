using System.Net;
using Interceptor.Mavlink.Messages;
using Interceptor.Mavlink.Node;
using Interceptor.Mavlink.Transports;

namespace Interceptor.Mavlink.Tests;

/// <summary>A TimeProvider whose timestamps run ahead of another's by a fixed offset (a peer with another boot clock).</summary>
internal sealed class OffsetTimeProvider(TimeProvider inner, TimeSpan offset) : TimeProvider
{
    public override long TimestampFrequency => inner.TimestampFrequency;
    public override long GetTimestamp() => inner.GetTimestamp() + (long)(offset.TotalSeconds * inner.TimestampFrequency);
    public override DateTimeOffset GetUtcNow() => inner.GetUtcNow();
    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
        inner.CreateTimer(callback, state, dueTime, period);
}

/// <summary>A scripted autopilot (1/1, PX4 quadrotor) built on MavlinkNode over loopback UDP, for node tests.
/// Command rules: DO_SET_MODE -> ACCEPTED twice (as PX4); COMPONENT_ARM_DISARM -> IN_PROGRESS twice then ACCEPTED;
/// NAV_TAKEOFF answered only from confirmation 2 on; NAV_LAND -> DENIED; DO_REPOSITION (COMMAND_INT) -> ACCEPTED;
/// SET_MESSAGE_INTERVAL -> ACCEPTED (recorded); MAV_CMD_DO_MOTOR_TEST never answered.
/// Params: N float params P000.. with value = index; LIMITED clamps to 10; list replies skip <see cref="SkipInList"/>.</summary>
internal sealed class NodeTestAutopilot : IAsyncDisposable
{
    public readonly MavlinkLink Link;
    public readonly MavlinkNode Node;
    public readonly List<CommandLongMessage> CommandsSeen = new();
    public readonly List<CommandIntMessage> CommandIntsSeen = new();
    public readonly Dictionary<string, (float Value, ushort Index)> Params = new();
    public readonly HashSet<int> SkipInList = new();
    public int ListRequests, ReadRequests;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _tasks = new();

    private NodeTestAutopilot(MavlinkLink link, MavlinkNode node, int paramCount)
    {
        Link = link; Node = node;
        for (int i = 0; i < paramCount; i++) Params[$"P{i:000}"] = (i, (ushort)i);
        Params["LIMITED"] = (5, (ushort)paramCount);
    }

    public IPEndPoint EndPoint => ((UdpTransport)Link.Transport).LocalEndPoint;
    public MavlinkAddress Address => Node.Address;

    public static NodeTestAutopilot Start(TimeProvider? time = null, int paramCount = 40)
    {
        var link = new MavlinkLink(UdpTransport.Listen(new IPEndPoint(IPAddress.Loopback, 0)), time).Start();
        var node = new MavlinkNode(link, new MavlinkNodeOptions
        {
            SystemId = 1, ComponentId = 1, Type = MavType.Quadrotor, Autopilot = MavAutopilot.Px4,
            HeartbeatPeriod = TimeSpan.FromMilliseconds(100), TimesyncPeriod = TimeSpan.Zero,
        }).Start();
        var ap = new NodeTestAutopilot(link, node, paramCount);
        ap._tasks.Add(ap.CommandsAsync());
        ap._tasks.Add(ap.CommandIntsAsync());
        ap._tasks.Add(ap.ParamsAsync());
        return ap;
    }

    private async Task CommandsAsync()
    {
        using var sub = Node.Subscribe<CommandLongMessage>(256);
        await foreach (var m in sub.ReadAllAsync(_stop.Token))
        {
            var c = m.Message;
            lock (CommandsSeen) CommandsSeen.Add(c);
            switch (c.CommandEnum)
            {
                case MavCmd.DoSetMode:
                    await Ack(m, MavResult.Accepted);
                    await Task.Delay(30);
                    await Ack(m, MavResult.Accepted);
                    break;
                case MavCmd.ComponentArmDisarm:
                    await Ack(m, MavResult.InProgress, 10);
                    await Task.Delay(20);
                    await Ack(m, MavResult.InProgress, 60);
                    await Task.Delay(20);
                    await Ack(m, MavResult.Accepted, 100);
                    break;
                case MavCmd.NavTakeoff:
                    if (c.Confirmation >= 2) await Ack(m, MavResult.Accepted);
                    break;
                case MavCmd.NavLand: await Ack(m, MavResult.Denied); break;
                case MavCmd.SetMessageInterval: await Ack(m, MavResult.Accepted); break;
            }
        }
    }

    private async Task CommandIntsAsync()
    {
        using var sub = Node.Subscribe<CommandIntMessage>(64);
        await foreach (var m in sub.ReadAllAsync(_stop.Token))
        {
            lock (CommandIntsSeen) CommandIntsSeen.Add(m.Message);
            await Node.SendAsync(new CommandAckMessage
            {
                Command = m.Message.Command, ResultEnum = MavResult.Accepted, TargetSystem = m.SystemId, TargetComponent = m.ComponentId,
            });
        }
    }

    private ValueTask Ack<T>(MavlinkReceived<T> m, MavResult result, byte progress = 0) where T : struct =>
        Node.SendAsync(new CommandAckMessage
        {
            Command = m.Message is CommandLongMessage cl ? cl.Command : (ushort)0,
            ResultEnum = result, Progress = progress, TargetSystem = m.SystemId, TargetComponent = m.ComponentId,
        });

    private async Task ParamsAsync()
    {
        using var list = Node.Subscribe<ParamRequestListMessage>(16);
        using var read = Node.Subscribe<ParamRequestReadMessage>(1024);
        using var set = Node.Subscribe<ParamSetMessage>(64);
        var ct = _stop.Token;
        Task<bool> l = list.Reader.WaitToReadAsync(ct).AsTask(), r = read.Reader.WaitToReadAsync(ct).AsTask(), s = set.Reader.WaitToReadAsync(ct).AsTask();
        while (!ct.IsCancellationRequested)
        {
            await Task.WhenAny(l, r, s);
            while (list.Reader.TryRead(out _))
            {
                Interlocked.Increment(ref ListRequests);
                foreach (var (name, (value, index)) in Params.OrderBy(p => p.Value.Index))
                    if (!SkipInList.Contains(index)) await SendParam(name);
            }
            while (read.Reader.TryRead(out var rq))
            {
                Interlocked.Increment(ref ReadRequests);
                string? name = rq.Message.ParamIndex >= 0
                    ? Params.FirstOrDefault(p => p.Value.Index == rq.Message.ParamIndex).Key
                    : rq.Message.ParamId.ToString();
                if (name is not null && Params.ContainsKey(name)) await SendParam(name);
            }
            while (set.Reader.TryRead(out var st))
            {
                string name = st.Message.ParamId.ToString();
                if (!Params.TryGetValue(name, out var p)) continue;
                float v = name == "LIMITED" ? Math.Min(st.Message.ParamValue, 10f) : st.Message.ParamValue;
                Params[name] = (v, p.Index);
                await SendParam(name);
            }
            if (l.IsCompleted) l = list.Reader.WaitToReadAsync(ct).AsTask();
            if (r.IsCompleted) r = read.Reader.WaitToReadAsync(ct).AsTask();
            if (s.IsCompleted) s = set.Reader.WaitToReadAsync(ct).AsTask();
        }
    }

    private ValueTask SendParam(string name)
    {
        var (value, index) = Params[name];
        return Node.SendAsync(new ParamValueMessage
        {
            ParamId = CharArray16.FromString(name), ParamValue = value, ParamTypeEnum = MavParamType.Real32,
            ParamIndex = index, ParamCount = (ushort)Params.Count,
        });
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        try { await Task.WhenAll(_tasks).WaitAsync(TimeSpan.FromSeconds(5)); } catch { }
        await Node.DisposeAsync();
        await Link.DisposeAsync();
    }
}
