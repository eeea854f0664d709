using System.Buffers.Binary;

namespace Interceptor.Mavlink.Tlog;

/// <summary>Byte-capture file formats <see cref="CaptureReader"/> understands.</summary>
public enum CaptureFormat
{
    /// <summary>Standard .tlog: per frame u64 big-endian µs since the Unix epoch, then the frame.</summary>
    Tlog,
    /// <summary>Datagram records: u8 direction, u64 LE µs since the Unix epoch, u32 LE length, datagram
    /// (the PX4 SITL capture format in ../shared/captures).</summary>
    DatagramRecords,
    /// <summary>Stream read records: f64 LE Unix seconds, u8 direction, u32 LE length, bytes — one per socket
    /// read, so frames may be split across records (the .chunks format).</summary>
    Chunks,
    /// <summary>A raw MAVLink byte stream with no timestamps (e.g. a TCP stream dump or a serial capture).</summary>
    RawStream,
}

/// <summary>Direction of captured bytes relative to the autopilot.</summary>
public enum CaptureDirection : byte
{
    FromAutopilot = 0,
    ToAutopilot = 1,
    /// <summary>The format does not record it (tlog, raw stream).</summary>
    Unknown = 255,
}

/// <summary>One record of a capture. <see cref="Bytes"/> is valid until the next read.</summary>
public readonly record struct CaptureRecord(long TimestampUs, CaptureDirection Direction, ReadOnlyMemory<byte> Bytes)
{
    /// <summary>False for raw streams, which carry no time.</summary>
    public bool HasTimestamp => TimestampUs >= 0;
}

