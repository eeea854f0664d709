namespace Interceptor.Mavlink;

/// <summary>CRC-16/MCRF4XX (the "X.25" checksum of MAVLink): polynomial 0x1021 reflected (0x8408),
/// initial value 0xFFFF, no final XOR. A frame's checksum covers the bytes after the start marker up to
/// the end of the payload, then the message's CRC_EXTRA byte.</summary>
public static class MavlinkCrc
{
    /// <summary>Initial accumulator value.</summary>
    public const ushort Initial = 0xFFFF;

    private static readonly ushort[] Table = BuildTable();

    private static ushort[] BuildTable()
    {
        // The bytewise algorithm's effect depends only on (value XOR low byte of crc): tabulate it.
        var table = new ushort[256];
        for (int i = 0; i < 256; i++) table[i] = Accumulate((byte)i, 0);
        return table;
    }

    /// <summary>Accumulates one byte into <paramref name="crc"/> (MAVLink's crc_accumulate).</summary>
    public static ushort Accumulate(byte value, ushort crc)
    {
        byte tmp = (byte)(value ^ (byte)(crc & 0xFF));
        tmp ^= (byte)(tmp << 4);
        return (ushort)((crc >> 8) ^ (tmp << 8) ^ (tmp << 3) ^ (tmp >> 4));
    }

    /// <summary>Accumulates <paramref name="data"/> into <paramref name="crc"/> (table driven).</summary>
    public static ushort Accumulate(ReadOnlySpan<byte> data, ushort crc = Initial)
    {
        ushort[] table = Table;
        foreach (byte b in data)
            crc = (ushort)((crc >> 8) ^ table[(byte)(crc ^ b)]);
        return crc;
    }

    /// <summary>Checksum of a frame: <paramref name="headerAndPayload"/> is everything after the start
    /// marker up to the end of the payload; <paramref name="crcExtra"/> is the message's CRC_EXTRA.</summary>
    public static ushort Compute(ReadOnlySpan<byte> headerAndPayload, byte crcExtra)
    {
        ushort crc = Accumulate(headerAndPayload);
        return (ushort)((crc >> 8) ^ Table[(byte)(crc ^ crcExtra)]);
    }

    /// <summary>CRC_EXTRA from a full 16-bit CRC over the message description: low byte XOR high byte.</summary>
    public static byte FoldExtra(ushort crc) => (byte)((crc & 0xFF) ^ (crc >> 8));
}
