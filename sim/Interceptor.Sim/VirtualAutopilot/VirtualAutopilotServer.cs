using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Interceptor.Core;

namespace Interceptor.Sim.VirtualAutopilot;

/// <summary>Network endpoints of a <see cref="VirtualAutopilotServer"/>.</summary>
public sealed record VirtualAutopilotEndpoints
{
    /// <summary>Address every socket binds (loopback by default).</summary>
    public IPAddress BindAddress { get; init; } = IPAddress.Loopback;
    /// <summary>PX4: local UDP port the autopilot sends from (PX4 offboard link: 14580; 0 = ephemeral).</summary>
    public int Px4LocalPort { get; init; } = 14580;
    /// <summary>PX4: where it sends until the first client datagram arrives (PX4: 127.0.0.1:14540). After that it
    /// latches onto the first sender's address and port.</summary>
    public IPEndPoint Px4InitialRemote { get; init; } = new(IPAddress.Loopback, 14540);
    /// <summary>ArduPilot: TCP server port (SITL SERIAL0: 5760; 0 = ephemeral).</summary>
    public int ArduTcpPort { get; init; } = 5760;
    /// <summary>ArduPilot: optional extra UDP output (e.g. 127.0.0.1:14550, like SITL's --out); null = none.</summary>
    public IPEndPoint? ArduUdpOut { get; init; }

    /// <summary>Defaults with the persona's usual port replaced by <paramref name="port"/> when given.</summary>
    public static VirtualAutopilotEndpoints For(VapPersona persona, int? port = null) => port is null ? new()
        : persona == VapPersona.Px4 ? new() { Px4LocalPort = port.Value } : new() { ArduTcpPort = port.Value };
}

/// <summary>Runs a <see cref="VirtualAutopilot"/> on real sockets, either in lockstep (the caller advances time with
/// <see cref="Step"/>, as fast as the CPU allows) or in real time (<see cref="RunAsync"/>, optionally sped up).
/// PX4 persona: one UDP socket bound to the local port, sending to the initial remote until the first datagram
/// arrives, then latched onto that sender. ArduPilot persona: a TCP server; simulated time does not start until
/// the first client connects (as ArduPilot SITL); the latest connection is the one served.</summary>
public sealed class VirtualAutopilotServer : IAsyncDisposable, IVapFrameSink
{
    private readonly VirtualAutopilot _ap;
    private readonly VirtualAutopilotEndpoints _ep;
    private readonly ConcurrentQueue<byte[]?> _inbound = new();
    private readonly CancellationTokenSource _cts = new();
    private readonly Socket? _udp;
    private readonly Socket? _tcpListener;
    private readonly Socket? _udpOut;
    private readonly List<Task> _tasks = [];
    private readonly object _sendGate = new();
    private volatile EndPoint? _udpRemote;
    private volatile bool _latched;
    private volatile Socket? _tcpClient;
    private readonly TaskCompletionSource _firstClient = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _framesSent, _sendErrors;
    private int _disposed;

    public VirtualAutopilotServer(VirtualAutopilotOptions options, VirtualAutopilotEndpoints? endpoints = null)
    {
        _ap = new VirtualAutopilot(options, this);
        _ep = endpoints ?? new VirtualAutopilotEndpoints();
        try
        {
            if (options.Persona == VapPersona.Px4)
            {
                _udp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
                _udp.Bind(new IPEndPoint(_ep.BindAddress, _ep.Px4LocalPort));
                _udpRemote = _ep.Px4InitialRemote;
                _firstClient.TrySetResult(); // PX4 streams from boot
                _tasks.Add(Task.Run(() => UdpReceiveLoop(_udp, latch: true)));
            }
            else
            {
                _tcpListener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                _tcpListener.Bind(new IPEndPoint(_ep.BindAddress, _ep.ArduTcpPort));
                _tcpListener.Listen(4);
                _tasks.Add(Task.Run(AcceptLoop));
                if (_ep.ArduUdpOut is { } outEp)
                {
                    _udpOut = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
                    _udpOut.Bind(new IPEndPoint(_ep.BindAddress, 0));
                    _tasks.Add(Task.Run(() => UdpReceiveLoop(_udpOut, latch: false)));
                }
            }
        }
        catch
        {
            _udp?.Dispose(); _tcpListener?.Dispose(); _udpOut?.Dispose();
            throw;
        }
    }

    /// <summary>The autopilot (read its state between steps, from the stepping thread).</summary>
    public VirtualAutopilot Autopilot => _ap;
    /// <summary>PX4: the UDP endpoint it sends from. ArduPilot: the TCP endpoint it listens on.</summary>
    public IPEndPoint LocalEndPoint => (IPEndPoint)(_udp?.LocalEndPoint ?? _tcpListener!.LocalEndPoint!);
    /// <summary>PX4: where frames currently go (the latched peer once a client has spoken).</summary>
    public EndPoint? Remote => _udpRemote;
    /// <summary>True once simulated time may run (PX4: always; ArduPilot: after the first TCP client connected).</summary>
    public bool Started => _firstClient.Task.IsCompleted;
    public long FramesSent => Interlocked.Read(ref _framesSent);
    public long SendErrors => Interlocked.Read(ref _sendErrors);

    /// <summary>Completes when simulated time may run (see <see cref="Started"/>).</summary>
    public Task WaitStartedAsync(CancellationToken cancellationToken = default) => _firstClient.Task.WaitAsync(cancellationToken);

