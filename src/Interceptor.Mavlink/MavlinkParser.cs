using System.Runtime.InteropServices;

namespace Interceptor.Mavlink;

/// <summary>Streaming MAVLink 1/2 parser over byte chunks (TCP reads, serial reads, UDP datagrams).
/// <para>Usage: <c>foreach (MavlinkFrame f in parser.Parse(chunk)) { ... }</c>. Frames split across chunks
/// are reassembled in a small internal buffer; frames wholly inside a chunk are views into that chunk.
/// No allocation per frame (only when a new source appears in the statistics). Enumerate each chunk to
/// the end: bytes after a <c>break</c> are dropped. A frame is valid only until the next MoveNext.</para>
/// <para>Resynchronisation: a candidate that fails validation is skipped by one byte and the bytes after
/// it are rescanned (including bytes held over from the previous chunk). Frames with message ids the
/// dialect does not define are kept whole (<see cref="MavlinkFrame.CrcVerified"/> false); since their
/// checksum cannot be checked, such a candidate is accepted only when the byte after it is a start marker,
/// or when it ends exactly at the end of a chunk that contains it whole (datagram transports), and only
/// when no complete frame with a verified checksum starts inside it. A candidate reassembled across chunks
/// (byte streams) waits for the next byte. This stops garbage from swallowing good frames.</para>
/// <para>Not thread-safe: one parser per byte stream.</para></summary>
public sealed class MavlinkParser
{
    private readonly byte[] _pending = new byte[MavlinkConstants.MaxFrameLength];
    private int _pendingLength;
    private int _pendingConsumed; // length of the frame yielded from _pending, removed on the next MoveNext
    private readonly Dictionary<ushort, MavlinkSourceStats> _sources = new();

    /// <summary>Creates a parser. <paramref name="acceptUnknownMessages"/> false drops frames whose message
    /// id the dialect does not define (counted in <see cref="UnknownMessagesDropped"/>).</summary>
    public MavlinkParser(bool acceptUnknownMessages = true) => AcceptUnknownMessages = acceptUnknownMessages;

    /// <summary>Whether frames with unknown message ids are yielded (default) or dropped.</summary>
    public bool AcceptUnknownMessages { get; }
    /// <summary>Frames yielded.</summary>
    public long FramesAccepted { get; private set; }
    /// <summary>Candidates rejected for a checksum mismatch or an over-long payload of a known message.</summary>
    public long CrcErrors { get; private set; }
    /// <summary>Candidates rejected for unsupported MAVLink 2 incompatibility flags.</summary>
    public long BadIncompatFlags { get; private set; }
    /// <summary>Unknown-id candidates rejected because no start marker followed them or a verified frame starts inside them.</summary>
    public long UnknownCandidatesRejected { get; private set; }
    /// <summary>Unknown-id frames dropped because <see cref="AcceptUnknownMessages"/> is false.</summary>
    public long UnknownMessagesDropped { get; private set; }
    /// <summary>Bytes skipped while searching for a frame start (garbage, bad candidates' start bytes).</summary>
    public long BytesDiscarded { get; private set; }
    /// <summary>Total bytes passed to <see cref="Parse"/>.</summary>
    public long BytesReceived { get; private set; }
    /// <summary>Bytes held over, waiting for the rest of a frame.</summary>
    public int PendingBytes => _pendingLength;

    /// <summary>Per-source statistics, in order of first appearance is not guaranteed.</summary>
    public IReadOnlyCollection<MavlinkSourceStats> Sources => _sources.Values;

    /// <summary>Statistics for one source, or null if nothing was seen from it.</summary>
    public MavlinkSourceStats? GetSource(byte systemId, byte componentId) =>
        _sources.GetValueOrDefault((ushort)((systemId << 8) | componentId));

    /// <summary>Sum of <see cref="MavlinkSourceStats.LostFrames"/> over all sources.</summary>
    public long LostFrames
    {
        get { long n = 0; foreach (var s in _sources.Values) n += s.LostFrames; return n; }
    }

    /// <summary>Forgets any partial frame held over (e.g. after a reconnect). Statistics are kept.</summary>
    public void ResetStream()
    {
        _pendingLength = 0;
        _pendingConsumed = 0;
    }

