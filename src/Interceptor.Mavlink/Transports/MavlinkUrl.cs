using System.Globalization;
using System.Net;

namespace Interceptor.Mavlink.Transports;

/// <summary>The kinds of link a <see cref="MavlinkUrl"/> names.</summary>
public enum MavlinkUrlKind
{
    /// <summary><c>udp://[bind-host]:port</c> — bind and listen; peers are learned from what arrives and
    /// replies leave from the same socket (PX4 latches onto the first sender address:port of a link).</summary>
    UdpListen,
    /// <summary><c>udpout://host:port</c> — send to a fixed remote from an ephemeral local port.</summary>
    UdpOut,
    /// <summary><c>tcp://host:port</c> — TCP client that reconnects with backoff.</summary>
    TcpClient,
    /// <summary><c>serial:///dev/ttyX:baud</c> — a tty in raw mode at the given baud rate.</summary>
    Serial,
}

/// <summary>A parsed MAVLink connection URL in the forms known from MAVSDK and mavproxy:
/// <c>udp://:14540</c>, <c>udp://0.0.0.0:14540</c>, <c>udpout://127.0.0.1:14550</c>,
/// <c>tcp://127.0.0.1:5760</c>, <c>serial:///dev/ttyACM0:921600</c>.</summary>
public sealed record MavlinkUrl
{
    /// <summary>Baud rates the serial transport can set (Linux B-constants exist for each).</summary>
    public static IReadOnlyList<int> SupportedBaudRates { get; } =
        [9600, 19200, 38400, 57600, 115200, 230400, 460800, 500000, 576000, 921600, 1000000, 1152000, 1500000];

    public required MavlinkUrlKind Kind { get; init; }
    /// <summary>Host name or address (UDP/TCP); for <see cref="MavlinkUrlKind.UdpListen"/> the bind address
    /// (empty = all interfaces).</summary>
    public string Host { get; init; } = "";
    public int Port { get; init; }
    /// <summary>Device path of a serial link, e.g. /dev/ttyACM0.</summary>
    public string DevicePath { get; init; } = "";
    public int BaudRate { get; init; }
    /// <summary>The text this was parsed from.</summary>
    public required string Text { get; init; }

    public override string ToString() => Text;

    /// <summary>Parses a URL; throws <see cref="MavlinkUrlException"/> naming the part that is wrong.</summary>
    public static MavlinkUrl Parse(string url)
    {
        if (!TryParse(url, out var result, out var error)) throw new MavlinkUrlException(url, error);
        return result;
    }

    public static bool TryParse(string? url, out MavlinkUrl result, out string error)
    {
        result = null!;
        if (string.IsNullOrWhiteSpace(url)) { error = "URL is empty; expected e.g. udp://:14540, udpout://127.0.0.1:14550, tcp://127.0.0.1:5760 or serial:///dev/ttyACM0:921600"; return false; }
        int sep = url.IndexOf("://", StringComparison.Ordinal);
        if (sep <= 0) { error = $"'{url}' has no scheme (expected udp://, udpout://, tcp:// or serial://)"; return false; }
        string scheme = url[..sep].ToLowerInvariant();
        string rest = url[(sep + 3)..];
        switch (scheme)
        {
            case "udp":
            case "udpin":
                if (!TryHostPort(rest, allowEmptyHost: true, out var h, out var p, out error)) { error = $"{url}: {error}"; return false; }
                result = new MavlinkUrl { Kind = MavlinkUrlKind.UdpListen, Host = h, Port = p, Text = url };
                return true;
            case "udpout":
                if (!TryHostPort(rest, allowEmptyHost: false, out h, out p, out error)) { error = $"{url}: {error}"; return false; }
                result = new MavlinkUrl { Kind = MavlinkUrlKind.UdpOut, Host = h, Port = p, Text = url };
                return true;
            case "tcp":
            case "tcpout":
                if (!TryHostPort(rest, allowEmptyHost: false, out h, out p, out error)) { error = $"{url}: {error}"; return false; }
                result = new MavlinkUrl { Kind = MavlinkUrlKind.TcpClient, Host = h, Port = p, Text = url };
                return true;
            case "serial":
                return TrySerial(url, rest, out result, out error);
            default:
                error = $"{url}: scheme '{scheme}' is not supported (expected udp, udpout, tcp or serial)";
                return false;
        }
    }

    private static bool TrySerial(string url, string rest, out MavlinkUrl result, out string error)
    {
        result = null!;
        int colon = rest.LastIndexOf(':');
        string device = colon < 0 ? rest : rest[..colon];
        if (device.Length == 0 || device[0] != '/')
        {
            error = $"{url}: device path '{device}' must be absolute, e.g. serial:///dev/ttyACM0:921600";
            return false;
        }
        if (colon < 0) { error = $"{url}: baud rate is missing after the device path (e.g. :921600)"; return false; }
        string baudText = rest[(colon + 1)..];
        if (!int.TryParse(baudText, NumberStyles.None, CultureInfo.InvariantCulture, out int baud))
        {
            error = $"{url}: baud rate '{baudText}' is not a number";
            return false;
        }
        if (!SupportedBaudRates.Contains(baud))
        {
            error = $"{url}: baud rate {baud} is not supported (one of {string.Join(", ", SupportedBaudRates)})";
            return false;
        }
        result = new MavlinkUrl { Kind = MavlinkUrlKind.Serial, DevicePath = device, BaudRate = baud, Text = url };
        error = "";
        return true;
    }

    private static bool TryHostPort(string rest, bool allowEmptyHost, out string host, out int port, out string error)
    {
        host = ""; port = 0;
        int slash = rest.IndexOf('/');
        if (slash >= 0 && slash != rest.Length - 1) { error = $"unexpected path '{rest[slash..]}' after host:port"; return false; }
        if (slash == rest.Length - 1) rest = rest[..^1];
        int colon;
        if (rest.StartsWith('['))
        {
            int close = rest.IndexOf(']');
            if (close < 0) { error = $"host '{rest}' has an unclosed '['"; return false; }
            host = rest[1..close];
            colon = close + 1 < rest.Length && rest[close + 1] == ':' ? close + 1 : -1;
            if (close + 1 < rest.Length && colon < 0) { error = $"unexpected text '{rest[(close + 1)..]}' after host"; return false; }
        }
        else
        {
            colon = rest.LastIndexOf(':');
            host = colon < 0 ? rest : rest[..colon];
            if (host.Contains(':')) { error = $"host '{host}' contains ':'; write IPv6 addresses in brackets"; return false; }
        }
        if (colon < 0) { error = "port is missing (expected host:port, e.g. 127.0.0.1:14550)"; return false; }
        string portText = rest[(colon + 1)..];
        if (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out port) || port < 1 || port > 65535)
        {
            error = $"port '{portText}' is not a number in 1..65535";
            return false;
        }
        if (host.Length == 0 && !allowEmptyHost) { error = "host is missing before the port"; return false; }
        if (host.Length > 0 && Uri.CheckHostName(host) == UriHostNameType.Unknown && !IPAddress.TryParse(host, out _))
        {
            error = $"host '{host}' is not a valid host name or address";
            return false;
        }
        error = "";
        return true;
    }
}

/// <summary>A connection URL could not be parsed; the message names the wrong part.</summary>
public sealed class MavlinkUrlException(string url, string message) : FormatException(message)
{
    public string Url { get; } = url;
}
