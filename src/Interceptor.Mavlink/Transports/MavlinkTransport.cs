using System.Net;
using System.Net.Sockets;

namespace Interceptor.Mavlink.Transports;

/// <summary>Opens transports from connection URLs.</summary>
public static class MavlinkTransport
{
    /// <summary>Opens the transport a URL names. UDP binds at once (a port in use fails here), TCP connects
    /// on the first receive and reconnects, serial opens and configures the tty at once.</summary>
    public static async ValueTask<IMavlinkTransport> OpenAsync(MavlinkUrl url, TimeProvider? timeProvider = null, CancellationToken cancellationToken = default)
    {
        switch (url.Kind)
        {
            case MavlinkUrlKind.UdpListen:
            {
                var address = url.Host.Length == 0 ? IPAddress.Any : await ResolveAsync(url, cancellationToken).ConfigureAwait(false);
                return UdpTransport.Listen(new IPEndPoint(address, url.Port), url.Text);
            }
            case MavlinkUrlKind.UdpOut:
            {
                var address = await ResolveAsync(url, cancellationToken).ConfigureAwait(false);
                return UdpTransport.Connect(new IPEndPoint(address, url.Port), name: url.Text);
            }
            case MavlinkUrlKind.TcpClient:
                return new TcpClientTransport(url.Host, url.Port, ReconnectBackoff.Default, timeProvider, url.Text);
            case MavlinkUrlKind.Serial:
                return SerialTransport.Open(url.DevicePath, url.BaudRate, url.Text);
            default:
                throw new ArgumentOutOfRangeException(nameof(url), url.Kind, "unknown URL kind");
        }
    }

    /// <summary>Parses and opens.</summary>
    public static ValueTask<IMavlinkTransport> OpenAsync(string url, TimeProvider? timeProvider = null, CancellationToken cancellationToken = default) =>
        OpenAsync(MavlinkUrl.Parse(url), timeProvider, cancellationToken);

    private static async ValueTask<IPAddress> ResolveAsync(MavlinkUrl url, CancellationToken ct)
    {
        if (IPAddress.TryParse(url.Host, out var ip)) return ip;
        IPAddress[] addresses;
        try { addresses = await Dns.GetHostAddressesAsync(url.Host, ct).ConfigureAwait(false); }
        catch (SocketException e) { throw new MavlinkUrlException(url.Text, $"{url.Text}: host '{url.Host}' cannot be resolved: {e.Message}"); }
        return addresses.FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork) ?? addresses.FirstOrDefault()
            ?? throw new MavlinkUrlException(url.Text, $"{url.Text}: host '{url.Host}' has no address");
    }
}
