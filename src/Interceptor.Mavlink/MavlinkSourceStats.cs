namespace Interceptor.Mavlink;

/// <summary>Per-source (system id, component id) counters kept by <see cref="MavlinkParser"/>.</summary>
public sealed class MavlinkSourceStats
{
    /// <summary>Largest backward sequence step still treated as a late (reordered) frame rather than a restart.</summary>
    public const int ReorderWindow = 63;

    private ulong _seenMask; // bit i: sequence (expected - 1 - i) was received
    private bool _started;
    private byte _expected;

    internal MavlinkSourceStats(byte systemId, byte componentId)
    {
        SystemId = systemId;
        ComponentId = componentId;
    }

    /// <summary>Sender system id.</summary>
    public byte SystemId { get; }
    /// <summary>Sender component id.</summary>
    public byte ComponentId { get; }
    /// <summary>Frames accepted from this source.</summary>
    public long Frames { get; private set; }
    /// <summary>Accepted frames whose message id the dialect does not define (CRC unverifiable).</summary>
    public long UnknownMessageFrames { get; private set; }
    /// <summary>Candidate frames with this source's ids that failed validation (bad checksum, over-long payload).</summary>
    public long CrcErrors { get; internal set; }
    /// <summary>Frames lost according to sequence gaps; frames that arrive late (small reorders) are credited back.</summary>
    public long LostFrames { get; private set; }
    /// <summary>Frames that arrived after a later sequence number (small reorders).</summary>
    public long Reordered { get; private set; }
    /// <summary>Frames whose sequence number was already seen within the reorder window.</summary>
    public long Duplicates { get; private set; }
    /// <summary>Backward sequence jumps too large to be reorders (sender restart); counting restarts there.</summary>
    public long SequenceResets { get; private set; }
    /// <summary>Sequence number of the most recent in-order frame.</summary>
    public byte LastSequence => unchecked((byte)(_expected - 1));

    internal void OnFrame(byte sequence, bool known)
    {
        Frames++;
        if (!known) UnknownMessageFrames++;
        if (!_started)
        {
            _started = true;
            _expected = unchecked((byte)(sequence + 1));
            _seenMask = 1;
            return;
        }
        int d = (sbyte)unchecked((byte)(sequence - _expected)); // -128..127
        if (d >= 0)
        {
            LostFrames += d;
            int shift = d + 1;
            _seenMask = shift >= 64 ? 1UL : (_seenMask << shift) | 1UL;
            _expected = unchecked((byte)(sequence + 1));
            return;
        }
        int i = -d - 1; // sequence == expected - 1 - i
        if (i < ReorderWindow)
        {
            ulong bit = 1UL << i;
            if ((_seenMask & bit) != 0) { Duplicates++; return; }
            _seenMask |= bit;
            Reordered++;
            if (LostFrames > 0) LostFrames--;
            return;
        }
        SequenceResets++;
        _expected = unchecked((byte)(sequence + 1));
        _seenMask = 1;
    }

    /// <inheritdoc />
    public override string ToString() =>
        $"{SystemId}/{ComponentId}: frames {Frames}, crc errors {CrcErrors}, lost {LostFrames}, reordered {Reordered}";
}
