using System.Net;
using System.Net.Sockets;

namespace Interceptor.Mavlink.Transports;

/// <summary>UDP transport. In listen mode (<c>udp://:port</c>) it binds the port, remembers every peer that
/// sends to it and sends to all remembered peers from that same socket, so an autopilot that latches onto
/// the first sender address:port (PX4) sees one stable peer. In out mode (<c>udpout://host:port</c>) it sends
/// to one fixed remote from an ephemeral port and accepts whatever comes back on that port.
/// Receives reuse one <see cref="SocketAddress"/>; steady-state receive and send allocate nothing.</summary>
public sealed class UdpTransport : IMavlinkTransport
{
    /// <summary>Peers remembered in listen mode; the oldest is forgotten when a new one arrives at the limit.</summary>
    public const int MaxPeers = 16;

    private readonly Socket _socket;
    private readonly SocketAddress _receiveAddress;
    private readonly object _peersGate = new();
    private SocketAddress[] _peers = [];
    private readonly bool _listen;
    private int _disposed;

    public string Name { get; }
    public bool IsDatagram => true;
    public TransportCounters Counters { get; } = new();

    /// <summary>Local endpoint the socket is bound to (useful when port 0 was requested).</summary>
    public IPEndPoint LocalEndPoint => (IPEndPoint)_socket.LocalEndPoint!;

    /// <summary>Peers learned so far (listen mode) or the fixed remote (out mode).</summary>
    public IReadOnlyList<IPEndPoint> Peers
    {
        get
        {
            SocketAddress[] peers;
            lock (_peersGate) peers = _peers;
            var template = new IPEndPoint(IPAddress.Any, 0);
            return peers.Select(p => (IPEndPoint)template.Create(p)).ToArray();
        }
    }

    private UdpTransport(string name, Socket socket, bool listen, SocketAddress? fixedRemote)
    {
        Name = name;
        _socket = socket;
        _listen = listen;
        _receiveAddress = new SocketAddress(socket.AddressFamily);
        if (fixedRemote is not null) _peers = [fixedRemote];
    }

    /// <summary>Binds <paramref name="local"/> and listens; replies go to peers heard from.</summary>
    public static UdpTransport Listen(IPEndPoint local, string? name = null)
    {
        var socket = new Socket(local.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            socket.Bind(local);
            return new UdpTransport(name ?? $"udp://{local}", socket, listen: true, fixedRemote: null);
        }
        catch { socket.Dispose(); throw; }
    }

    /// <summary>Sends to <paramref name="remote"/> from an ephemeral port (bound on the matching wildcard address,
    /// or <paramref name="localBind"/> when given).</summary>
    public static UdpTransport Connect(IPEndPoint remote, IPEndPoint? localBind = null, string? name = null)
    {
        var socket = new Socket(remote.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            socket.Bind(localBind ?? new IPEndPoint(remote.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0));
            return new UdpTransport(name ?? $"udpout://{remote}", socket, listen: false, fixedRemote: remote.Serialize());
        }
        catch { socket.Dispose(); throw; }
    }

    public async ValueTask<int> ReceiveAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        while (true)
        {
            ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
            int n;
            try
            {
                n = await _socket.ReceiveFromAsync(buffer, SocketFlags.None, _receiveAddress, cancellationToken).ConfigureAwait(false);
            }
            catch (SocketException e) when (e.SocketErrorCode is SocketError.ConnectionReset or SocketError.ConnectionRefused or SocketError.MessageSize)
            {
                // ICMP unreachable from an earlier send, or an oversize datagram: survive it.
                Counters.ReceiveError();
                continue;
            }
            catch (SocketException) when (Volatile.Read(ref _disposed) != 0)
            {
                throw new ObjectDisposedException(Name);
            }
            if (n <= 0) continue;
            if (_listen) RememberPeer(_receiveAddress);
            Counters.Received(n);
            return n;
        }
    }

    private void RememberPeer(SocketAddress from)
    {
        var peers = Volatile.Read(ref _peers);
        foreach (var p in peers) if (p.Equals(from)) return;
        lock (_peersGate)
        {
            foreach (var p in _peers) if (p.Equals(from)) return;
            var copy = new SocketAddress(from.Family, from.Size);
            from.Buffer.Span[..from.Size].CopyTo(copy.Buffer.Span);
            var next = _peers.Length < MaxPeers ? new SocketAddress[_peers.Length + 1] : new SocketAddress[_peers.Length];
            int keep = next.Length - 1;
            Array.Copy(_peers, _peers.Length - keep, next, 0, keep);
            next[^1] = copy;
            Volatile.Write(ref _peers, next);
        }
    }

    public async ValueTask SendAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        var peers = Volatile.Read(ref _peers);
        if (peers.Length == 0) { Counters.Dropped(); return; }
        foreach (var peer in peers)
        {
            try
            {
                int sent = await _socket.SendToAsync(data, SocketFlags.None, peer, cancellationToken).ConfigureAwait(false);
                Counters.Sent(sent);
            }
            catch (SocketException)
            {
                // Unreachable peer or full buffer: UDP is best effort; count it and carry on.
                Counters.Dropped();
            }
        }
    }

    public ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0) _socket.Dispose();
        return ValueTask.CompletedTask;
    }
}
