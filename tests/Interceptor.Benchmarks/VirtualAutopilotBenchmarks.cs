using BenchmarkDotNet.Attributes;
using Interceptor.Mavlink;
using Interceptor.Mavlink.Messages;
using Interceptor.Sim.VirtualAutopilot;

namespace Interceptor.Benchmarks;

/// <summary>Virtual autopilot cost in lockstep. <c>OneSimSecond*</c>: one simulated second (250 physics ticks,
/// controller, full telemetry set at the captured rates, frames encoded into a counting sink) while flying an
/// offboard/GUIDED velocity setpoint that arrives at 50 Hz; goal 0 B allocated.
/// Run: dotnet run -c Release --project tests/Interceptor.Benchmarks -- --filter '*VirtualAutopilotBenchmarks*' --job short</summary>
[MemoryDiagnoser]
public class VirtualAutopilotBenchmarks
{
    private sealed class CountingSink : IVapFrameSink
    {
        public long Bytes;
        public void Send(ReadOnlySpan<byte> frame) => Bytes += frame.Length;
    }

    private VirtualAutopilot _px4 = null!, _ardu = null!;
    private readonly byte[] _px4Setpoint = new byte[MavlinkConstants.MaxFrameLength];
    private readonly byte[] _arduSetpoint = new byte[MavlinkConstants.MaxFrameLength];
    private int _px4Len, _arduLen;

    [GlobalSetup]
    public void Setup()
    {
        var w = new MavlinkFrameWriter(255, 190);
        var sp = new SetPositionTargetLocalNedMessage { CoordinateFrame = 1, TypeMask = 3527, Vx = 3, Vz = 0, TargetSystem = 1, TargetComponent = 1 };
        _px4Len = w.Write(_px4Setpoint, sp);
        _arduLen = w.Write(_arduSetpoint, sp);
        _px4 = new VirtualAutopilot(new VirtualAutopilotOptions { Persona = VapPersona.Px4 }, new CountingSink());
        Command(_px4, w, 176, 1, 6);
        _px4.Receive(_px4Setpoint.AsSpan(0, _px4Len));
        Command(_px4, w, 400, 1, 0);
        _ardu = new VirtualAutopilot(new VirtualAutopilotOptions { Persona = VapPersona.ArduPilot }, new CountingSink());
        Command(_ardu, w, 511, PositionTargetLocalNedMessage.MavlinkMessageId, 100_000);
        Command(_ardu, w, 176, 1, 4);
        Command(_ardu, w, 400, 1, 0);
        Command(_ardu, w, 22, 0, 0, 20);
        _ardu.Step(10);
    }

    private static void Command(VirtualAutopilot ap, MavlinkFrameWriter w, ushort cmd, float p1, float p2, float p7 = 0)
    {
        var buf = new byte[MavlinkConstants.MaxFrameLength];
        int n = w.Write(buf, new CommandLongMessage { Command = cmd, Param1 = p1, Param2 = p2, Param7 = p7, TargetSystem = 1, TargetComponent = 1 });
        ap.Receive(buf.AsSpan(0, n));
    }

    [Benchmark]
    public double OneSimSecondPx4()
    {
        for (int i = 0; i < 50; i++) { _px4.Receive(_px4Setpoint.AsSpan(0, _px4Len)); _px4.Step(0.02); }
        return _px4.TimeS;
    }

    [Benchmark]
    public double OneSimSecondArduCopter()
    {
        for (int i = 0; i < 50; i++) { _ardu.Receive(_arduSetpoint.AsSpan(0, _arduLen)); _ardu.Step(0.02); }
        return _ardu.TimeS;
    }
}
