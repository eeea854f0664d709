using System.Net;
using System.Net.Sockets;
using BenchmarkDotNet.Attributes;
using Interceptor.Autopilot;
using Interceptor.Core;
using Interceptor.Mavlink;
using Interceptor.Mavlink.Messages;
using Interceptor.Sim;
using Interceptor.Sim.ClosedLoop;

namespace Interceptor.Benchmarks;

/// <summary>The closed loop over loopback UDP against the virtual autopilot (no vision).
/// <para><see cref="ClosedLoopRun"/>: one whole run (connect, arm, take off, enter external control, intercept a
/// straight 5 m/s target); its simulated duration is printed at set-up, so simulated seconds per wall second =
/// that / the mean. Goal: at least 1000x.</para>
/// <para><see cref="GuidanceOutputToSocket"/>: command latency from a guidance output handed to the session to
/// the setpoint's bytes written on the UDP socket (shape, encode, frame, sendto).</para>
/// Run: dotnet run -c Release --project tests/Interceptor.Benchmarks -- --filter '*ClosedLoopBenchmarks*'</summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 1, iterationCount: 5)]
public class ClosedLoopBenchmarks
{
    [Params(AutopilotKind.Px4, AutopilotKind.ArduPilot)]
    public AutopilotKind Autopilot { get; set; }

    private ScenarioSpec _spec = null!;
    private VehicleSession _session = null!;
    private ManualTimeProvider _time = null!;
    private Socket _tx = null!, _rx = null!;
    private GuidanceCommand _cmd;

    /// <summary>Same geometry as the end-to-end test: x500 at 20 m, a small quad crossing at 5 m/s 100 m ahead.</summary>
    private static ScenarioSpec Straight() => new()
    {
        Name = "bench-straight-crossing",
        Interceptor = new InterceptorSpec { Preset = MultirotorPresets.X500, StartPosNedM = new Vector3d(0, 0, -20), StartYawDeg = 0 },
        Target = new TargetSpec { Kind = TargetSpec.ConstantVelocity, StartPosNedM = new Vector3d(100, -40, -25), SpeedMs = 5, HeadingDeg = 90 },
        Seeker = new SeekerSpec { MountPitchDeg = 20, DetectionRange50M = 400, DetectionRangeWidthM = 50, MaxDetectionProbability = 0.98 },
        Cue = new CueSpec { PositionNoiseM = 3, RateHz = 2, LatencyS = 0.3 },
        Guidance = new GuidanceSpec { GuidanceRateHz = 50 },
        Safety = new SafetySpec { AltitudeFloorM = 5, GeofenceRadiusM = 2000 },
        Sim = new SimSpec { DtS = 0.0025, MaxTimeS = 60 },
    };

    [GlobalSetup]
    public void Setup()
    {
        _spec = Straight();
        var r = ClosedLoopRunner.Run(_spec, Autopilot, 1);
        Console.WriteLine(FormattableString.Invariant(
            $"// {Autopilot}: one closed-loop run simulates {r.SimulatedS:F2} s (engagement {r.Engagement.EndTimeS:F2} s, miss {r.Engagement.MissDistanceM:F2} m, {r.Engagement.Outcome})"));
        SetupLatency();
    }

    [Benchmark]
    public double ClosedLoopRun() => ClosedLoopRunner.Run(_spec, Autopilot, 1).Engagement.MissDistanceM;

    /// <summary>A session in external control whose sink is a UDP socket on 127.0.0.1 (the real send path).</summary>
    private void SetupLatency()
    {
        _rx = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        _rx.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _tx = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        _tx.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _tx.Connect(_rx.LocalEndPoint!);
        _time = new ManualTimeProvider();
        _session = new VehicleSession(new VehicleSessionOptions { Autopilot = Autopilot, PreStreamS = 0 }, new SocketSink(_tx), _time);
        var ap = AutopilotAdapter.For(Autopilot);
        uint external = ap.CustomModeOf(VehicleMode.ExternalControl);
        Feed(new HeartbeatMessage { Type = 2, Autopilot = ap.HeartbeatAutopilot, BaseMode = 128 | 1, CustomMode = external, SystemStatus = 4, MavlinkVersion = 3 });
        Feed(new LocalPositionNedMessage { TimeBootMs = 1000, Z = -20 });
        Feed(new HomePositionMessage { Latitude = 473977434, Longitude = 85455943, Altitude = 489400 });
        _session.Tick();
        var enter = _session.EnterExternalControlAsync();
        Feed(new HeartbeatMessage { Type = 2, Autopilot = ap.HeartbeatAutopilot, BaseMode = 128 | 1, CustomMode = external, SystemStatus = 4, MavlinkVersion = 3 });
        _session.Tick();
        if (!enter.IsCompleted || !enter.Result.Success) throw new InvalidOperationException("session did not enter external control: " + (enter.IsCompleted ? enter.Result.Message : "pending"));
        _cmd = new GuidanceCommand(_session.NowS, new Vector3d(1.5, -0.5, 0.2), 0.3, true);
    }

    private void Feed<T>(in T message) where T : struct, IMavlinkMessage<T>
    {
        var w = new MavlinkFrameWriter(1, 1);
        var buf = new byte[MavlinkConstants.MaxFrameLength];
        int n = w.Write(buf, message);
        if (MavlinkFrame.Check(buf.AsSpan(0, n), out var frame, out _) != MavlinkFrameCheck.Ok) throw new InvalidOperationException("bad frame");
        _session.Handle(frame);
    }

    [Benchmark]
    public bool GuidanceOutputToSocket()
    {
        bool sent = _session.SubmitGuidance(_cmd);
        if (_rx.Available > 1 << 16) Drain();
        return sent;
    }

    private void Drain()
    {
        Span<byte> b = stackalloc byte[512];
        while (_rx.Available > 0) _rx.Receive(b);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _tx.Dispose();
        _rx.Dispose();
    }

    private sealed class SocketSink(Socket s) : IFrameSink
    {
        public void Send(ReadOnlySpan<byte> frame) => s.Send(frame);
    }
}
