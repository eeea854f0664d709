using System.Buffers.Binary;

namespace Interceptor.Mavlink;

/// <summary>Outcome of checking bytes that start with a start marker.</summary>
public enum MavlinkFrameCheck
{
    /// <summary>A complete frame with a valid checksum (or an unknown message id, see <see cref="MavlinkFrame.CrcVerified"/>).</summary>
    Ok,
    /// <summary>The bytes are a prefix of a frame that may still be valid: supply more bytes.</summary>
    NeedMoreData,
    /// <summary>Not a frame start marker.</summary>
    NotStartMarker,
    /// <summary>MAVLink 2 incompatibility flags this implementation does not support.</summary>
    UnsupportedIncompatFlags,
    /// <summary>Known message id with a payload longer than its definition allows.</summary>
    PayloadTooLong,
    /// <summary>Checksum mismatch.</summary>
    BadCrc,
}

/// <summary>A view of one complete MAVLink 1 or 2 frame over its raw bytes (no copy). Valid only while the
/// underlying buffer is: copy <see cref="Raw"/> (e.g. <c>Raw.ToArray()</c>) to keep a frame.</summary>
public readonly ref struct MavlinkFrame
{
    /// <summary>Wraps <paramref name="raw"/>, which must be exactly one complete frame (see <see cref="Check"/>).</summary>
    public MavlinkFrame(ReadOnlySpan<byte> raw, bool crcVerified)
    {
        Raw = raw;
        CrcVerified = crcVerified;
    }

    /// <summary>All bytes of the frame: start marker to checksum, plus the signature when present.</summary>
    public ReadOnlySpan<byte> Raw { get; }

    /// <summary>True when the checksum was verified with the message's CRC_EXTRA; false for message ids the
    /// dialect does not define (the frame is kept whole, e.g. for routing, but its integrity is unverified).</summary>
    public bool CrcVerified { get; }

    /// <summary>Protocol version (from the start marker).</summary>
    public MavlinkVersion Version => Raw[0] == MavlinkConstants.StxV2 ? MavlinkVersion.V2 : MavlinkVersion.V1;
    private bool IsV2 => Raw[0] == MavlinkConstants.StxV2;
    /// <summary>Header length: 10 (v2) or 6 (v1).</summary>
    public int HeaderLength => IsV2 ? MavlinkConstants.HeaderLengthV2 : MavlinkConstants.HeaderLengthV1;
    /// <summary>Payload length on the wire (after MAVLink 2 truncation).</summary>
    public int PayloadLength => Raw[1];
    /// <summary>MAVLink 2 incompatibility flags (0 for v1).</summary>
    public byte IncompatFlags => IsV2 ? Raw[2] : (byte)0;
    /// <summary>MAVLink 2 compatibility flags (0 for v1).</summary>
    public byte CompatFlags => IsV2 ? Raw[3] : (byte)0;
    /// <summary>Sequence number.</summary>
    public byte Sequence => IsV2 ? Raw[4] : Raw[2];
    /// <summary>Sender system id.</summary>
    public byte SystemId => IsV2 ? Raw[5] : Raw[3];
    /// <summary>Sender component id.</summary>
    public byte ComponentId => IsV2 ? Raw[6] : Raw[4];
    /// <summary>Source key: SystemId * 256 + ComponentId.</summary>
    public ushort SourceKey => (ushort)((SystemId << 8) | ComponentId);
    /// <summary>Message id (24 bits in v2, 8 bits in v1).</summary>
    public uint MessageId => IsV2 ? (uint)(Raw[7] | (Raw[8] << 8) | (Raw[9] << 16)) : Raw[5];
    /// <summary>The payload as sent (MAVLink 2 may have truncated trailing zeros; decoders zero-extend).</summary>
    public ReadOnlySpan<byte> Payload => Raw.Slice(HeaderLength, Raw[1]);
    /// <summary>The checksum field.</summary>
    public ushort Checksum => BinaryPrimitives.ReadUInt16LittleEndian(Raw.Slice(HeaderLength + Raw[1], 2));
    /// <summary>Length of the frame up to and including the checksum (the part a signature covers).</summary>
    public int LengthWithoutSignature => HeaderLength + Raw[1] + MavlinkConstants.ChecksumLength;
    /// <summary>True when the MAVLink 2 signed flag is set (the frame then ends with a 13-byte signature).</summary>
    public bool IsSigned => IsV2 && (Raw[2] & MavlinkConstants.IncompatFlagSigned) != 0;
    /// <summary>The 13 signature bytes (link id, timestamp, signature), empty when unsigned.</summary>
    public ReadOnlySpan<byte> SignatureBlock => IsSigned ? Raw.Slice(LengthWithoutSignature, MavlinkConstants.SignatureLength) : default;
    /// <summary>Signature link id (0 when unsigned).</summary>
    public byte SignatureLinkId => IsSigned ? Raw[LengthWithoutSignature] : (byte)0;
    /// <summary>Signature timestamp in 10 us units since 2015-01-01 00:00 UTC (0 when unsigned).</summary>
    public ulong SignatureTimestamp => IsSigned ? ReadUInt48(Raw.Slice(LengthWithoutSignature + 1, 6)) : 0;
    /// <summary>The 6 signature bytes (empty when unsigned).</summary>
    public ReadOnlySpan<byte> SignatureValue => IsSigned ? Raw.Slice(LengthWithoutSignature + 7, 6) : default;
    /// <summary>Metadata of the message, or null when the dialect does not define the id.</summary>
    public MavlinkMessageInfo? Info => MavlinkMessages.Find(MessageId);

    /// <summary>Target system and component for routing, read from the payload (zero-extended).
    /// False when the message is unknown or has no target_system field (then it is a broadcast).</summary>
    public bool TryGetTarget(out byte targetSystem, out byte targetComponent)
    {
        targetSystem = 0; targetComponent = 0;
        var info = MavlinkMessages.Find(MessageId);
        if (info is null || info.TargetSystemOffset < 0) return false;
        var p = Payload;
        targetSystem = info.TargetSystemOffset < p.Length ? p[info.TargetSystemOffset] : (byte)0;
        if (info.TargetComponentOffset >= 0 && info.TargetComponentOffset < p.Length) targetComponent = p[info.TargetComponentOffset];
        return true;
    }

    /// <summary>Decodes the payload as <typeparamref name="T"/>; false when the message id differs or
    /// the payload is too long.</summary>
    public bool TryDecode<T>(out T message) where T : struct, IMavlinkMessage<T>
    {
        if (MessageId != T.MessageId) { message = default; return false; }
        return T.TryDecode(Payload, out message);
    }

    /// <summary>Checks whether <paramref name="data"/> starts with a complete, valid frame.
    /// On <see cref="MavlinkFrameCheck.Ok"/>, <paramref name="frame"/> covers exactly that frame
    /// (its length is <c>frame.Raw.Length</c>). On <see cref="MavlinkFrameCheck.NeedMoreData"/>,
    /// <paramref name="requiredLength"/> is the number of bytes needed to decide (at least data.Length + 1).</summary>
    public static MavlinkFrameCheck Check(ReadOnlySpan<byte> data, out MavlinkFrame frame, out int requiredLength)
    {
        frame = default;
        requiredLength = 0;
        if (data.IsEmpty) { requiredLength = 1; return MavlinkFrameCheck.NeedMoreData; }
        byte stx = data[0];
        int total;
        uint msgId;
        int headerLen;
        if (stx == MavlinkConstants.StxV2)
        {
            if (data.Length < 3) { requiredLength = 3; return MavlinkFrameCheck.NeedMoreData; }
            byte incompat = data[2];
            if ((incompat & ~MavlinkConstants.SupportedIncompatFlags) != 0) return MavlinkFrameCheck.UnsupportedIncompatFlags;
            headerLen = MavlinkConstants.HeaderLengthV2;
            total = headerLen + data[1] + MavlinkConstants.ChecksumLength
                + ((incompat & MavlinkConstants.IncompatFlagSigned) != 0 ? MavlinkConstants.SignatureLength : 0);
            if (data.Length < total) { requiredLength = total; return MavlinkFrameCheck.NeedMoreData; }
            msgId = (uint)(data[7] | (data[8] << 8) | (data[9] << 16));
        }
        else if (stx == MavlinkConstants.StxV1)
        {
            if (data.Length < 2) { requiredLength = 2; return MavlinkFrameCheck.NeedMoreData; }
            headerLen = MavlinkConstants.HeaderLengthV1;
            total = headerLen + data[1] + MavlinkConstants.ChecksumLength;
            if (data.Length < total) { requiredLength = total; return MavlinkFrameCheck.NeedMoreData; }
            msgId = data[5];
        }
        else
        {
            return MavlinkFrameCheck.NotStartMarker;
        }

        int payloadLen = data[1];
        var info = MavlinkMessages.Find(msgId);
        if (info is null)
        {
            frame = new MavlinkFrame(data[..total], crcVerified: false);
            return MavlinkFrameCheck.Ok;
        }
        if (payloadLen > info.MaxLength) return MavlinkFrameCheck.PayloadTooLong;
        ushort crc = MavlinkCrc.Compute(data.Slice(1, headerLen - 1 + payloadLen), info.CrcExtra);
        ushort wire = BinaryPrimitives.ReadUInt16LittleEndian(data.Slice(headerLen + payloadLen, 2));
        if (crc != wire) return MavlinkFrameCheck.BadCrc;
        frame = new MavlinkFrame(data[..total], crcVerified: true);
        return MavlinkFrameCheck.Ok;
    }

    internal static ulong ReadUInt48(ReadOnlySpan<byte> b) =>
        b[0] | ((ulong)b[1] << 8) | ((ulong)b[2] << 16) | ((ulong)b[3] << 24) | ((ulong)b[4] << 32) | ((ulong)b[5] << 40);
}
