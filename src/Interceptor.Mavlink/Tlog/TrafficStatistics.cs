namespace Interceptor.Mavlink.Tlog;

/// <summary>Count of one message id in a stream.</summary>
public sealed record MessageTally(uint Id, string Name, long Count);

/// <summary>Statistics of one MAVLink byte stream (one direction of a link): frames per message id, time span,
/// and through its <see cref="Parser"/> per-source CRC errors and sequence losses.</summary>
public sealed class TrafficStatistics(string name)
{
    private readonly Dictionary<uint, long> _counts = new();

    /// <summary>Stream name, e.g. "from-autopilot".</summary>
    public string Name { get; } = name;
    public MavlinkParser Parser { get; } = new();
    public long Frames { get; private set; }
    /// <summary>Time of the first and last frame [µs since the Unix epoch], -1 when the stream has no times.</summary>
    public long FirstUs { get; private set; } = -1;
    public long LastUs { get; private set; } = -1;
    /// <summary>Seconds from the first to the last frame; 0 without times.</summary>
    public double DurationS => FirstUs < 0 ? 0 : (LastUs - FirstUs) * 1e-6;

    /// <summary>Per message id, most frequent first.</summary>
    public IReadOnlyList<MessageTally> Messages =>
        _counts.Select(kv => new MessageTally(kv.Key, MavlinkMessages.Find(kv.Key)?.Name ?? $"UNKNOWN_{kv.Key}", kv.Value))
            .OrderByDescending(t => t.Count).ThenBy(t => t.Id).ToArray();

    /// <summary>Messages per second over <see cref="DurationS"/>, or null without times.</summary>
    public double? RateHz(long count) => DurationS > 0 ? count / DurationS : null;

    /// <summary>Parses bytes received at <paramref name="timestampUs"/> (-1: unknown) and counts the frames.</summary>
    public void Feed(ReadOnlySpan<byte> bytes, long timestampUs)
    {
        foreach (var frame in Parser.Parse(bytes)) Count(frame, timestampUs);
    }

    /// <summary>Counts one frame parsed elsewhere.</summary>
    public void Count(in MavlinkFrame frame, long timestampUs)
    {
        Frames++;
        _counts[frame.MessageId] = _counts.GetValueOrDefault(frame.MessageId) + 1;
        if (timestampUs >= 0)
        {
            if (FirstUs < 0) FirstUs = timestampUs;
            LastUs = Math.Max(LastUs, timestampUs);
        }
    }
}

/// <summary>What a capture or live link contained, per direction.</summary>
public sealed record TrafficReport(string Source, string Format, long Records, IReadOnlyList<TrafficStatistics> Streams);

/// <summary>Reads a capture file (.tlog, datagram records, .chunks, raw stream) into per-direction statistics.</summary>
public static class CaptureInspector
{
    /// <summary>Inspects <paramref name="path"/>; with <paramref name="maxSeconds"/>, only the first seconds of a timed capture.</summary>
    public static TrafficReport Inspect(string path, double? maxSeconds = null)
    {
        if (maxSeconds is { } m && (!double.IsFinite(m) || m <= 0))
            throw new ArgumentOutOfRangeException(nameof(maxSeconds), m, $"seconds = {m}: must be a finite number > 0");
        using var reader = CaptureReader.Open(path);
        var streams = new Dictionary<CaptureDirection, TrafficStatistics>();
        long firstUs = -1;
        while (reader.TryRead(out var rec))
        {
            if (rec.HasTimestamp)
            {
                if (firstUs < 0) firstUs = rec.TimestampUs;
                if (maxSeconds is { } s && (rec.TimestampUs - firstUs) * 1e-6 > s) break;
            }
            if (!streams.TryGetValue(rec.Direction, out var st))
                streams[rec.Direction] = st = new TrafficStatistics(DirectionName(rec.Direction));
            st.Feed(rec.Bytes.Span, rec.TimestampUs);
        }
        return new TrafficReport(path, FormatName(reader.Format), reader.RecordsRead,
            streams.OrderBy(kv => kv.Key).Select(kv => kv.Value).ToArray());
    }

    public static string DirectionName(CaptureDirection d) => d switch
    {
        CaptureDirection.FromAutopilot => "from-autopilot",
        CaptureDirection.ToAutopilot => "to-autopilot",
        _ => "all",
    };

    public static string FormatName(CaptureFormat f) => f switch
    {
        CaptureFormat.Tlog => "tlog",
        CaptureFormat.DatagramRecords => "datagram-records",
        CaptureFormat.Chunks => "chunks",
        _ => "raw-stream",
    };
}