/// <summary>Reads capture files record by record with one reused buffer: .tlog (one frame per record),
/// datagram records (one datagram per record), .chunks (one socket read per record) and raw streams
/// (fixed-size pieces). For tlogs the frame length is taken from the MAVLink header; bytes that do not
/// start a frame after a timestamp are skipped and counted in <see cref="SkippedBytes"/>.</summary>
public sealed class CaptureReader : IDisposable
{
    /// <summary>Records longer than this are rejected as corrupt.</summary>
    public const int MaxRecordBytes = 1 << 20;
    private const int RawPiece = 4096;
    private static readonly long MinPlausibleUs = new DateTimeOffset(2000, 1, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds() * 1000;
    private static readonly long MaxPlausibleUs = new DateTimeOffset(2100, 1, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds() * 1000;

    private readonly Stream _stream;
    private readonly bool _leaveOpen;
    private byte[] _buffer = new byte[1 << 16];
    private int _start, _end;
    private bool _eof;

    public CaptureFormat Format { get; }
    /// <summary>Name shown in error messages (the file path).</summary>
    public string Name { get; }
    public long RecordsRead { get; private set; }
    /// <summary>Bytes skipped while resynchronising a damaged tlog.</summary>
    public long SkippedBytes { get; private set; }
    /// <summary>True when the file ended inside a record (the partial record is not returned).</summary>
    public bool Truncated { get; private set; }

    public CaptureReader(Stream stream, CaptureFormat format, string? name = null, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(stream);
        _stream = stream; Format = format; Name = name ?? format.ToString(); _leaveOpen = leaveOpen;
    }

    /// <summary>Opens a file and detects its format from its first bytes.</summary>
    public static CaptureReader Open(string path)
    {
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        try
        {
            Span<byte> head = stackalloc byte[32];
            int n = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
            stream.Position = 0;
            var format = Detect(head[..n]) ?? throw new InvalidDataException(
                $"{path}: not a recognised capture (first bytes {Convert.ToHexString(head[..Math.Min(n, 16)])}): expected a .tlog, datagram records, .chunks or a raw MAVLink stream");
            return new CaptureReader(stream, format, path);
        }
        catch { stream.Dispose(); throw; }
    }

    /// <summary>Identifies a capture format from its first bytes (at least 14 for a certain answer); null if none fits.</summary>
    public static CaptureFormat? Detect(ReadOnlySpan<byte> head)
    {
        if (head.Length >= 9 && IsPlausibleUs(BinaryPrimitives.ReadInt64BigEndian(head)) && IsMagic(head[8]))
            return CaptureFormat.Tlog;
        if (head.Length >= 14 && head[0] <= 1 && IsPlausibleUs(BinaryPrimitives.ReadInt64LittleEndian(head[1..]))
            && BinaryPrimitives.ReadUInt32LittleEndian(head[9..]) <= MaxRecordBytes)
            return CaptureFormat.DatagramRecords;
        if (head.Length >= 13)
        {
            double s = BinaryPrimitives.ReadDoubleLittleEndian(head);
            if (double.IsFinite(s) && IsPlausibleUs((long)(s * 1e6)) && head[8] <= 1 && BinaryPrimitives.ReadUInt32LittleEndian(head[9..]) <= MaxRecordBytes)
                return CaptureFormat.Chunks;
        }
        if (head.Length >= 1 && IsMagic(head[0])) return CaptureFormat.RawStream;
        return null;
    }

    private static bool IsPlausibleUs(long us) => us >= MinPlausibleUs && us < MaxPlausibleUs;
    private static bool IsMagic(byte b) => b is 0xFD or 0xFE;

    /// <summary>Reads the next record; false at the end of the file.</summary>
    public bool TryRead(out CaptureRecord record)
    {
        record = default;
        switch (Format)
        {
            case CaptureFormat.Tlog: return TryReadTlog(out record);
            case CaptureFormat.DatagramRecords:
            {
                if (!Ensure(13)) return false;
                var head = _buffer.AsSpan(_start, 13);
                var dir = (CaptureDirection)head[0];
                long us = BinaryPrimitives.ReadInt64LittleEndian(head[1..]);
                uint len = BinaryPrimitives.ReadUInt32LittleEndian(head[9..]);
                return Finish(13, len, us, dir, out record);
            }
            case CaptureFormat.Chunks:
            {
                if (!Ensure(13)) return false;
                var head = _buffer.AsSpan(_start, 13);
                double s = BinaryPrimitives.ReadDoubleLittleEndian(head);
                var dir = (CaptureDirection)head[8];
                uint len = BinaryPrimitives.ReadUInt32LittleEndian(head[9..]);
                if (!double.IsFinite(s) || s < 0) throw new InvalidDataException($"{Name}: record {RecordsRead}: timestamp {s} is not a valid Unix time");
                return Finish(13, len, (long)Math.Round(s * 1e6), dir, out record);
            }
            default:
            {
                Fill(RawPiece);
                int n = Math.Min(RawPiece, _end - _start);
                if (n == 0) return false;
                record = new CaptureRecord(-1, CaptureDirection.Unknown, _buffer.AsMemory(_start, n));
                _start += n;
                RecordsRead++;
                return true;
            }
        }
    }

    private bool Finish(int headerLen, uint len, long us, CaptureDirection dir, out CaptureRecord record)
    {
        record = default;
        if (len > MaxRecordBytes) throw new InvalidDataException($"{Name}: record {RecordsRead}: length {len} exceeds {MaxRecordBytes} bytes");
        if ((byte)dir > 1) throw new InvalidDataException($"{Name}: record {RecordsRead}: direction {(byte)dir} is not 0 or 1");
        if (!Ensure(headerLen + (int)len)) { Truncated = _end > _start; _start = _end; return false; }
        record = new CaptureRecord(us, dir, _buffer.AsMemory(_start + headerLen, (int)len));
        _start += headerLen + (int)len;
        RecordsRead++;
        return true;
    }

    private bool TryReadTlog(out CaptureRecord record)
    {
        record = default;
        while (true)
        {
            if (!Ensure(9)) { Truncated |= _end > _start; SkippedBytes += _end - _start; _start = _end; return false; }
            var span = _buffer.AsSpan(_start);
            long us = BinaryPrimitives.ReadInt64BigEndian(span);
            byte magic = span[8];
            int frameLen = 0;
            if (magic == 0xFE && Ensure(10)) frameLen = 8 + _buffer[_start + 9];
            else if (magic == 0xFD && Ensure(11))
                frameLen = 12 + _buffer[_start + 9] + ((_buffer[_start + 10] & 0x01) != 0 ? 13 : 0);
            if (frameLen > 0 && us >= 0)
            {
                if (!Ensure(8 + frameLen)) { Truncated = true; SkippedBytes += _end - _start; _start = _end; return false; }
                record = new CaptureRecord(us, CaptureDirection.Unknown, _buffer.AsMemory(_start + 8, frameLen));
                _start += 8 + frameLen;
                RecordsRead++;
                return true;
            }
            _start++;
            SkippedBytes++;
        }
    }

    /// <summary>Makes at least <paramref name="count"/> bytes available from _start; false at end of file.</summary>
    private bool Ensure(int count)
    {
        if (_end - _start >= count) return true;
        Fill(count);
        return _end - _start >= count;
    }

    private void Fill(int count)
    {
        if (_end - _start >= count || _eof) return;
        if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start; _start = 0;
        }
        if (count > _buffer.Length) Array.Resize(ref _buffer, Math.Max(count, _buffer.Length * 2));
        while (_end < count && !_eof)
        {
            int n = _stream.Read(_buffer, _end, _buffer.Length - _end);
            if (n == 0) _eof = true; else _end += n;
        }
    }

    public void Dispose() { if (!_leaveOpen) _stream.Dispose(); }
}
