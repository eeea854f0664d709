namespace Interceptor.Mavlink;

/// <summary>CRC-16/MCRF4XX (the "X.25" checksum of MAVLink): polynomial 0x1021 reflected (0x8408),
/// initial value 0xFFFF, no final XOR. A frame's checksum covers the bytes after the start marker up to
/// the end of the payload, then the message's CRC_EXTRA byte.</summary>
public static class MavlinkCrc
{
    /// <summary>Initial accumulator value.</summary>
    public const ushort Initial = 0xFFFF;

    // Table[0]: effect of one byte; Table[k]: effect of a byte followed by k zero bytes (slicing-by-4).
    private static readonly ushort[][] Tables = BuildTables();
    private static readonly ushort[] Table = Tables[0];

    private static ushort[][] BuildTables()
    {
        // The bytewise algorithm's effect depends only on (value XOR low byte of crc): tabulate it.
        var t = new ushort[4][];
        for (int k = 0; k < 4; k++) t[k] = new ushort[256];
        for (int i = 0; i < 256; i++) t[0][i] = Accumulate((byte)i, 0);
        for (int k = 1; k < 4; k++)
            for (int i = 0; i < 256; i++)
                t[k][i] = (ushort)((t[k - 1][i] >> 8) ^ t[0][t[k - 1][i] & 0xFF]);
        return t;
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
        ushort[] t0 = Tables[0], t1 = Tables[1], t2 = Tables[2], t3 = Tables[3];
        int i = 0;
        for (; i + 4 <= data.Length; i += 4)
        {
            int x = crc ^ (data[i] | (data[i + 1] << 8));
            crc = (ushort)(t3[x & 0xFF] ^ t2[x >> 8] ^ t1[data[i + 2]] ^ t0[data[i + 3]]);
        }
        for (; i < data.Length; i++)
            crc = (ushort)((crc >> 8) ^ t0[(byte)(crc ^ data[i])]);
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
