using System.Net;
using System.Net.Sockets;

namespace Interceptor.Mavlink.Transports;

/// <summary>Backoff between reconnection attempts: starts at <see cref="Initial"/>, doubles per failure up to
/// <see cref="Max"/>, resets after a successful connection.</summary>
public sealed record ReconnectBackoff(TimeSpan Initial, TimeSpan Max)
{
    public static ReconnectBackoff Default { get; } = new(TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(2));

    public TimeSpan Next(TimeSpan previous) =>
        previous <= TimeSpan.Zero ? Initial : TimeSpan.FromTicks(Math.Min(Max.Ticks, previous.Ticks * 2));
}

/// <summary>TCP client (<c>tcp://host:port</c>, e.g. ArduPilot SITL on 5760). Connects on the first receive,
/// reconnects with backoff whenever the connection drops; sends while disconnected are dropped and counted.</summary>
public sealed class TcpClientTransport : IMavlinkTransport
{
    private readonly string _host;
    private readonly int _port;
    private readonly ReconnectBackoff _backoff;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly CancellationTokenSource _disposeCts = new();
    private Socket? _socket;
    private TimeSpan _delay;
    private int _disposed;

    public string Name { get; }
    public bool IsDatagram => false;
    public TransportCounters Counters { get; } = new();
    /// <summary>True while a connection is up.</summary>
    public bool IsConnected => Volatile.Read(ref _socket) is not null;

    /// <summary>Raised (on the receive path) after each successful connection, with the connection count.</summary>
    public event Action<long>? ConnectionEstablished;

    public TcpClientTransport(string host, int port, ReconnectBackoff? backoff = null, TimeProvider? timeProvider = null, string? name = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(host);
        ArgumentOutOfRangeException.ThrowIfLessThan(port, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(port, 65535);
        _host = host;
        _port = port;
        _backoff = backoff ?? ReconnectBackoff.Default;
        _time = timeProvider ?? TimeProvider.System;
        Name = name ?? $"tcp://{host}:{port}";
    }

    public async ValueTask<int> ReceiveAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _disposeCts.Token);
        var ct = linked.Token;
        while (true)
        {
            ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
            var socket = Volatile.Read(ref _socket) ?? await ConnectAsync(ct).ConfigureAwait(false);
            int n;
            try
            {
                n = await socket.ReceiveAsync(buffer, SocketFlags.None, ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (Volatile.Read(ref _disposed) != 0)
            {
                throw new ObjectDisposedException(Name);
            }
            catch (SocketException)
            {
                n = 0;
            }
            catch (ObjectDisposedException) when (Volatile.Read(ref _disposed) == 0)
            {
                n = 0;
            }
            if (n > 0) { Counters.Received(n); return n; }
            DropConnection(socket);
        }
    }

    private async ValueTask<Socket> ConnectAsync(CancellationToken ct)
    {
        while (true)
        {
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(_host, _port, ct).ConfigureAwait(false);
                _delay = TimeSpan.Zero;
                Volatile.Write(ref _socket, socket);
                Counters.Connected();
                ConnectionEstablished?.Invoke(Counters.Connects);
                return socket;
            }
            catch (SocketException)
            {
                socket.Dispose();
            }
            catch
            {
                socket.Dispose();
                if (Volatile.Read(ref _disposed) != 0) throw new ObjectDisposedException(Name);
                throw;
            }
            _delay = _backoff.Next(_delay);
            try
            {
                await Task.Delay(_delay, _time, ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (Volatile.Read(ref _disposed) != 0)
            {
                throw new ObjectDisposedException(Name);
            }
        }
    }

    private void DropConnection(Socket socket)
    {
        if (Interlocked.CompareExchange(ref _socket, null, socket) == socket)
        {
            Counters.Disconnected();
            socket.Dispose();
        }
    }

    public async ValueTask SendAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        var socket = Volatile.Read(ref _socket);
        if (socket is null) { Counters.Dropped(); return; }
        await _sendLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            int off = 0;
            while (off < data.Length)
                off += await socket.SendAsync(data[off..], SocketFlags.None, cancellationToken).ConfigureAwait(false);
            Counters.Sent(data.Length);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            Counters.Dropped();
            DropConnection(socket);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    public ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return ValueTask.CompletedTask;
        _disposeCts.Cancel();
        Interlocked.Exchange(ref _socket, null)?.Dispose();
        return ValueTask.CompletedTask;
    }
}
