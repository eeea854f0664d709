using System.Buffers.Binary;
using Interceptor.Mavlink.Signing;

namespace Interceptor.Mavlink;

/// <summary>Emits MAVLink 1 or 2 frames into a caller's buffer for one sender (system id, component id),
/// numbering them with a sequence counter. MAVLink 2 payloads are zero-truncated (at least one byte is
/// kept); MAVLink 1 frames carry the base payload (no extensions). With a <see cref="MavlinkSigner"/>,
/// MAVLink 2 frames are signed. Thread-safe (sequence numbers are taken atomically).</summary>
public sealed class MavlinkFrameWriter
{
    private int _sequence = -1;

    /// <summary>Creates a writer.</summary>
    public MavlinkFrameWriter(byte systemId, byte componentId, MavlinkVersion version = MavlinkVersion.V2, MavlinkSigner? signer = null)
    {
        if (version != MavlinkVersion.V1 && version != MavlinkVersion.V2)
            throw new ArgumentOutOfRangeException(nameof(version), version, "version must be V1 or V2");
        if (signer is not null && version == MavlinkVersion.V1)
            throw new ArgumentException("MAVLink 1 frames cannot be signed", nameof(signer));
        SystemId = systemId;
        ComponentId = componentId;
        Version = version;
        Signer = signer;
    }

    /// <summary>Sender system id.</summary>
    public byte SystemId { get; }
    /// <summary>Sender component id.</summary>
    public byte ComponentId { get; }
    /// <summary>Protocol version written.</summary>
    public MavlinkVersion Version { get; }
    /// <summary>Signer for outgoing frames, or null for unsigned.</summary>
    public MavlinkSigner? Signer { get; }

    /// <summary>Sequence number the next frame will carry.</summary>
    public byte NextSequence => unchecked((byte)(Volatile.Read(ref _sequence) + 1));

    private byte TakeSequence() => unchecked((byte)Interlocked.Increment(ref _sequence));

    /// <summary>Encodes <paramref name="message"/> and writes one frame; returns the frame length.
    /// <paramref name="destination"/> should hold <see cref="MavlinkConstants.MaxFrameLength"/> bytes.</summary>
    public int Write<T>(Span<byte> destination, in T message) where T : struct, IMavlinkMessage<T>
    {
        Span<byte> payload = stackalloc byte[MavlinkConstants.MaxPayloadLength];
        int len = message.Encode(payload);
        return WriteFrame(destination, Version, TakeSequence(), SystemId, ComponentId, T.MessageId, T.CrcExtra,
            T.MinLength, payload[..len], Signer);
    }

    /// <summary>Writes one frame of message <paramref name="messageId"/> (which the dialect must define) with
    /// an already encoded payload (any length up to the message's maximum; shorter is zero-extended).</summary>
    public int Write(Span<byte> destination, uint messageId, ReadOnlySpan<byte> payload)
    {
        var info = MavlinkMessages.Find(messageId)
            ?? throw new ArgumentException($"message id {messageId} is not defined by the dialect", nameof(messageId));
        if (payload.Length > info.MaxLength)
            throw new ArgumentException($"payload of {info.Name} is {payload.Length} bytes, max {info.MaxLength}", nameof(payload));
        Span<byte> full = stackalloc byte[MavlinkConstants.MaxPayloadLength];
        full[..info.MaxLength].Clear();
        payload.CopyTo(full);
        return WriteFrame(destination, Version, TakeSequence(), SystemId, ComponentId, messageId, info.CrcExtra,
            info.MinLength, full[..info.MaxLength], Signer);
    }

    /// <summary>Writes one frame with explicit header values (for forwarding/tests). <paramref name="payload"/>
    /// is the full payload; v2 truncates trailing zeros (keeping one byte), v1 keeps the first
    /// <paramref name="minLength"/> bytes (zero-extending if shorter). Returns the frame length.</summary>
    public static int WriteFrame(Span<byte> destination, MavlinkVersion version, byte sequence, byte systemId, byte componentId,
        uint messageId, byte crcExtra, int minLength, ReadOnlySpan<byte> payload, MavlinkSigner? signer = null, byte compatFlags = 0)
    {
        if (payload.Length > MavlinkConstants.MaxPayloadLength)
            throw new ArgumentException($"payload length {payload.Length} exceeds 255", nameof(payload));
        int headerLen, payloadLen;
        if (version == MavlinkVersion.V1)
        {
            if (messageId > 255) throw new ArgumentException($"message id {messageId} does not fit MAVLink 1", nameof(messageId));
            if (signer is not null) throw new ArgumentException("MAVLink 1 frames cannot be signed", nameof(signer));
            headerLen = MavlinkConstants.HeaderLengthV1;
            payloadLen = minLength;
            int need = headerLen + payloadLen + MavlinkConstants.ChecksumLength;
            if (destination.Length < need) throw new ArgumentException($"destination holds {destination.Length} bytes, frame needs {need}", nameof(destination));
            destination[0] = MavlinkConstants.StxV1;
            destination[1] = (byte)payloadLen;
            destination[2] = sequence;
            destination[3] = systemId;
            destination[4] = componentId;
            destination[5] = (byte)messageId;
            var dst = destination.Slice(headerLen, payloadLen);
            int copy = Math.Min(payloadLen, payload.Length);
            payload[..copy].CopyTo(dst);
            dst[copy..].Clear();
        }
        else if (version == MavlinkVersion.V2)
        {
            if (messageId > 0xFFFFFF) throw new ArgumentException($"message id {messageId} exceeds 24 bits", nameof(messageId));
            headerLen = MavlinkConstants.HeaderLengthV2;
            payloadLen = payload.Length;
            while (payloadLen > 1 && payload[payloadLen - 1] == 0) payloadLen--;
            int need = headerLen + payloadLen + MavlinkConstants.ChecksumLength + (signer is null ? 0 : MavlinkConstants.SignatureLength);
            if (destination.Length < need) throw new ArgumentException($"destination holds {destination.Length} bytes, frame needs {need}", nameof(destination));
            destination[0] = MavlinkConstants.StxV2;
            destination[1] = (byte)payloadLen;
            destination[2] = signer is null ? (byte)0 : MavlinkConstants.IncompatFlagSigned;
            destination[3] = compatFlags;
            destination[4] = sequence;
            destination[5] = systemId;
            destination[6] = componentId;
            destination[7] = (byte)messageId;
            destination[8] = (byte)(messageId >> 8);
            destination[9] = (byte)(messageId >> 16);
            payload[..payloadLen].CopyTo(destination[headerLen..]);
        }
        else
        {
            throw new ArgumentOutOfRangeException(nameof(version), version, "version must be V1 or V2");
        }
        ushort crc = MavlinkCrc.Compute(destination.Slice(1, headerLen - 1 + payloadLen), crcExtra);
        BinaryPrimitives.WriteUInt16LittleEndian(destination.Slice(headerLen + payloadLen, 2), crc);
        int length = headerLen + payloadLen + MavlinkConstants.ChecksumLength;
        return signer is null ? length : signer.Sign(destination, length);
    }
}
