using System.Reflection;
using FsCheck;
using FsCheck.Fluent;
using Interceptor.Mavlink.Messages;

namespace Interceptor.Mavlink.Tests;

/// <summary>Round trips of every generated message with FsCheck: random payload bytes and random field values.</summary>
public class CodecRoundTripTests
{
    private static readonly Type[] MessageTypes = [.. typeof(HeartbeatMessage).Assembly.GetTypes()
        .Where(t => t.IsValueType && t.GetInterfaces().Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IMavlinkMessage<>)))
        .OrderBy(t => t.Name, StringComparer.Ordinal)];

    private static readonly Gen<byte> ByteGen = Gen.Choose(0, 255).Select(i => (byte)i);

    [Fact]
    public void Every_message_struct_matches_the_metadata_table()
    {
        Assert.Equal(MavlinkMessages.Count, MessageTypes.Length);
        var method = typeof(CodecRoundTripTests).GetMethod(nameof(CheckMetadata), BindingFlags.NonPublic | BindingFlags.Static)!;
        foreach (var t in MessageTypes) method.MakeGenericMethod(t).Invoke(null, null);
    }

    private static void CheckMetadata<T>() where T : struct, IMavlinkMessage<T>
    {
        var info = MavlinkMessages.Find(T.MessageId)!;
        Assert.Equal((info.Name, info.CrcExtra, (int)info.MinLength, (int)info.MaxLength), (T.MessageName, T.CrcExtra, T.MinLength, T.MaxLength));
        Assert.Equal(T.MaxLength, default(T).Encode(new byte[T.MaxLength]));
        Assert.False(T.TryDecode(new byte[T.MaxLength + 1], out _));
        Assert.Throws<ArgumentException>(() => default(T).Encode(new byte[T.MaxLength - 1]));
    }

    [Fact]
    public void Random_payload_bytes_decode_and_encode_to_the_same_bytes_for_every_message()
    {
        var method = typeof(CodecRoundTripTests).GetMethod(nameof(PayloadRoundTrip), BindingFlags.NonPublic | BindingFlags.Static)!;
        foreach (var t in MessageTypes)
        {
            try { method.MakeGenericMethod(t).Invoke(null, null); }
            catch (TargetInvocationException e) { throw new InvalidOperationException($"{t.Name}: {e.InnerException?.Message}", e.InnerException); }
        }
    }

    private static void PayloadRoundTrip<T>() where T : struct, IMavlinkMessage<T>
    {
        var gen = Gen.Choose(0, T.MaxLength).SelectMany(n => Gen.ArrayOf(ByteGen, n));
        var prop = Prop.ForAll(Arb.From(gen), (byte[] payload) =>
        {
            // Zero-extension on receive, full encode, and the MAVLink 2 truncated frame gives back the same message.
            var m = T.Decode(payload);
            var full = new byte[T.MaxLength];
            int n = m.Encode(full);
            byte[] expected = new byte[T.MaxLength];
            payload.CopyTo(expected, 0);
            bool ok = n == T.MaxLength && full.AsSpan().SequenceEqual(expected);

            var frame = new byte[MavlinkConstants.MaxFrameLength];
            int len = new MavlinkFrameWriter(1, 2).Write(frame, m);
            ok &= MavlinkFrame.Check(frame.AsSpan(0, len), out var f, out _) == MavlinkFrameCheck.Ok && f.CrcVerified;
            int trimmed = T.MaxLength;
            while (trimmed > 1 && expected[trimmed - 1] == 0) trimmed--;
            ok &= f.PayloadLength == trimmed && f.TryDecode(out T back);
            T.TryDecode(f.Payload, out back);
            var again = new byte[T.MaxLength];
            back.Encode(again);
            return ok && again.AsSpan().SequenceEqual(expected);
        });
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(40), prop);
    }

    [Fact]
    public void Random_field_values_round_trip_for_every_message()
    {
        var method = typeof(CodecRoundTripTests).GetMethod(nameof(FieldRoundTrip), BindingFlags.NonPublic | BindingFlags.Static)!;
        foreach (var t in MessageTypes)
        {
            try { method.MakeGenericMethod(t).Invoke(null, null); }
            catch (TargetInvocationException e) { throw new InvalidOperationException($"{t.Name}: {e.InnerException?.Message}", e.InnerException); }
        }
    }

    private static object RandomValue(Type t, Random r) => t switch
    {
        _ when t == typeof(byte) => (object)((byte)r.Next(256)),
        _ when t == typeof(sbyte) => (object)((sbyte)r.Next(-128, 128)),
        _ when t == typeof(ushort) => (object)((ushort)r.Next(65536)),
        _ when t == typeof(short) => (object)((short)r.Next(-32768, 32768)),
        _ when t == typeof(uint) => (object)((uint)r.NextInt64(0, 1L << 32)),
        _ when t == typeof(int) => (object)(r.Next(int.MinValue, int.MaxValue)),
        _ when t == typeof(ulong) => (object)((ulong)r.NextInt64() ^ ((ulong)r.Next(2) << 63)),
        _ when t == typeof(long) => (object)(r.NextInt64(long.MinValue, long.MaxValue)),
        _ when t == typeof(float) => (object)(r.Next(8) == 0 ? float.NaN : (float)((r.NextDouble() - 0.5) * Math.Pow(10, r.Next(-6, 12)))),
        _ when t == typeof(double) => (object)(r.Next(8) == 0 ? double.NegativeInfinity : (r.NextDouble() - 0.5) * Math.Pow(10, r.Next(-12, 30))),
        _ => throw new NotSupportedException(t.Name),
    };

    private static void FieldRoundTrip<T>() where T : struct, IMavlinkMessage<T>
    {
        var scalars = typeof(T).GetFields(BindingFlags.Public | BindingFlags.Instance).Where(f => f.FieldType.IsPrimitive).ToArray();
        var prop = Prop.ForAll(Arb.From(Gen.Choose(int.MinValue, int.MaxValue)), (int seed) =>
        {
            var r = new Random(seed);
            var bytes = new byte[T.MaxLength];
            r.NextBytes(bytes);
            object boxed = T.Decode(bytes); // random arrays and char buffers
            var values = new object[scalars.Length];
            for (int i = 0; i < scalars.Length; i++)
            {
                values[i] = RandomValue(scalars[i].FieldType, r);
                scalars[i].SetValue(boxed, values[i]);
            }
            var m = (T)boxed;
            var encoded = new byte[T.MaxLength];
            m.Encode(encoded);
            object back = T.Decode(encoded);
            for (int i = 0; i < scalars.Length; i++)
                if (!values[i].Equals(scalars[i].GetValue(back))) return false;
            var again = new byte[T.MaxLength];
            ((T)back).Encode(again);
            return again.AsSpan().SequenceEqual(encoded);
        });
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(20), prop);
    }

    [Fact]
    public void Typed_fields_and_enums_map_to_the_documented_wire_offsets()
    {
        // SET_POSITION_TARGET_LOCAL_NED: time_boot_ms@0, x,y,z@4..15, vx..@16, afx..@28, yaw@40, yaw_rate@44,
        // type_mask@48 (uint16), target_system@50, target_component@51, coordinate_frame@52.
        var sp = new SetPositionTargetLocalNedMessage
        {
            TimeBootMs = 0x01020304, X = 1.5f, Vz = -2f, YawRate = 0.5f, TypeMask = 3527, TargetSystem = 1, TargetComponent = 1,
            CoordinateFrameEnum = MavFrame.LocalNed,
        };
        var p = new byte[SetPositionTargetLocalNedMessage.MavlinkMaxLength];
        sp.Encode(p);
        Assert.Equal([0x04, 0x03, 0x02, 0x01], p[0..4]);
        Assert.Equal(BitConverter.GetBytes(1.5f), p[4..8]);
        Assert.Equal(BitConverter.GetBytes(-2f), p[24..28]);
        Assert.Equal(BitConverter.GetBytes(0.5f), p[44..48]);
        Assert.Equal([0xC7, 0x0D], p[48..50]);
        Assert.Equal([1, 1, 1], p[50..53]);
        Assert.Equal(MavFrame.LocalNed, SetPositionTargetLocalNedMessage.Decode(p).CoordinateFrameEnum);
        Assert.Equal((ushort)MavCmd.DoSetMode, new CommandLongMessage { CommandEnum = MavCmd.DoSetMode }.Command);
    }
}
