using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Interceptor.Mavlink.Transports;

namespace Interceptor.Mavlink.Tests;

public class TransportTests
{
    private static CancellationToken Timeout(int seconds = 10) => new CancellationTokenSource(TimeSpan.FromSeconds(seconds)).Token;

    [Fact]
    public async Task UdpListenLearnsPeerAndRepliesFromTheBoundSocket()
    {
        var ct = Timeout();
        await using var server = UdpTransport.Listen(new IPEndPoint(IPAddress.Loopback, 0));
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        client.Bind(new IPEndPoint(IPAddress.Loopback, 0));

        // Before any peer is heard, a send has nowhere to go.
        await server.SendAsync(new byte[] { 9 }, ct);
        Assert.Equal(1, server.Counters.SendsDropped);

        await client.SendToAsync(new byte[] { 1, 2, 3 }, SocketFlags.None, server.LocalEndPoint, ct);
        var buffer = new byte[300];
        int n = await server.ReceiveAsync(buffer, ct);
        Assert.Equal(new byte[] { 1, 2, 3 }, buffer[..n]);
        Assert.Equal([(IPEndPoint)client.LocalEndPoint!], server.Peers);

        await server.SendAsync(new byte[] { 4, 5 }, ct);
        var from = new IPEndPoint(IPAddress.Any, 0);
        var r = await client.ReceiveFromAsync(buffer, SocketFlags.None, from, ct);
        Assert.Equal(new byte[] { 4, 5 }, buffer[..r.ReceivedBytes]);
        // The reply comes from the listening port itself (PX4 latches onto that address:port).
        Assert.Equal(server.LocalEndPoint, (IPEndPoint)r.RemoteEndPoint);
        Assert.Equal(2, server.Counters.BytesSent);
    }

    [Fact]
    public async Task UdpListenRemembersEveryPeerOnce()
    {
        var ct = Timeout();
        await using var server = UdpTransport.Listen(new IPEndPoint(IPAddress.Loopback, 0));
        using var a = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        using var b = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        a.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        b.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var buffer = new byte[64];
        foreach (var s in new[] { a, b, a, a })
        {
            await s.SendToAsync(new byte[] { 7 }, SocketFlags.None, server.LocalEndPoint, ct);
            await server.ReceiveAsync(buffer, ct);
        }
        Assert.Equal(2, server.Peers.Count);
        await server.SendAsync(new byte[] { 8 }, ct);
        Assert.Equal(1, (await a.ReceiveAsync(buffer, ct)));
        Assert.Equal(1, (await b.ReceiveAsync(buffer, ct)));
        Assert.Equal(4, server.Counters.Receives);
    }

    [Fact]
    public async Task UdpOutTalksToListenerBothWays()
    {
        var ct = Timeout();
        await using var server = UdpTransport.Listen(new IPEndPoint(IPAddress.Loopback, 0));
        await using var client = await MavlinkTransport.OpenAsync($"udpout://127.0.0.1:{server.LocalEndPoint.Port}", cancellationToken: ct);
        Assert.True(client.IsDatagram);
        await client.SendAsync(new byte[] { 0xFD, 1 }, ct);
        var buffer = new byte[64];
        Assert.Equal(2, await server.ReceiveAsync(buffer, ct));
        await server.SendAsync(new byte[] { 0xFE, 2, 3 }, ct);
        Assert.Equal(3, await client.ReceiveAsync(buffer, ct));
        Assert.Equal(new byte[] { 0xFE, 2, 3 }, buffer[..3]);
    }

