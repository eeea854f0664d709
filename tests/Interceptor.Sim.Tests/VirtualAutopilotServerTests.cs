using System.Net;
using System.Net.Sockets;
using Interceptor.Mavlink;
using Interceptor.Mavlink.Messages;
using Interceptor.Sim.VirtualAutopilot;

namespace Interceptor.Sim.Tests;

/// <summary>The virtual autopilot on real loopback sockets (127.0.0.1, ephemeral ports, bounded waits).</summary>
public class VirtualAutopilotServerTests
{
    private static Socket BoundUdp()
    {
        var s = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        s.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        s.ReceiveTimeout = 2000;
        return s;
    }

    private static byte[] Frame<T>(MavlinkFrameWriter w, in T m) where T : struct, IMavlinkMessage<T>
    {
        var buf = new byte[MavlinkConstants.MaxFrameLength];
        int n = w.Write(buf, m);
        return buf[..n];
    }

    /// <summary>Reads every datagram already queued on <paramref name="s"/> (waiting up to 1 s for the first).</summary>
    private static List<(uint Id, byte[] Payload)> Drain(Socket s)
    {
        var list = new List<(uint, byte[])>();
        var parser = new MavlinkParser(false);
        var buf = new byte[65536];
        if (!s.Poll(1_000_000, SelectMode.SelectRead)) return list;
        while (s.Available > 0)
        {
            int n = s.Receive(buf);
            foreach (var f in parser.Parse(buf.AsSpan(0, n))) list.Add((f.MessageId, f.Payload.ToArray()));
        }
        return list;
    }

    [Fact]
    public async Task Px4_streams_to_the_initial_remote_then_latches_onto_the_first_sender()
    {
        using var initial = BoundUdp();
        using var client = BoundUdp();
        using var other = BoundUdp();
        await using var server = new VirtualAutopilotServer(new VirtualAutopilotOptions { Persona = VapPersona.Px4 },
            new VirtualAutopilotEndpoints { Px4LocalPort = 0, Px4InitialRemote = (IPEndPoint)initial.LocalEndPoint! });
        Assert.True(server.Started);
        server.Step(0.1);
        var before = Drain(initial);
        Assert.Contains(before, f => f.Id == AttitudeMessage.MavlinkMessageId);
        Assert.Contains(before, f => f.Id == HeartbeatMessage.MavlinkMessageId);

        var gcs = new MavlinkFrameWriter(255, 190);
        client.SendTo(Frame(gcs, new HeartbeatMessage { Type = 6, Autopilot = 8, SystemStatus = 4, MavlinkVersion = 3 }), server.LocalEndPoint);
        for (int i = 0; i < 2000 && !Equals(server.Remote, client.LocalEndPoint); i++) { server.Step(0.004); Thread.Sleep(1); }
        Assert.Equal(client.LocalEndPoint, server.Remote);
        Drain(initial);

        // A second sender does not take the link over.
        other.SendTo(Frame(new MavlinkFrameWriter(254, 190), new HeartbeatMessage { Type = 6, Autopilot = 8, MavlinkVersion = 3 }), server.LocalEndPoint);
        client.SendTo(Frame(gcs, new CommandLongMessage { Command = 176, Param1 = 1, Param2 = 6, TargetSystem = 1, TargetComponent = 1 }), server.LocalEndPoint);
        for (int i = 0; i < 2000 && server.Autopilot.FramesReceived < 3; i++) { server.Step(0.004); Thread.Sleep(1); }
        server.Step(0.05);
        Assert.Equal(client.LocalEndPoint, server.Remote);
        var after = Drain(client);
        var acks = after.Where(f => f.Id == CommandAckMessage.MavlinkMessageId).Select(f => CommandAckMessage.Decode(f.Payload)).ToList();
        Assert.Equal(2, acks.Count(a => a.Command == 176 && a.Result == 0));
        Assert.Equal(0x00060000u, server.Autopilot.CustomMode);
        Assert.False(initial.Poll(100_000, SelectMode.SelectRead));
    }

    [Fact]
    public async Task ArduCopter_waits_for_the_first_tcp_client_before_time_runs()
    {
        await using var server = new VirtualAutopilotServer(new VirtualAutopilotOptions { Persona = VapPersona.ArduPilot },
            new VirtualAutopilotEndpoints { ArduTcpPort = 0 });
        server.Step(1.0);
        Assert.False(server.Started);
        Assert.Equal(0, server.Autopilot.TimeS);

        using var tcp = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await tcp.ConnectAsync(server.LocalEndPoint).WaitAsync(TimeSpan.FromSeconds(5));
        await server.WaitStartedAsync().WaitAsync(TimeSpan.FromSeconds(5));
        server.Step(1.0);
        Assert.InRange(server.Autopilot.TimeS, 0.99, 1.01);

        var gcs = new MavlinkFrameWriter(255, 190);
        tcp.Send(Frame(gcs, new CommandLongMessage { Command = 176, Param1 = 1, Param2 = 4, TargetSystem = 1, TargetComponent = 1 }));
        for (int i = 0; i < 2000 && server.Autopilot.CustomMode != 4; i++) { server.Step(0.004); Thread.Sleep(1); }
        Assert.Equal(4u, server.Autopilot.CustomMode);

        var parser = new MavlinkParser(false);
        var buf = new byte[65536];
        var ids = new List<uint>();
        var acks = new List<CommandAckMessage>();
        tcp.ReceiveTimeout = 2000;
        for (int i = 0; i < 200 && acks.Count == 0; i++)
        {
            int n = tcp.Receive(buf);
            Assert.True(n > 0);
            foreach (var f in parser.Parse(buf.AsSpan(0, n)))
            {
                ids.Add(f.MessageId);
                Assert.Equal(1, f.SystemId);
                if (f.TryDecode(out CommandAckMessage a)) acks.Add(a);
            }
        }
        Assert.Contains(HeartbeatMessage.MavlinkMessageId, ids);
        Assert.Contains(GlobalPositionIntMessage.MavlinkMessageId, ids);
        Assert.Equal(176, acks[0].Command);
        Assert.Equal(0, acks[0].Result);
    }
}
