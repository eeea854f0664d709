namespace Interceptor.Mavlink.Signing;

/// <summary>Signs outgoing MAVLink 2 frames with one key and link id. Timestamps are
/// max(last + 1, now) so they strictly increase even when the clock stalls or steps back, and a
/// restarted sender that is ahead of the wall clock never repeats one. Thread-safe.</summary>
public sealed class MavlinkSigner
{
    private readonly MavlinkSigningKey _key;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private ulong _last;

    /// <summary>Creates a signer for <paramref name="linkId"/> using the clock <paramref name="time"/>.
    /// <paramref name="initialTimestamp"/> seeds "last" (e.g. a persisted value), so timestamps start after it.</summary>
    public MavlinkSigner(MavlinkSigningKey key, byte linkId, TimeProvider time, ulong initialTimestamp = 0)
    {
        _key = key ?? throw new ArgumentNullException(nameof(key));
        _time = time ?? throw new ArgumentNullException(nameof(time));
        LinkId = linkId;
        _last = initialTimestamp;
    }

    /// <summary>Link id written into every signature.</summary>
    public byte LinkId { get; }

    /// <summary>The last timestamp used.</summary>
    public ulong LastTimestamp { get { lock (_gate) return _last; } }

    /// <summary>Takes the next timestamp: max(last + 1, now).</summary>
    public ulong NextTimestamp()
    {
        ulong now = MavlinkSignature.TimestampFrom(_time.GetUtcNow());
        lock (_gate)
        {
            _last = Math.Max(_last + 1, now);
            return _last;
        }
    }

    /// <summary>Appends the 13-byte signature block after <paramref name="frameUpToChecksum"/>'s bytes in
    /// <paramref name="frame"/>. The signed incompat flag must already be set in the header (it is covered
    /// by the checksum). Returns the signed frame length.</summary>
    public int Sign(Span<byte> frame, int frameUpToChecksum)
    {
        if (frame.Length < frameUpToChecksum + MavlinkConstants.SignatureLength)
            throw new ArgumentException($"buffer too small for the signature: {frame.Length} < {frameUpToChecksum + MavlinkConstants.SignatureLength}", nameof(frame));
        if (frame[0] != MavlinkConstants.StxV2 || (frame[2] & MavlinkConstants.IncompatFlagSigned) == 0)
            throw new ArgumentException("only MAVLink 2 frames with the signed incompat flag set can be signed", nameof(frame));
        ulong ts = NextTimestamp();
        var block = frame.Slice(frameUpToChecksum, MavlinkConstants.SignatureLength);
        block[0] = LinkId;
        MavlinkSignature.WriteUInt48(block.Slice(1, 6), ts);
        MavlinkSignature.Compute(_key.Bytes, frame[..frameUpToChecksum], LinkId, ts, block.Slice(7, 6));
        return frameUpToChecksum + MavlinkConstants.SignatureLength;
    }
}