    /// <summary>Lockstep: handles everything received so far, then advances simulated time by <paramref name="dtS"/>
    /// (nothing moves before <see cref="Started"/>). Call from one thread.</summary>
    public void Step(double dtS)
    {
        DrainInbound();
        if (!Started) return;
        _ap.Step(dtS);
    }

    /// <summary>Handles everything received so far without advancing time.</summary>
    public void DrainInbound()
    {
        while (_inbound.TryDequeue(out var chunk))
        {
            if (chunk is null) { _ap.ResetReceiveStream(); continue; }
            _ap.Receive(chunk);
        }
    }

    /// <summary>Real time: steps the autopilot against <paramref name="timeProvider"/> (system clock by default),
    /// <paramref name="speedup"/> simulated seconds per second, until cancelled.</summary>
    public async Task RunAsync(double speedup = 1.0, TimeProvider? timeProvider = null, CancellationToken cancellationToken = default)
    {
        if (!(speedup > 0 && speedup <= 10000)) throw new ValidationException($"VirtualAutopilot.Speedup = {speedup}: must be in (0, 10000]");
        var clock = timeProvider ?? TimeProvider.System;
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _cts.Token);
        var ct = linked.Token;
        await WaitStartedAsync(ct).ConfigureAwait(false);
        long start = clock.GetTimestamp();
        double simAtStart = _ap.TimeS;
        while (!ct.IsCancellationRequested)
        {
            double wallS = clock.GetElapsedTime(start).TotalSeconds;
            double target = simAtStart + wallS * speedup;
            double lag = target - _ap.TimeS;
            if (lag > 1.0 * speedup) { simAtStart += lag - 0.1; lag = 0.1; } // fell behind (debugger, overload): don't spiral
            DrainInbound();
            if (lag > 0) _ap.Step(lag);
            try { await Task.Delay(TimeSpan.FromMilliseconds(1), clock, ct).ConfigureAwait(false); }
            catch (OperationCanceledException) { break; }
        }
    }

    void IVapFrameSink.Send(ReadOnlySpan<byte> frame)
    {
        try
        {
            if (_udp is not null)
            {
                var remote = _udpRemote;
                if (remote is null) return;
                _udp.SendTo(frame, SocketFlags.None, remote);
            }
            else
            {
                var c = _tcpClient;
                if (c is not null)
                {
                    lock (_sendGate) c.Send(frame, SocketFlags.None);
                }
                if (_udpOut is not null && _ep.ArduUdpOut is { } o) _udpOut.SendTo(frame, SocketFlags.None, o);
            }
            Interlocked.Increment(ref _framesSent);
        }
        catch (SocketException) { Interlocked.Increment(ref _sendErrors); }
        catch (ObjectDisposedException) { Interlocked.Increment(ref _sendErrors); }
    }

    private async Task UdpReceiveLoop(Socket socket, bool latch)
    {
        var buffer = new byte[65536];
        EndPoint any = new IPEndPoint(IPAddress.Any, 0);
        var ct = _cts.Token;
        while (!ct.IsCancellationRequested)
        {
            SocketReceiveFromResult r;
            try { r = await socket.ReceiveFromAsync(buffer, SocketFlags.None, any, ct).ConfigureAwait(false); }
            catch (OperationCanceledException) { return; }
            catch (ObjectDisposedException) { return; }
            catch (SocketException e) when (e.SocketErrorCode is SocketError.ConnectionReset or SocketError.ConnectionRefused or SocketError.MessageSize) { continue; }
            catch (SocketException) { return; }
            if (r.ReceivedBytes <= 0) continue;
            if (latch && !_latched) { _udpRemote = r.RemoteEndPoint; _latched = true; } // PX4 latches onto the first sender
            _inbound.Enqueue(buffer.AsSpan(0, r.ReceivedBytes).ToArray());
        }
    }

    private async Task AcceptLoop()
    {
        var ct = _cts.Token;
        while (!ct.IsCancellationRequested)
        {
            Socket client;
            try { client = await _tcpListener!.AcceptAsync(ct).ConfigureAwait(false); }
            catch (OperationCanceledException) { return; }
            catch (ObjectDisposedException) { return; }
            catch (SocketException) { return; }
            client.NoDelay = true;
            var old = Interlocked.Exchange(ref _tcpClientField, client);
            old?.Dispose();
            _tcpClient = client;
            _inbound.Enqueue(null); // new byte stream: reset the parser
            _firstClient.TrySetResult();
            _tasks.Add(Task.Run(() => TcpReceiveLoop(client)));
        }
    }

    private Socket? _tcpClientField;

    private async Task TcpReceiveLoop(Socket client)
    {
        var buffer = new byte[8192];
        var ct = _cts.Token;
        while (!ct.IsCancellationRequested)
        {
            int n;
            try { n = await client.ReceiveAsync(buffer, SocketFlags.None, ct).ConfigureAwait(false); }
            catch (OperationCanceledException) { return; }
            catch (ObjectDisposedException) { return; }
            catch (SocketException) { n = 0; }
            if (n <= 0)
            {
                if (ReferenceEquals(_tcpClient, client)) _tcpClient = null;
                client.Dispose();
                return;
            }
            _inbound.Enqueue(buffer.AsSpan(0, n).ToArray());
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        _cts.Cancel();
        _udp?.Dispose(); _tcpListener?.Dispose(); _udpOut?.Dispose(); _tcpClient?.Dispose(); _tcpClientField?.Dispose();
        try { await Task.WhenAll(_tasks.ToArray()).WaitAsync(TimeSpan.FromSeconds(2)).ConfigureAwait(false); }
        catch (Exception) { /* loops end on disposal; nothing to report */ }
        _cts.Dispose();
    }
}