    /// <summary>Enumerates the frames completed by <paramref name="chunk"/>.</summary>
    public FrameEnumerator Parse(ReadOnlySpan<byte> chunk)
    {
        BytesReceived += chunk.Length;
        return new FrameEnumerator(this, chunk);
    }

    private MavlinkSourceStats Source(byte sys, byte comp)
    {
        ushort key = (ushort)((sys << 8) | comp);
        ref var slot = ref CollectionsMarshal.GetValueRefOrAddDefault(_sources, key, out _);
        return slot ??= new MavlinkSourceStats(sys, comp);
    }

    private void CountRejection(MavlinkFrameCheck check, ReadOnlySpan<byte> candidate)
    {
        if (check == MavlinkFrameCheck.UnsupportedIncompatFlags) { BadIncompatFlags++; return; }
        CrcErrors++;
        bool v2 = candidate[0] == MavlinkConstants.StxV2;
        Source(v2 ? candidate[5] : candidate[3], v2 ? candidate[6] : candidate[4]).CrcErrors++;
    }

    /// <summary>True when a complete frame with a verified checksum starts inside data[1..length): an
    /// unverifiable (unknown id) candidate overlapping a verified frame is garbage, not a frame.</summary>
    private static bool OverlapsVerifiedFrame(ReadOnlySpan<byte> data, int length)
    {
        int k = 1;
        while (k < length)
        {
            int idx = data.Slice(k, length - k).IndexOfAny(MavlinkConstants.StxV2, MavlinkConstants.StxV1);
            if (idx < 0) return false;
            k += idx;
            if (MavlinkFrame.Check(data[k..], out var inner, out _) == MavlinkFrameCheck.Ok && inner.CrcVerified) return true;
            k++;
        }
        return false;
    }

    private void OnAccepted(in MavlinkFrame frame)
    {
        FramesAccepted++;
        Source(frame.SystemId, frame.ComponentId).OnFrame(frame.Sequence, frame.CrcVerified);
    }

