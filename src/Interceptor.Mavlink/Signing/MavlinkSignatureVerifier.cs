namespace Interceptor.Mavlink.Signing;

/// <summary>What to do with incoming frames regarding signatures.</summary>
public enum MavlinkSigningPolicy
{
    /// <summary>Signatures are not checked; every frame is accepted.</summary>
    Disabled,
    /// <summary>Signed frames must verify (bad or replayed ones are rejected); unsigned frames are accepted.</summary>
    VerifyIfSigned,
    /// <summary>Only frames with a valid, fresh signature are accepted, except unsigned frames whose message
    /// id is explicitly allowed. Without a key every frame that needs a signature is rejected (fail closed).</summary>
    SignedOnly,
}

/// <summary>Verdict for one incoming frame.</summary>
public enum MavlinkSignatureVerdict
{
    /// <summary>Signed and verified, timestamp fresh for its stream.</summary>
    AcceptedSigned,
    /// <summary>Unsigned and allowed by the policy.</summary>
    AcceptedUnsigned,
    /// <summary>Policy is <see cref="MavlinkSigningPolicy.Disabled"/>: accepted without checking.</summary>
    AcceptedUnchecked,
    /// <summary>Unsigned under "signed only" and its message id is not in the allowed list.</summary>
    RejectedUnsigned,
    /// <summary>Signed but the signature does not match the key.</summary>
    RejectedBadSignature,
    /// <summary>Signed correctly but its timestamp is not newer than the last one of its (sysid, compid, link id) stream.</summary>
    RejectedReplay,
    /// <summary>A signature would have to be checked but no key is configured.</summary>
    RejectedNoKey,
    /// <summary>A new stream's first timestamp is older than the configured bound allows.</summary>
    RejectedStale,
}

/// <summary>Checks incoming frames against a signing policy, tracking timestamps per
/// (system id, component id, link id) stream and counting rejections by reason. Thread-safe.
/// <para>Timestamp rule: within a stream the timestamp must strictly increase (equal or older = replay).
/// The wall clock is NOT compared with established streams: ArduPilot's signing clock can lag the wall
/// clock, and its own monotonic stream must be accepted. A stream's first frame is accepted at any age by
/// default; <see cref="MaxNewStreamAge"/> optionally bounds how far behind our clock it may be (the spec
/// suggests one minute), which limits replay of recordings into a verifier that was just started.</para></summary>
public sealed class MavlinkSignatureVerifier
{
    private readonly MavlinkSigningKey? _key;
    private readonly HashSet<uint> _allowedUnsigned;
    private readonly Dictionary<uint, ulong> _lastTimestamp = new(); // key: sysid<<16 | compid<<8 | link
    private readonly long[] _counts = new long[Enum.GetValues<MavlinkSignatureVerdict>().Length];
    private readonly Lock _gate = new();
    private readonly TimeProvider _time;

    /// <summary>Creates a verifier. <paramref name="key"/> may be null (then "signed only" rejects every
    /// frame that is not explicitly allowed unsigned). <paramref name="allowedUnsignedMessageIds"/> lists
    /// message ids accepted unsigned under "signed only" (e.g. RADIO_STATUS 109 from a radio).</summary>
    public MavlinkSignatureVerifier(MavlinkSigningPolicy policy, MavlinkSigningKey? key,
        IEnumerable<uint>? allowedUnsignedMessageIds = null, TimeProvider? time = null, TimeSpan? maxNewStreamAge = null)
    {
        if (!Enum.IsDefined(policy)) throw new ArgumentOutOfRangeException(nameof(policy), policy, "unknown signing policy");
        if (maxNewStreamAge is { } age && age < TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(maxNewStreamAge), age, "maxNewStreamAge must not be negative");
        Policy = policy;
        _key = key;
        _allowedUnsigned = allowedUnsignedMessageIds is null ? [] : [.. allowedUnsignedMessageIds];
        _time = time ?? TimeProvider.System;
        MaxNewStreamAge = maxNewStreamAge;
    }

