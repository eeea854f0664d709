using System.Net;
using System.Net.Sockets;

namespace Interceptor.Sim.ClosedLoop;

/// <summary>Two UDP sockets on 127.0.0.1 wired to each other: the stack's end (the role of PX4's offboard
/// port 14540: bound, replying from the same socket) and the autopilot's end (PX4's 14580). Ephemeral ports,
/// so parallel runs never collide. For lockstep the receiver drains what the sender has sent: each side
/// counts datagrams, and a drain waits (bounded) until every datagram sent so far has arrived, so a run is
/// deterministic however the kernel schedules loopback delivery. <see cref="Cut"/> drops traffic both ways
/// (radio link loss). Sends and receives are span-based and allocate nothing.</summary>
internal sealed class LoopbackPair : IDisposable
{
    private readonly Socket _stack, _autopilot, _pilot;
    private readonly SocketAddress _stackAddress;
    private long _sentToStack, _sentToAutopilot, _receivedByStack, _receivedByAutopilot;

    public LoopbackPair()
    {
        _stack = Bind();
        _autopilot = Bind();
        _pilot = Bind();
        // The stack's socket is connected to the autopilot's; the autopilot's is not connected (it hears the
        // pilot's ground station too) and replies to the stack's address.
        _stack.Connect(_autopilot.LocalEndPoint!);
        _pilot.Connect(_autopilot.LocalEndPoint!);
        _stackAddress = _stack.LocalEndPoint!.Serialize();
    }

    private static Socket Bind()
    {
        var s = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        s.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        s.ReceiveBufferSize = 1 << 20;
        return s;
    }

    public IPEndPoint StackEndPoint => (IPEndPoint)_stack.LocalEndPoint!;
    public IPEndPoint AutopilotEndPoint => (IPEndPoint)_autopilot.LocalEndPoint!;

    /// <summary>While true every datagram in either direction is dropped before it reaches the socket.</summary>
    public bool Cut { get; set; }
    public long DatagramsToAutopilot => _sentToAutopilot;
    public long DatagramsToStack => _sentToStack;
    public long BytesToAutopilot { get; private set; }
    public long BytesToStack { get; private set; }

    public void SendToAutopilot(ReadOnlySpan<byte> frame)
    {
        if (Cut) return;
        _stack.Send(frame);
        _sentToAutopilot++;
        BytesToAutopilot += frame.Length;
    }

    public void SendToStack(ReadOnlySpan<byte> frame)
    {
        if (Cut) return;
        _autopilot.SendTo(frame, SocketFlags.None, _stackAddress);
        _sentToStack++;
        BytesToStack += frame.Length;
    }

    /// <summary>A second ground station (the pilot) sends to the autopilot from its own socket.</summary>
    public void PilotSendToAutopilot(ReadOnlySpan<byte> frame)
    {
        _pilot.Send(frame);
        _sentToAutopilot++;
    }

    /// <summary>Receives one datagram for the stack into <paramref name="buffer"/>; 0 when all sent have arrived.</summary>
    public int ReceiveForStack(Span<byte> buffer) => Receive(_stack, buffer, ref _receivedByStack, _sentToStack);

    public int ReceiveForAutopilot(Span<byte> buffer) => Receive(_autopilot, buffer, ref _receivedByAutopilot, _sentToAutopilot);

    private static int Receive(Socket s, Span<byte> buffer, ref long received, long sent)
    {
        if (received >= sent) return 0;
        if (s.Available == 0)
        {
            // Loopback delivery normally completes inside send(); wait (bounded) if the kernel is behind.
            if (!s.Poll(1_000_000, SelectMode.SelectRead))
                throw new TimeoutException($"loopback datagram {received + 1} of {sent} did not arrive within 1 s");
        }
        int n = s.Receive(buffer);
        received++;
        return n;
    }

    public void Dispose()
    {
        _stack.Dispose();
        _autopilot.Dispose();
        _pilot.Dispose();
    }
}
