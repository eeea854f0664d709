namespace Interceptor.Mavlink;

/// <summary>MAVLink wire protocol version of a frame.</summary>
public enum MavlinkVersion : byte
{
    /// <summary>MAVLink 1: start marker 0xFE, 6-byte header, 8-bit message id, no signing.</summary>
    V1 = 1,
    /// <summary>MAVLink 2: start marker 0xFD, 10-byte header, 24-bit message id, optional signature.</summary>
    V2 = 2,
}

/// <summary>Wire constants of MAVLink framing.</summary>
public static class MavlinkConstants
{
    /// <summary>MAVLink 1 start marker.</summary>
    public const byte StxV1 = 0xFE;
    /// <summary>MAVLink 2 start marker.</summary>
    public const byte StxV2 = 0xFD;
    /// <summary>MAVLink 1 header length including the start marker.</summary>
    public const int HeaderLengthV1 = 6;
    /// <summary>MAVLink 2 header length including the start marker.</summary>
    public const int HeaderLengthV2 = 10;
    /// <summary>Checksum length.</summary>
    public const int ChecksumLength = 2;
    /// <summary>MAVLink 2 signature length: link id (1) + timestamp (6) + signature (6).</summary>
    public const int SignatureLength = 13;
    /// <summary>Largest payload length.</summary>
    public const int MaxPayloadLength = 255;
    /// <summary>Largest frame: MAVLink 2 header + 255 payload bytes + checksum + signature = 280 bytes.</summary>
    public const int MaxFrameLength = HeaderLengthV2 + MaxPayloadLength + ChecksumLength + SignatureLength;
    /// <summary>Incompatibility flag: the frame carries a signature.</summary>
    public const byte IncompatFlagSigned = 0x01;
    /// <summary>All incompatibility flags this implementation understands; frames with others are dropped.</summary>
    public const byte SupportedIncompatFlags = IncompatFlagSigned;
}

/// <summary>Metadata of one message definition (generated from the XML dialect).</summary>
public sealed class MavlinkMessageInfo
{
    /// <summary>Creates metadata (used by the generated table).</summary>
    public MavlinkMessageInfo(uint id, string name, byte crcExtra, byte minLength, byte maxLength,
        int targetSystemOffset, int targetComponentOffset)
    {
        Id = id; Name = name; CrcExtra = crcExtra; MinLength = minLength; MaxLength = maxLength;
        TargetSystemOffset = targetSystemOffset; TargetComponentOffset = targetComponentOffset;
    }

    /// <summary>Message id.</summary>
    public uint Id { get; }
    /// <summary>Message name as in the XML (e.g. HEARTBEAT).</summary>
    public string Name { get; }
    /// <summary>CRC_EXTRA seed byte mixed into the frame checksum.</summary>
    public byte CrcExtra { get; }
    /// <summary>Base payload length (fields before &lt;extensions/&gt;; the MAVLink 1 length).</summary>
    public byte MinLength { get; }
    /// <summary>Payload length including extension fields.</summary>
    public byte MaxLength { get; }
    /// <summary>Payload offset of the target_system field (uint8), or -1 when the message has none.</summary>
    public int TargetSystemOffset { get; }
    /// <summary>Payload offset of the target_component field (uint8), or -1 when the message has none.</summary>
    public int TargetComponentOffset { get; }

    /// <inheritdoc />
    public override string ToString() => $"{Name}({Id})";
}

/// <summary>Lookup of the generated message metadata by id.</summary>
public static partial class MavlinkMessages
{
    // Same file and textual order: the table exists before the index is built (CreateTable is generated).
    private static readonly MavlinkMessageInfo[] AllMessages = CreateTable();
    private static readonly MavlinkMessageInfo?[] ById = BuildIndex();

    private static MavlinkMessageInfo?[] BuildIndex()
    {
        uint max = 0;
        foreach (var m in AllMessages) max = Math.Max(max, m.Id);
        var index = new MavlinkMessageInfo?[max + 1];
        foreach (var m in AllMessages) index[m.Id] = m;
        return index;
    }

    /// <summary>All known messages, ordered by id.</summary>
    public static IReadOnlyList<MavlinkMessageInfo> All => AllMessages;

    /// <summary>Metadata for <paramref name="messageId"/>, or null when the dialect does not define it.</summary>
    public static MavlinkMessageInfo? Find(uint messageId) => messageId < (uint)ById.Length ? ById[messageId] : null;

    /// <summary>Metadata for <paramref name="messageId"/>; false when unknown.</summary>
    public static bool TryGet(uint messageId, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out MavlinkMessageInfo? info)
    {
        info = Find(messageId);
        return info is not null;
    }
}

/// <summary>A generated MAVLink message struct: static metadata plus payload encode/decode without allocation.</summary>
/// <typeparam name="TSelf">The message struct itself.</typeparam>
public interface IMavlinkMessage<TSelf> where TSelf : struct, IMavlinkMessage<TSelf>
{
    /// <summary>Message id.</summary>
    static abstract uint MessageId { get; }
    /// <summary>Message name as in the XML.</summary>
    static abstract string MessageName { get; }
    /// <summary>CRC_EXTRA byte.</summary>
    static abstract byte CrcExtra { get; }
    /// <summary>Base payload length (MAVLink 1 length, no extensions).</summary>
    static abstract int MinLength { get; }
    /// <summary>Payload length including extensions.</summary>
    static abstract int MaxLength { get; }

    /// <summary>Writes the full (untruncated, extensions included) payload of <see cref="MaxLength"/> bytes
    /// into <paramref name="payload"/> and returns that length. The frame writer truncates.</summary>
    int Encode(Span<byte> payload);

    /// <summary>Decodes a payload; a short payload (MAVLink 2 truncation, or a MAVLink 1 frame without
    /// extensions) is zero-extended. Throws <see cref="ArgumentException"/> when longer than <see cref="MaxLength"/>.</summary>
    static abstract TSelf Decode(ReadOnlySpan<byte> payload);

    /// <summary>Like <see cref="Decode"/>, false instead of throwing when the payload is longer than <see cref="MaxLength"/>.</summary>
    static abstract bool TryDecode(ReadOnlySpan<byte> payload, out TSelf message);
}
