using System.Net;
using System.Net.Sockets;
using BenchmarkDotNet.Attributes;
using Interceptor.Mavlink.Messages;
using Interceptor.Mavlink.Node;
using Interceptor.Mavlink.Routing;
using Interceptor.Mavlink.Tlog;
using Interceptor.Mavlink.Transports;

namespace Interceptor.Benchmarks;

/// <summary>MAVLink I/O paths of the setpoint stream: node encode + UDP send, router forwarding into a node's
/// typed subscription, tlog append.
/// dotnet run -c Release --project tests/Interceptor.Benchmarks -- --filter '*MavlinkIo*' --job short</summary>
[MemoryDiagnoser]
public class MavlinkIoBenchmarks
{
    private Socket _sink = null!;
    private MavlinkLink _udpLink = null!;
    private MavlinkNode _udpNode = null!;
    private MavlinkRouter _router = null!;
    private MavlinkNode _sender = null!, _receiver = null!;
    private MavlinkSubscription<SetPositionTargetLocalNedMessage> _sub = null!;
    private TlogWriter _tlog = null!;
    private readonly byte[] _frame = new byte[Interceptor.Mavlink.MavlinkConstants.MaxFrameLength];
    private int _frameLength;
    private SetPositionTargetLocalNedMessage _setpoint;

    [GlobalSetup]
    public void Setup()
    {
        _sink = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        _sink.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _udpLink = new MavlinkLink(UdpTransport.Connect((IPEndPoint)_sink.LocalEndPoint!)).Start();
        _udpNode = new MavlinkNode(_udpLink);
        _router = new MavlinkRouter();
        _sender = new MavlinkNode(_router.CreateLocalChannel("sender"), new MavlinkNodeOptions { SystemId = 1, ComponentId = 1 });
        _receiver = new MavlinkNode(_router.CreateLocalChannel("receiver"));
        _sub = _receiver.Subscribe<SetPositionTargetLocalNedMessage>(capacity: 1024);
        _setpoint = new SetPositionTargetLocalNedMessage
        {
            TargetSystem = 1, TargetComponent = 1, CoordinateFrame = 1, TypeMask = 3135, Afx = -2f, Afy = 0.5f, Afz = 0.1f, Vx = 4f,
        };
        _tlog = new TlogWriter(Stream.Null);
        _frameLength = new Interceptor.Mavlink.MavlinkFrameWriter(1, 1).Write(_frame, _setpoint);
    }

    /// <summary>Encode a setpoint and hand it to the UDP socket (awaited).</summary>
    [Benchmark]
    public ValueTask NodeSendOverUdp() => _udpNode.SendAsync(_setpoint);

    /// <summary>Encode, route through the router, decode into the other node's bounded subscription.</summary>
    [Benchmark]
    public bool RouteToSubscriber()
    {
        bool ok = _sender.TrySend(_setpoint);
        while (_sub.Reader.TryRead(out _)) { }
        return ok;
    }

    /// <summary>Append one frame to a tlog.</summary>
    [Benchmark]
    public void TlogAppend() => _tlog.Write(1_700_000_000_000_000, _frame.AsSpan(0, _frameLength));

    [GlobalCleanup]
    public void Cleanup()
    {
        _sub.Dispose();
        _udpNode.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _udpLink.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _sender.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _receiver.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _router.Dispose();
        _sink.Dispose();
    }
}