    /// <summary>The policy.</summary>
    public MavlinkSigningPolicy Policy { get; }
    /// <summary>Whether a key is configured.</summary>
    public bool HasKey => _key is not null;
    /// <summary>Optional bound on how old (versus our clock) the first timestamp of a new stream may be.</summary>
    public TimeSpan? MaxNewStreamAge { get; }
    /// <summary>Message ids accepted unsigned under <see cref="MavlinkSigningPolicy.SignedOnly"/>.</summary>
    public IReadOnlySet<uint> AllowedUnsignedMessageIds => _allowedUnsigned;

    /// <summary>Number of frames that received <paramref name="verdict"/>.</summary>
    public long Count(MavlinkSignatureVerdict verdict) { lock (_gate) return _counts[(int)verdict]; }

    /// <summary>Total rejected frames (all Rejected* verdicts).</summary>
    public long RejectedTotal
    {
        get
        {
            lock (_gate)
                return _counts[(int)MavlinkSignatureVerdict.RejectedUnsigned] + _counts[(int)MavlinkSignatureVerdict.RejectedBadSignature]
                    + _counts[(int)MavlinkSignatureVerdict.RejectedReplay] + _counts[(int)MavlinkSignatureVerdict.RejectedNoKey]
                    + _counts[(int)MavlinkSignatureVerdict.RejectedStale];
        }
    }

    /// <summary>True for the Accepted* verdicts.</summary>
    public static bool IsAccepted(MavlinkSignatureVerdict verdict) =>
        verdict is MavlinkSignatureVerdict.AcceptedSigned or MavlinkSignatureVerdict.AcceptedUnsigned or MavlinkSignatureVerdict.AcceptedUnchecked;

    /// <summary>Checks one frame (as yielded by <see cref="MavlinkParser"/>) and updates stream state and counters.
    /// A verified frame advances its stream's timestamp.</summary>
    public MavlinkSignatureVerdict Check(in MavlinkFrame frame)
    {
        var verdict = Decide(frame);
        lock (_gate) _counts[(int)verdict]++;
        return verdict;
    }

    private MavlinkSignatureVerdict Decide(in MavlinkFrame frame)
    {
        if (Policy == MavlinkSigningPolicy.Disabled) return MavlinkSignatureVerdict.AcceptedUnchecked;
        if (!frame.IsSigned)
        {
            if (Policy == MavlinkSigningPolicy.VerifyIfSigned) return MavlinkSignatureVerdict.AcceptedUnsigned;
            return _allowedUnsigned.Contains(frame.MessageId) ? MavlinkSignatureVerdict.AcceptedUnsigned : MavlinkSignatureVerdict.RejectedUnsigned;
        }
        if (_key is null) return MavlinkSignatureVerdict.RejectedNoKey;
        if (!MavlinkSignature.Verify(_key.Bytes, frame)) return MavlinkSignatureVerdict.RejectedBadSignature;
        ulong ts = frame.SignatureTimestamp;
        uint stream = ((uint)frame.SystemId << 16) | ((uint)frame.ComponentId << 8) | frame.SignatureLinkId;
        lock (_gate)
        {
            if (_lastTimestamp.TryGetValue(stream, out ulong last))
            {
                if (ts <= last) return MavlinkSignatureVerdict.RejectedReplay;
            }
            else if (MaxNewStreamAge is { } maxAge)
            {
                ulong now = MavlinkSignature.TimestampFrom(_time.GetUtcNow());
                ulong bound = (ulong)(maxAge.Ticks / 100);
                if (now > bound && ts < now - bound) return MavlinkSignatureVerdict.RejectedStale;
            }
            _lastTimestamp[stream] = ts;
        }
        return MavlinkSignatureVerdict.AcceptedSigned;
    }

    /// <summary>Last accepted timestamp of a stream, or null.</summary>
    public ulong? LastTimestamp(byte systemId, byte componentId, byte linkId)
    {
        lock (_gate)
            return _lastTimestamp.TryGetValue(((uint)systemId << 16) | ((uint)componentId << 8) | linkId, out ulong t) ? t : null;
    }
}
