using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Interceptor.Mavlink.Transports;

/// <summary>Serial link (<c>serial:///dev/ttyACM0:921600</c>) on Linux: the tty is opened with
/// O_NOCTTY, put in raw 8N1 mode without flow control at the requested baud rate via termios
/// (tcgetattr / cfmakeraw / cfsetispeed / cfsetospeed / tcsetattr) and used as a <see cref="FileStream"/>.
/// Reads use VMIN=0/VTIME=1, so a pending read returns at least every 100 ms and cancellation is honoured.</summary>
public sealed class SerialTransport : IMavlinkTransport
{
    private readonly FileStream _stream;
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private int _disposed;

    public string Name { get; }
    public bool IsDatagram => false;
    public TransportCounters Counters { get; } = new();
    public string DevicePath { get; }
    public int BaudRate { get; }

    private SerialTransport(string name, string devicePath, int baud, FileStream stream)
    {
        Name = name; DevicePath = devicePath; BaudRate = baud; _stream = stream;
    }

    /// <summary>Opens and configures the tty. Throws <see cref="PlatformNotSupportedException"/> off Linux,
    /// <see cref="IOException"/> naming the device and the failing call otherwise.</summary>
    public static SerialTransport Open(string devicePath, int baudRate, string? name = null)
    {
        if (!OperatingSystem.IsLinux()) throw new PlatformNotSupportedException("serial:// links are implemented for Linux termios only");
        uint speed = Termios.SpeedConstant(baudRate);
        int fd = Termios.open(devicePath, Termios.O_RDWR | Termios.O_NOCTTY | Termios.O_CLOEXEC);
        if (fd < 0) throw Termios.Error($"open({devicePath})");
        var handle = new SafeFileHandle(fd, ownsHandle: true);
        try
        {
            Termios.ConfigureRaw(fd, speed, devicePath);
            var stream = new FileStream(handle, FileAccess.ReadWrite, bufferSize: 0, isAsync: false);
            return new SerialTransport(name ?? $"serial://{devicePath}:{baudRate}", devicePath, baudRate, stream);
        }
        catch { handle.Dispose(); throw; }
    }

    public async ValueTask<int> ReceiveAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        while (true)
        {
            ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
            cancellationToken.ThrowIfCancellationRequested();
            int n = await _stream.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
            if (n > 0) { Counters.Received(n); return n; }
            // VTIME expired without data: loop so cancellation and disposal are seen.
        }
    }

    public async ValueTask SendAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        await _sendLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await _stream.WriteAsync(data, cancellationToken).ConfigureAwait(false);
            Counters.Sent(data.Length);
        }
        catch (IOException)
        {
            Counters.Dropped();
        }
        finally { _sendLock.Release(); }
    }

    public ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0) _stream.Dispose();
        return ValueTask.CompletedTask;
    }
}

/// <summary>Linux termios through libc. The struct is handled as bytes at the glibc offsets
/// (c_iflag 0, c_oflag 4, c_cflag 8, c_lflag 12, c_line 16, c_cc[32] 17, then speeds), with a generous buffer.</summary>
internal static unsafe partial class Termios
{
    public const int O_RDWR = 0x2, O_NOCTTY = 0x100, O_CLOEXEC = 0x80000;
    private const int TCSANOW = 0, TCIOFLUSH = 2;
    private const int CflagOffset = 8, CcOffset = 17, VTIME = 5, VMIN = 6;
    private const uint CSTOPB = 0x40, CREAD = 0x80, PARENB = 0x100, CLOCAL = 0x800, CRTSCTS = 0x80000000;
    private const int StructSize = 256; // sizeof(struct termios) is 60 on glibc; padding is harmless

    /// <summary>Linux B-constants (asm-generic/termbits.h, octal in the header).</summary>
    public static uint SpeedConstant(int baud) => baud switch
    {
        9600 => 0xD, 19200 => 0xE, 38400 => 0xF,
        57600 => 0x1001, 115200 => 0x1002, 230400 => 0x1003, 460800 => 0x1004, 500000 => 0x1005,
        576000 => 0x1006, 921600 => 0x1007, 1000000 => 0x1008, 1152000 => 0x1009, 1500000 => 0x100A,
        _ => throw new ArgumentOutOfRangeException(nameof(baud), baud, $"baud rate {baud} is not supported (one of {string.Join(", ", MavlinkUrl.SupportedBaudRates)})"),
    };

    public static void ConfigureRaw(int fd, uint speed, string device)
    {
        byte* t = stackalloc byte[StructSize];
        new Span<byte>(t, StructSize).Clear();
        if (tcgetattr(fd, t) != 0) throw Error($"tcgetattr({device})");
        cfmakeraw(t);
        ref uint cflag = ref *(uint*)(t + CflagOffset);
        cflag |= CLOCAL | CREAD;
        cflag &= ~(CSTOPB | PARENB | CRTSCTS);
        t[CcOffset + VMIN] = 0;
        t[CcOffset + VTIME] = 1; // 100 ms
        if (cfsetispeed(t, speed) != 0) throw Error($"cfsetispeed({device})");
        if (cfsetospeed(t, speed) != 0) throw Error($"cfsetospeed({device})");
        if (tcsetattr(fd, TCSANOW, t) != 0) throw Error($"tcsetattr({device})");
        _ = tcflush(fd, TCIOFLUSH);
    }

    public static IOException Error(string call)
    {
        int errno = Marshal.GetLastPInvokeError();
        return new IOException($"{call} failed: {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno})");
    }

    [LibraryImport("libc", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    internal static partial int open(string path, int flags);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int tcgetattr(int fd, byte* termios);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int tcsetattr(int fd, int optionalActions, byte* termios);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int tcflush(int fd, int queueSelector);

    [LibraryImport("libc")]
    private static partial void cfmakeraw(byte* termios);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int cfsetispeed(byte* termios, uint speed);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int cfsetospeed(byte* termios, uint speed);
}
