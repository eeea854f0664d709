using Interceptor.Mavlink.Transports;

namespace Interceptor.Mavlink.Tests;

public class UrlTests
{
    [Fact]
    public void UdpListenWithoutHostBindsAllInterfaces()
    {
        var url = MavlinkUrl.Parse("udp://:14540");
        Assert.Equal(MavlinkUrlKind.UdpListen, url.Kind);
        Assert.Equal("", url.Host);
        Assert.Equal(14540, url.Port);
    }

    [Fact]
    public void UdpListenWithBindAddress()
    {
        var url = MavlinkUrl.Parse("udp://127.0.0.1:14550");
        Assert.Equal((MavlinkUrlKind.UdpListen, "127.0.0.1", 14550), (url.Kind, url.Host, url.Port));
    }

    [Fact]
    public void UdpOutTcpAndSerial()
    {
        var o = MavlinkUrl.Parse("udpout://127.0.0.1:14550");
        Assert.Equal((MavlinkUrlKind.UdpOut, "127.0.0.1", 14550), (o.Kind, o.Host, o.Port));
        var t = MavlinkUrl.Parse("tcp://localhost:5760");
        Assert.Equal((MavlinkUrlKind.TcpClient, "localhost", 5760), (t.Kind, t.Host, t.Port));
        var s = MavlinkUrl.Parse("serial:///dev/ttyACM0:921600");
        Assert.Equal((MavlinkUrlKind.Serial, "/dev/ttyACM0", 921600), (s.Kind, s.DevicePath, s.BaudRate));
        var v6 = MavlinkUrl.Parse("udpout://[::1]:14550");
        Assert.Equal(("::1", 14550), (v6.Host, v6.Port));
        Assert.Equal("tcp://localhost:5760", t.ToString());
    }

    [Theory]
    [InlineData(57600)]
    [InlineData(115200)]
    [InlineData(921600)]
    [InlineData(1500000)]
    public void SerialBaudRatesInRange(int baud) =>
        Assert.Equal(baud, MavlinkUrl.Parse($"serial:///dev/ttyUSB0:{baud}").BaudRate);

    [Theory]
    [InlineData("", "empty")]
    [InlineData("127.0.0.1:14550", "no scheme")]
    [InlineData("http://127.0.0.1:80", "scheme 'http'")]
    [InlineData("udp://:", "port ''")]
    [InlineData("udp://:70000", "port '70000'")]
    [InlineData("udp://:abc", "port 'abc'")]
    [InlineData("udpout://:14550", "host is missing")]
    [InlineData("udpout://127.0.0.1", "port is missing")]
    [InlineData("tcp://bad host:5760", "host 'bad host'")]
    [InlineData("tcp://127.0.0.1:5760/x", "path '/x'")]
    [InlineData("serial://dev/ttyACM0:921600", "device path 'dev/ttyACM0'")]
    [InlineData("serial:///dev/ttyACM0", "baud rate is missing")]
    [InlineData("serial:///dev/ttyACM0:fast", "baud rate 'fast'")]
    [InlineData("serial:///dev/ttyACM0:12345", "baud rate 12345 is not supported")]
    public void BadUrlsNameTheWrongPart(string text, string expected)
    {
        var e = Assert.Throws<MavlinkUrlException>(() => MavlinkUrl.Parse(text));
        Assert.Contains(expected, e.Message);
        Assert.False(MavlinkUrl.TryParse(text, out _, out var error));
        Assert.Equal(e.Message, error);
    }
}