    /// <summary>Enumerator over the frames of one chunk (a ref struct: use it in a foreach).</summary>
    public ref struct FrameEnumerator
    {
        private readonly MavlinkParser _parser;
        private readonly ReadOnlySpan<byte> _chunk;
        private int _pos;
        private MavlinkFrame _current;

        internal FrameEnumerator(MavlinkParser parser, ReadOnlySpan<byte> chunk)
        {
            _parser = parser;
            _chunk = chunk;
            _pos = 0;
            _current = default;
        }

        /// <summary>The current frame.</summary>
        public readonly MavlinkFrame Current => _current;

        /// <summary>Returns this enumerator (foreach support).</summary>
        public readonly FrameEnumerator GetEnumerator() => this;

        /// <summary>Advances to the next complete frame; false when the chunk is exhausted.</summary>
        public bool MoveNext()
        {
            var p = _parser;
            if (p._pendingConsumed > 0)
            {
                DropPendingPrefix(p, p._pendingConsumed, countDiscarded: false);
                p._pendingConsumed = 0;
            }
            while (p._pendingLength > 0)
            {
                int r = CompletePending(p);
                if (r == 1) return true;
                if (r == 0) return false;
                // r == -1: held-over bytes used up, continue with the chunk
            }
            return ScanChunk(p);
        }

        /// <summary>Removes <paramref name="count"/> bytes from the front of the held-over bytes, then
        /// discards up to the next start marker.</summary>
        private static void DropPendingPrefix(MavlinkParser p, int count, bool countDiscarded)
        {
            byte[] buf = p._pending;
            int len = p._pendingLength;
            if (countDiscarded) p.BytesDiscarded += count;
            int idx = count >= len ? -1 : buf.AsSpan(count, len - count).IndexOfAny(MavlinkConstants.StxV2, MavlinkConstants.StxV1);
            if (idx < 0)
            {
                p.BytesDiscarded += Math.Max(0, len - count);
                p._pendingLength = 0;
                return;
            }
            p.BytesDiscarded += idx;
            int skip = count + idx;
            Buffer.BlockCopy(buf, skip, buf, 0, len - skip);
            p._pendingLength = len - skip;
        }

        /// <returns>1 frame ready (in the held-over buffer), 0 chunk exhausted, -1 held-over bytes used up.</returns>
        private int CompletePending(MavlinkParser p)
        {
            byte[] buf = p._pending;
            while (p._pendingLength > 0)
            {
                var data = buf.AsSpan(0, p._pendingLength);
                var check = MavlinkFrame.Check(data, out var frame, out int required);
                if (check == MavlinkFrameCheck.NeedMoreData)
                {
                    int take = Math.Min(required - p._pendingLength, _chunk.Length - _pos);
                    _chunk.Slice(_pos, take).CopyTo(buf.AsSpan(p._pendingLength));
                    _pos += take;
                    p._pendingLength += take;
                    if (p._pendingLength < required) return 0;
                    continue;
                }
                if (check == MavlinkFrameCheck.Ok)
                {
                    int len = frame.Raw.Length;
                    if (!frame.CrcVerified)
                    {
                        // Reassembled across chunks means a byte stream: wait for the byte after the frame.
                        if (len == p._pendingLength && _pos >= _chunk.Length) return 0;
                        int next = len < p._pendingLength ? buf[len] : _chunk[_pos];
                        if ((next != MavlinkConstants.StxV2 && next != MavlinkConstants.StxV1) || OverlapsVerifiedFrame(data, len))
                        {
                            p.UnknownCandidatesRejected++;
                            DropPendingPrefix(p, 1, countDiscarded: true);
                            continue;
                        }
                        if (!p.AcceptUnknownMessages)
                        {
                            p.UnknownMessagesDropped++;
                            DropPendingPrefix(p, len, countDiscarded: false);
                            continue;
                        }
                    }
                    p.OnAccepted(frame);
                    _current = frame;
                    p._pendingConsumed = len;
                    return 1;
                }
                p.CountRejection(check, data);
                DropPendingPrefix(p, 1, countDiscarded: true);
            }
            return -1;
        }

        private static uint MessageIdOf(ReadOnlySpan<byte> f) =>
            f[0] == MavlinkConstants.StxV2 ? (uint)(f[7] | (f[8] << 8) | (f[9] << 16)) : f[5];

        private bool ScanChunk(MavlinkParser p)
        {
            var chunk = _chunk;
            while (_pos < chunk.Length)
            {
                var rest = chunk[_pos..];
                int idx = rest.IndexOfAny(MavlinkConstants.StxV2, MavlinkConstants.StxV1);
                if (idx < 0)
                {
                    p.BytesDiscarded += rest.Length;
                    _pos = chunk.Length;
                    return false;
                }
                if (idx > 0)
                {
                    p.BytesDiscarded += idx;
                    _pos += idx;
                    rest = rest[idx..];
                }
                var check = MavlinkFrame.Check(rest, out var frame, out _);
                if (check == MavlinkFrameCheck.NeedMoreData)
                {
                    rest.CopyTo(p._pending);
                    p._pendingLength = rest.Length;
                    _pos = chunk.Length;
                    return false;
                }
                if (check == MavlinkFrameCheck.Ok && !frame.CrcVerified)
                {
                    int end = _pos + frame.Raw.Length;
                    int next = end < chunk.Length ? chunk[end] : -1;
                    if ((next >= 0 && next != MavlinkConstants.StxV2 && next != MavlinkConstants.StxV1) || OverlapsVerifiedFrame(rest, frame.Raw.Length))
                    {
                        p.UnknownCandidatesRejected++;
                        check = MavlinkFrameCheck.BadCrc;
                    }
                    else if (!p.AcceptUnknownMessages)
                    {
                        p.UnknownMessagesDropped++;
                        _pos = end;
                        continue;
                    }
                    else
                    {
                        p.OnAccepted(frame);
                        _current = frame;
                        _pos = end;
                        return true;
                    }
                    p.BytesDiscarded++;
                    _pos++;
                    continue;
                }
                if (check == MavlinkFrameCheck.Ok)
                {
                    p.OnAccepted(frame);
                    _current = frame;
                    _pos += frame.Raw.Length;
                    return true;
                }
                p.CountRejection(check, rest);
                p.BytesDiscarded++;
                _pos++;
            }
            return false;
        }
    }
}