    [Fact]
    public async Task UdpReceiveHonoursCancellation()
    {
        await using var server = UdpTransport.Listen(new IPEndPoint(IPAddress.Loopback, 0));
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(50));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await server.ReceiveAsync(new byte[16], cts.Token));
    }

    [Fact]
    public async Task OpeningABusyUdpPortFails()
    {
        await using var first = UdpTransport.Listen(new IPEndPoint(IPAddress.Loopback, 0));
        await Assert.ThrowsAsync<SocketException>(async () =>
            await MavlinkTransport.OpenAsync($"udp://127.0.0.1:{first.LocalEndPoint.Port}"));
    }

    [Fact]
    public async Task TcpClientReconnectsAfterTheServerDropsIt()
    {
        var ct = Timeout();
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        await using var client = new TcpClientTransport("127.0.0.1", port, new ReconnectBackoff(TimeSpan.FromMilliseconds(10), TimeSpan.FromMilliseconds(40)));
        var buffer = new byte[64];

        // Sending before a connection exists is dropped, never blocks.
        await client.SendAsync(new byte[] { 1 }, ct);
        Assert.Equal(1, client.Counters.SendsDropped);

        var receive = client.ReceiveAsync(buffer, ct).AsTask();
        using (var conn1 = await listener.AcceptSocketAsync(ct))
        {
            await conn1.SendAsync(new byte[] { 10, 11 }, SocketFlags.None, ct);
            Assert.Equal(2, await receive);
            Assert.True(client.IsConnected);
            await client.SendAsync(new byte[] { 20, 21, 22 }, ct);
            Assert.Equal(3, await conn1.ReceiveAsync(buffer, SocketFlags.None, ct));
            conn1.Shutdown(SocketShutdown.Both);
        }
        receive = client.ReceiveAsync(buffer, ct).AsTask();
        using var conn2 = await listener.AcceptSocketAsync(ct);
        await conn2.SendAsync(new byte[] { 30 }, SocketFlags.None, ct);
        Assert.Equal(1, await receive);
        Assert.Equal(30, buffer[0]);
        Assert.Equal(2, client.Counters.Connects);
        Assert.Equal(1, client.Counters.Disconnects);
    }

    [Fact]
    public async Task TcpClientKeepsRetryingUntilAServerAppears()
    {
        var ct = Timeout();
        // Reserve a port, then close it so the first attempts are refused.
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        int port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        await using var client = new TcpClientTransport("127.0.0.1", port, new ReconnectBackoff(TimeSpan.FromMilliseconds(20), TimeSpan.FromMilliseconds(50)));
        var buffer = new byte[8];
        var receive = client.ReceiveAsync(buffer, ct).AsTask();
        await Task.Delay(150, ct);
        Assert.False(receive.IsCompleted);
        using var listener = new TcpListener(IPAddress.Loopback, port);
        listener.Start();
        using var conn = await listener.AcceptSocketAsync(ct);
        await conn.SendAsync(new byte[] { 42 }, SocketFlags.None, ct);
        Assert.Equal(1, await receive);
        Assert.Equal(42, buffer[0]);
    }

    [Fact]
    public async Task TcpDisposeEndsAPendingReceive()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        int port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        var client = new TcpClientTransport("127.0.0.1", port);
        var receive = client.ReceiveAsync(new byte[8], Timeout()).AsTask();
        await Task.Delay(50);
        await client.DisposeAsync();
        await Assert.ThrowsAsync<ObjectDisposedException>(() => receive);
    }

    [Fact]
    public async Task SerialOverAPseudoTerminalMovesBytesBothWays()
    {
        if (!OperatingSystem.IsLinux()) return;
        var ct = Timeout();
        int master = Pty.posix_openpt(0x2 | 0x100);
        Assert.True(master >= 0, "posix_openpt failed");
        try
        {
            Assert.Equal(0, Pty.grantpt(master));
            Assert.Equal(0, Pty.unlockpt(master));
            var name = new byte[128];
            Assert.Equal(0, Pty.ptsname_r(master, name, name.Length));
            string path = System.Text.Encoding.ASCII.GetString(name, 0, Array.IndexOf(name, (byte)0));

            await using var serial = await MavlinkTransport.OpenAsync($"serial://{path}:921600", cancellationToken: ct);
            Assert.False(serial.IsDatagram);
            var payload = Enumerable.Range(0, 200).Select(i => (byte)i).ToArray();
            Assert.Equal(payload.Length, (int)Pty.write(master, payload, payload.Length));
            var got = new List<byte>();
            var buffer = new byte[512];
            while (got.Count < payload.Length) got.AddRange(buffer[..await serial.ReceiveAsync(buffer, ct)]);
            Assert.Equal(payload, got); // raw mode: no byte translated (0x0D, 0x11, 0x13 pass through)

            await serial.SendAsync(new byte[] { 0xFD, 0x0A, 0x0D, 0x03 }, ct);
            var back = new byte[16];
            var tmp = new byte[16];
            int n = 0;
            for (int i = 0; i < 100 && n < 4; i++)
            {
                int r = (int)Pty.read(master, tmp, tmp.Length);
                if (r > 0) { Array.Copy(tmp, 0, back, n, Math.Min(r, back.Length - n)); n += r; }
            }
            Assert.Equal(new byte[] { 0xFD, 0x0A, 0x0D, 0x03 }, back[..4]);

            // A pending read notices cancellation within the 100 ms VTIME poll.
            using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));
            await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await serial.ReceiveAsync(buffer, cts.Token));
        }
        finally { Pty.close(master); }
    }

    [Fact]
    public async Task SerialOpenOfAMissingDeviceNamesIt()
    {
        if (!OperatingSystem.IsLinux()) return;
        var e = await Assert.ThrowsAsync<IOException>(async () => await MavlinkTransport.OpenAsync("serial:///dev/does-not-exist-mavio:57600"));
        Assert.Contains("/dev/does-not-exist-mavio", e.Message);
    }

    private static class Pty
    {
        [DllImport("libc", SetLastError = true)] public static extern int posix_openpt(int flags);
        [DllImport("libc", SetLastError = true)] public static extern int grantpt(int fd);
        [DllImport("libc", SetLastError = true)] public static extern int unlockpt(int fd);
        [DllImport("libc", SetLastError = true)] public static extern int ptsname_r(int fd, byte[] buf, nint len);
        [DllImport("libc", SetLastError = true)] public static extern nint write(int fd, byte[] buf, nint count);
        [DllImport("libc", SetLastError = true)] public static extern nint read(int fd, byte[] buf, nint count);
        [DllImport("libc", SetLastError = true)] public static extern int close(int fd);
    }
}
