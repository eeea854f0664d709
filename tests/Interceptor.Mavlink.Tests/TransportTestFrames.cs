using System.Buffers.Binary;

namespace Interceptor.Mavlink.Tests;

/// <summary>Hand-built frames for transport/router tests (ids, lengths and CRC_EXTRA from the MAVLink spec).</summary>
internal static class TransportTestFrames
{
    public static byte[] Heartbeat(byte sys, byte comp, byte seq, byte mavType = 2, byte autopilot = 12)
    {
        var p = new byte[9];
        p[4] = mavType; p[5] = autopilot; p[8] = 3;
        return Frame(0, 50, 9, sys, comp, seq, p);
    }

    public static byte[] CommandLong(byte sys, byte comp, byte seq, byte targetSys, byte targetComp, ushort command)
    {
        var p = new byte[33];
        BinaryPrimitives.WriteUInt16LittleEndian(p.AsSpan(28), command);
        p[30] = targetSys; p[31] = targetComp;
        return Frame(76, 152, 33, sys, comp, seq, p);
    }

    public static byte[] Frame(uint id, byte crcExtra, int minLength, byte sys, byte comp, byte seq, byte[] payload)
    {
        var buf = new byte[MavlinkConstants.MaxFrameLength];
        int n = MavlinkFrameWriter.WriteFrame(buf, MavlinkVersion.V2, seq, sys, comp, id, crcExtra, minLength, payload);
        return buf[..n];
    }
}
