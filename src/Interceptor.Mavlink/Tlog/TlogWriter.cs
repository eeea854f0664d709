using System.Buffers.Binary;

namespace Interceptor.Mavlink.Tlog;

/// <summary>Writes a standard telemetry log (.tlog) as QGroundControl, Mission Planner and MAVExplorer read it:
/// for every frame an 8-byte big-endian count of microseconds since the Unix epoch, then the raw frame bytes.
/// Thread-safe; <see cref="Write(long, ReadOnlySpan{byte})"/> allocates nothing.</summary>
public sealed class TlogWriter : IDisposable, IAsyncDisposable
{
    private readonly Stream _stream;
    private readonly bool _leaveOpen;
    private readonly object _gate = new();
    private bool _disposed;

    public long FramesWritten { get; private set; }
    public long BytesWritten { get; private set; }

    public TlogWriter(Stream stream, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (!stream.CanWrite) throw new ArgumentException("stream must be writable", nameof(stream));
        _stream = stream;
        _leaveOpen = leaveOpen;
    }

    /// <summary>Creates (or truncates) a .tlog file.</summary>
    public static TlogWriter Create(string path) =>
        new(new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read, 1 << 16));

    /// <summary>Appends one frame received at <paramref name="unixTimeUs"/> (microseconds since 1970-01-01 UTC).</summary>
    public void Write(long unixTimeUs, ReadOnlySpan<byte> frame)
    {
        if (unixTimeUs < 0) throw new ArgumentOutOfRangeException(nameof(unixTimeUs), unixTimeUs, "timestamp must be >= 0 µs since the Unix epoch");
        Span<byte> ts = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(ts, unixTimeUs);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _stream.Write(ts);
            _stream.Write(frame);
            FramesWritten++;
            BytesWritten += 8 + frame.Length;
        }
    }

    /// <summary>Appends one frame received at <paramref name="time"/>.</summary>
    public void Write(DateTimeOffset time, ReadOnlySpan<byte> frame) => Write(ToUnixUs(time), frame);

    public static long ToUnixUs(DateTimeOffset time) => (time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10;

    public void Flush() { lock (_gate) if (!_disposed) _stream.Flush(); }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed) return;
            _disposed = true;
            _stream.Flush();
            if (!_leaveOpen) _stream.Dispose();
        }
    }

    public ValueTask DisposeAsync() { Dispose(); return ValueTask.CompletedTask; }
}
