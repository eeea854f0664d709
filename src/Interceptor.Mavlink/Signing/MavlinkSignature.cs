using System.Security.Cryptography;

namespace Interceptor.Mavlink.Signing;

/// <summary>MAVLink 2 signature primitives. Signature = first 6 bytes of
/// SHA-256(secret key (32) + frame header + payload + checksum + link id (1) + timestamp (6, little endian)).</summary>
public static class MavlinkSignature
{
    /// <summary>Epoch of signing timestamps: 2015-01-01 00:00:00 UTC.</summary>
    public static readonly DateTimeOffset Epoch = new(2015, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Largest 48-bit timestamp.</summary>
    public const ulong MaxTimestamp = (1UL << 48) - 1;

    /// <summary>Signing timestamp (10 us units since <see cref="Epoch"/>) of a wall-clock time; 0 before the epoch.</summary>
    public static ulong TimestampFrom(DateTimeOffset time)
    {
        long ticks = (time - Epoch).Ticks; // 100 ns
        return ticks <= 0 ? 0 : Math.Min((ulong)ticks / 100, MaxTimestamp);
    }

    /// <summary>Wall-clock time of a signing timestamp.</summary>
    public static DateTimeOffset TimeOf(ulong timestamp) => Epoch.AddTicks((long)Math.Min(timestamp, MaxTimestamp) * 100);

    /// <summary>Computes the 6 signature bytes into <paramref name="signature"/>.
    /// <paramref name="frameUpToChecksum"/> is the frame from the start marker through the checksum.</summary>
    public static void Compute(ReadOnlySpan<byte> key, ReadOnlySpan<byte> frameUpToChecksum, byte linkId, ulong timestamp, Span<byte> signature)
    {
        if (key.Length != MavlinkSigningKey.Length) throw new ArgumentException($"key length must be 32, got {key.Length}", nameof(key));
        if (signature.Length < 6) throw new ArgumentException($"signature buffer must hold 6 bytes, got {signature.Length}", nameof(signature));
        Span<byte> input = stackalloc byte[MavlinkSigningKey.Length + MavlinkConstants.MaxFrameLength];
        int n = 0;
        key.CopyTo(input); n += key.Length;
        frameUpToChecksum.CopyTo(input[n..]); n += frameUpToChecksum.Length;
        input[n++] = linkId;
        WriteUInt48(input.Slice(n, 6), timestamp); n += 6;
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(input[..n], hash);
        hash[..6].CopyTo(signature);
    }

    /// <summary>True when the frame is signed and its signature matches <paramref name="key"/> (constant-time compare).</summary>
    public static bool Verify(ReadOnlySpan<byte> key, in MavlinkFrame frame)
    {
        if (!frame.IsSigned) return false;
        Span<byte> expected = stackalloc byte[6];
        Compute(key, frame.Raw[..frame.LengthWithoutSignature], frame.SignatureLinkId, frame.SignatureTimestamp, expected);
        return CryptographicOperations.FixedTimeEquals(expected, frame.SignatureValue);
    }

    internal static void WriteUInt48(Span<byte> b, ulong v)
    {
        for (int i = 0; i < 6; i++) b[i] = (byte)(v >> (8 * i));
    }
}
