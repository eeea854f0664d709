using System.Diagnostics;
using Interceptor.Autopilot;
using Interceptor.Core;
using Interceptor.Mavlink;
using Interceptor.Mavlink.Messages;
using Interceptor.Mavlink.Tlog;
using Interceptor.Sim.VirtualAutopilot;

namespace Interceptor.Sim.ClosedLoop;

/// <summary>Flies the whole stack against the built-in virtual autopilot in lockstep: simulated target,
/// our seeker and cue models, estimation, guidance, the <see cref="VehicleSession"/> and MAVLink over two
/// UDP sockets on 127.0.0.1. One thread owns everything; time moves only when the runner steps it (the
/// autopilot's physics tick and the session's <see cref="ManualTimeProvider"/> advance together), so a run
/// is deterministic per seed and goes as fast as the CPU allows.
/// <para>Sequence: wait ready (HEARTBEAT, position, home) -> arm -> take off to the scenario's start height ->
/// enter external control -> the scenario is placed relative to where the vehicle really is -> guidance at
/// <see cref="ClosedLoopOptions.GuidanceRateHz"/> until the closest approach, a timeout, or the end of the
/// observation window after an injected fault.</para></summary>
public sealed class ClosedLoopRunner : IDisposable
{
    private readonly ScenarioSpec _spec;
    private readonly AutopilotKind _kind;
    private readonly ulong _seed;
    private readonly ClosedLoopOptions _o;
    private readonly ManualTimeProvider _time = new();
    private readonly LoopbackPair _pair = new();
    private readonly MavlinkParser _parser = new(acceptUnknownMessages: false);
    private readonly byte[] _rx = new byte[2048];
    private readonly Sim.VirtualAutopilot.VirtualAutopilot _vap;
    private readonly VehicleSession _session;
    private readonly StackSink _stackSink;
    private readonly AutopilotSink _autopilotSink;
    private readonly TlogWriter? _tlog;
    private readonly double _dt;
    private readonly int _stepsPerGuidance;
    private long _step;
    private long _framesFromAutopilot;

    public ClosedLoopRunner(ScenarioSpec spec, AutopilotKind autopilot, ulong seed, ClosedLoopOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        spec.Validate();
        _spec = spec;
        _kind = autopilot;
        _seed = seed;
        _o = (options ?? new ClosedLoopOptions()).Validate();
        var vapOptions = new VirtualAutopilotOptions
        {
            Persona = autopilot == AutopilotKind.Px4 ? VapPersona.Px4 : VapPersona.ArduPilot,
            Vehicle = MultirotorPresets.Resolve(spec.Interceptor),
            InitialYawRad = spec.Interceptor.StartYawDeg is { } y ? Angles.ToRad(y) : 0,
        };
        double ratio = vapOptions.PhysicsRateHz / _o.GuidanceRateHz;
        int ticks = (int)Math.Round(ratio);
        if (ticks < 1 || Math.Abs(ratio - ticks) > 1e-6 * ratio)
            throw new ValidationException(FormattableString.Invariant(
                $"GuidanceRateHz = {_o.GuidanceRateHz}: the autopilot physics rate {vapOptions.PhysicsRateHz} Hz must be a whole multiple of it"));
        // One lockstep exchange per guidance period: the autopilot runs its physics ticks, then the stack reads
        // everything it sent, runs its timers and guidance, and its output reaches the autopilot.
        _dt = ticks / vapOptions.PhysicsRateHz;
        _stepsPerGuidance = 1;
        if (_o.TlogPath is { } path) _tlog = TlogWriter.Create(path);
        _autopilotSink = new AutopilotSink(this);
        _vap = new Sim.VirtualAutopilot.VirtualAutopilot(vapOptions, _autopilotSink);
        _stackSink = new StackSink(this);
        var sessionOptions = SessionOptionsFor(_o, autopilot, vapOptions.ResolveVehicle(), vapOptions.Limits);
        _session = new VehicleSession(sessionOptions, _stackSink, _time);
    }

    /// <summary>Session options for flying <paramref name="airframe"/> through <paramref name="autopilot"/>, the same in
    /// lockstep and against a real SITL. The setpoint form is the caller's, else <see cref="DefaultFormFor"/>. When the
    /// caller left the shaper settings at their defaults, the engineer configures the session for the airframe, as on
    /// the real vehicle: hover thrust (PX4 MPC_THR_HOVER = 1 / thrust-to-weight), the airframe's tilt limit, and the
    /// climb rate that full ArduCopter attitude-mode thrust means (WPNAV_SPEED_UP, as the autopilot is set up; see the
    /// Autopilot README's parameter table). <paramref name="limits"/> null: the persona's limits for the airframe.</summary>
    public static VehicleSessionOptions SessionOptionsFor(ClosedLoopOptions o, AutopilotKind autopilot, MultirotorParams airframe, VapControlLimits? limits = null)
    {
        var sessionOptions = o.Session with { Autopilot = autopilot, Form = o.Form ?? o.Session.Form ?? DefaultFormFor(airframe, autopilot) };
        if (sessionOptions.Shaper != new SetpointShaperOptions()) return sessionOptions;
        var l = limits ?? (autopilot == AutopilotKind.Px4 ? VapLimits.Px4(airframe) : VapLimits.ArduPilot(airframe));
        return sessionOptions with
        {
            Shaper = sessionOptions.Shaper with
            {
                HoverThrust = Math.Clamp(1.0 / airframe.ThrustToWeight, 0.05, 0.95),
                MaxTiltRad = Math.Clamp(l.MaxTiltRad, 0.05, Angles.ToRad(85)),
                ArduClimbRateAtFullMS = l.MaxVelUpMs,
            },
        };
    }

    /// <summary>Setpoint form when none is chosen. A fast airframe (above the stock x500 class, see
    /// <see cref="VapLimits.IsFastAirframe"/>) on PX4 flies attitude + thrust: the pipeline plans the thrust direction,
    /// and with it the camera's view, from its acceleration command (thrust = command - g, drag left to the airframe);
    /// a velocity + acceleration setpoint lets the autopilot's velocity loop add its own drag compensation, so the
    /// vehicle flies faster (75-79 m/s against 59-69), pitches further nose-down than planned and an uptilted camera
    /// loses the target (measured: 2-43 m misses on shahed-weave against 0.09-1.2 m; README "Fast airframes"). PX4's
    /// offboard-loss failsafe (COM_OF_LOSS_T) stops the vehicle whatever the form. ArduCopter keeps the adapter's
    /// velocity + acceleration default even so: a lapsed attitude target (GUID_TIMEOUT) only levels the copter, and a
    /// fast one still coasts at 27 m/s 8 s after a link loss (0.9 m/s with velocity targets); fail closed wins, attitude
    /// is an explicit choice. Otherwise null: the adapter's default.</summary>
    public static SetpointForm? DefaultFormFor(MultirotorParams airframe, AutopilotKind autopilot) =>
        autopilot == AutopilotKind.Px4 && VapLimits.IsFastAirframe(airframe) ? SetpointForm.AttitudeThrust : null;

    public VehicleSession Session => _session;
    public Sim.VirtualAutopilot.VirtualAutopilot Autopilot => _vap;
    public double TimeS => _session.NowS;

    /// <summary>Runs one scenario and returns the result (the usual entry point).</summary>
    public static ClosedLoopResult Run(ScenarioSpec spec, AutopilotKind autopilot, ulong seed, ClosedLoopOptions? options = null)
    {
        using var runner = new ClosedLoopRunner(spec, autopilot, seed, options);
        return runner.Run();
    }

    /// <summary>Set-up and engagement; see the class summary.</summary>
    public ClosedLoopResult Run()
    {
        var wall = Stopwatch.StartNew();
        string? setupError = null;
        double deadline = _o.SetupTimeoutS;
        double altitude = _o.TakeoffAltitudeM ?? Math.Clamp(-_spec.Interceptor.StartPosNedM.Z, 2, _o.MaxTakeoffAltitudeM);

        var r = RunUntil(_session.WaitReadyAsync(deadline), deadline);
        if (r.Success) r = RunUntil(_session.ArmAsync(), deadline);
        if (r.Success) r = RunUntil(_session.TakeoffAsync(altitude), deadline);
        EngagementCore? core = null;
        if (r.Success && _session.TryGetOwnState(out var own0))
        {
            core = new EngagementCore(_spec, _o.Law, _seed, _o, own0.At(TimeS).PosNed, TimeS);
            r = RunUntil(_session.EnterExternalControlAsync(), deadline);
        }
        if (!r.Success) setupError = r.Message;

        EngagementOutcome outcome = EngagementOutcome.Aborted;
        double faultAt = double.NaN;
        if (core is not null && r.Success)
            outcome = Engage(core, out faultAt);

        wall.Stop();
        _tlog?.Flush();
        return ResultOf(_spec, _o, _seed, _kind, _session, core, outcome, setupError, _stackSink.LastSetpointS,
            _vap.Vehicle.VelNed, wall.Elapsed) with
        {
            FaultAtS = faultAt,
            FramesToAutopilot = _pair.DatagramsToAutopilot,
            FramesFromAutopilot = _framesFromAutopilot,
            AutopilotBehaviour = _vap.Behaviour.ToString(),
            AutopilotModeTruth = _vap.ModeName,
            AutopilotFailsafe = _vap.FailsafeActive,
            AutopilotRejectedSetpoints = _vap.SetpointsRejected,
        };
    }

    /// <summary>The result fields the lockstep loop and the real-time SITL loop share: the engagement (aborted
    /// when guidance never took over), the session's end state and its counters.</summary>
    internal static ClosedLoopResult ResultOf(ScenarioSpec spec, ClosedLoopOptions o, ulong seed, AutopilotKind kind,
        VehicleSession session, EngagementCore? core, EngagementOutcome outcome, string? setupError, double lastSetpointS,
        Vector3d finalVelNed, TimeSpan wall)
    {
        double nowS = session.NowS;
        var engagement = core is not null
            ? core.Result(outcome, nowS) with { Seed = seed }
            : new EngagementCore(spec, o.Law, seed, o, Vector3d.Zero, nowS).Result(EngagementOutcome.Aborted, nowS) with { Seed = seed };
        var status = session.Status;
        return new ClosedLoopResult
        {
            Engagement = engagement,
            Autopilot = kind,
            Form = session.Form,
            SetupOk = setupError is null,
            SetupError = setupError,
            EngagementStartS = core?.StartS ?? double.NaN,
            FinalPhase = session.Phase,
            Events = session.Events,
            FinalMode = status.ModeName,
            FinalArmed = status.Armed,
            FinalVelNed = finalVelNed,
            Fault = o.Fault,
            LastSetpointS = core is null ? double.NaN : lastSetpointS - core.StartS,
            SetpointsSent = session.SetpointsSent,
            GuidanceRejected = session.GuidanceRejected,
            SimulatedS = nowS,
            WallS = wall.TotalSeconds,
            TlogPath = o.TlogPath,
        };
    }

    private EngagementOutcome Engage(EngagementCore core, out double faultAtS)
    {
        faultAtS = double.NaN;
        double maxS = _spec.Sim.MaxTimeS;
        bool faultOn = false;
        var truth = _vap.Vehicle;
        while (true)
        {
            double t0 = TimeS;
            double e = t0 - core.StartS;
            if (_o.Fault != ClosedLoopFault.None && !faultOn && e >= _o.FaultAtS)
            {
                faultOn = true;
                faultAtS = e;
                StartFault();
            }
            if (_step % _stepsPerGuidance == 0 && _session.TryGetOwnState(out var own))
            {
                var cmd = core.Guide(t0, own);
                bool frozen = faultOn && _o.Fault == ClosedLoopFault.GuidanceFreeze;
                if (!frozen) _session.SubmitGuidance(cmd);
            }
            FlushToAutopilot();
            var before = truth;
            StepWorld();
            truth = _vap.Vehicle;
            double t1 = TimeS;
            if (_session.TryGetOwnState(out var tel)) core.Sense(t0, t1, before.PosNed, truth.PosNed, truth.Attitude, tel);
            core.Track(t0, t1, before.PosNed, truth.PosNed, truth.VelNed, truth.AccNed);

            e = t1 - core.StartS;
            if (faultOn)
            {
                if (e - faultAtS >= _o.ObserveAfterFaultS) return EngagementOutcome.Aborted;
                continue;
            }
            if (core.PastClosestApproach(t1, truth.PosNed, truth.VelNed)) return EngagementOutcome.ClosestApproach;
            if (_vap.Vehicle.OnGround && e > 1) return EngagementOutcome.GroundCollision;
            if (core.TargetAt(t1).PosNedM.Down > 0) return EngagementOutcome.TargetReachedGround;
            if (core.Aborted || _session.Phase != SessionPhase.ExternalControl) return EngagementOutcome.Aborted;
            if (core.TrackLost(t1)) return EngagementOutcome.TargetLost;
            if (e >= maxS) return EngagementOutcome.Timeout;
        }
    }

    private void StartFault()
    {
        switch (_o.Fault)
        {
            case ClosedLoopFault.LinkLoss:
                _pair.Cut = true;
                break;
            case ClosedLoopFault.PilotTakesMode:
                // A second ground station (system 254) switches the mode, as a pilot would.
                var writer = new MavlinkFrameWriter(254, 190);
                Span<byte> frame = stackalloc byte[MavlinkConstants.MaxFrameLength];
                var cmd = new CommandLongMessage
                {
                    TargetSystem = 1, TargetComponent = 1, Command = AutopilotCommands.DoSetMode, Param1 = 1,
                    Param2 = _kind == AutopilotKind.Px4 ? Px4Modes.MainPosctl : ArduCopterModes.Loiter,
                };
                int n = writer.Write(frame, cmd);
                _pair.PilotSendToAutopilot(frame[..n]);
                break;
        }
    }

    /// <summary>Steps the world until <paramref name="task"/> completes (it completes inside a step: the
    /// session's operations advance in Handle/Tick) or the session clock passes <paramref name="deadlineS"/>.</summary>
    private OperationResult RunUntil(Task<OperationResult> task, double deadlineS)
    {
        while (!task.IsCompleted)
        {
            if (TimeS > deadlineS) return OperationResult.Fail(FormattableString.Invariant($"set-up did not finish within {deadlineS:F0} s (phase {_session.Phase})"));
            FlushToAutopilot();
            StepWorld();
        }
        return task.Result;
    }

    /// <summary>One physics tick: the autopilot steps (and emits its telemetry), the session clock follows,
    /// the stack reads everything that arrived and runs its timers; what the stack sent reaches the autopilot
    /// before the next tick.</summary>
    private void StepWorld()
    {
        _vap.Step(_dt);
        _autopilotSink.Flush();
        _time.Advance(TimeSpan.FromTicks((long)Math.Round(_dt * TimeSpan.TicksPerSecond)));
        _step++;
        int n;
        while ((n = _pair.ReceiveForStack(_rx)) > 0)
        {
            _framesFromAutopilot++;
            foreach (var frame in _parser.Parse(_rx.AsSpan(0, n)))
            {
                _tlog?.Write(_time.GetUtcNow(), frame.Raw);
                _session.Handle(frame);
            }
            _parser.ResetStream();
        }
        _session.Tick();
        FlushToAutopilot();
    }

    private void FlushToAutopilot()
    {
        _stackSink.Flush();
        int n;
        while ((n = _pair.ReceiveForAutopilot(_rx)) > 0)
        {
            _vap.Receive(_rx.AsSpan(0, n));
            _vap.ResetReceiveStream();
        }
    }

    public void Dispose()
    {
        _pair.Dispose();
        _tlog?.Dispose();
    }

    /// <summary>Frames the autopilot emits during one exchange are packed into as few datagrams as possible
    /// (several MAVLink frames per UDP datagram, as ArduPilot does on UDP; every MAVLink parser accepts it):
    /// the syscall count, not the bytes, bounds the lockstep speed.</summary>
    private sealed class AutopilotSink(ClosedLoopRunner owner) : IVapFrameSink
    {
        private readonly byte[] _buffer = new byte[CoalesceBytes + MavlinkConstants.MaxFrameLength];
        private int _length;

        public void Send(ReadOnlySpan<byte> frame)
        {
            if (_length + frame.Length > CoalesceBytes) Flush();
            frame.CopyTo(_buffer.AsSpan(_length));
            _length += frame.Length;
        }

        public void Flush()
        {
            if (_length == 0) return;
            owner._pair.SendToStack(_buffer.AsSpan(0, _length));
            _length = 0;
        }
    }

    private const int CoalesceBytes = 8192;

    private sealed class StackSink(ClosedLoopRunner owner) : IFrameSink
    {
        public double LastSetpointS = double.NaN;
        private readonly byte[] _buffer = new byte[CoalesceBytes + MavlinkConstants.MaxFrameLength];
        private int _length;

        public void Flush()
        {
            if (_length == 0) return;
            owner._pair.SendToAutopilot(_buffer.AsSpan(0, _length));
            _length = 0;
        }

        public void Send(ReadOnlySpan<byte> frame)
        {
            if (_length + frame.Length > CoalesceBytes) Flush();
            frame.CopyTo(_buffer.AsSpan(_length));
            _length += frame.Length;
            owner._tlog?.Write(owner._time.GetUtcNow(), frame);
            if (frame.Length > 9 && frame[0] == MavlinkConstants.StxV2)
            {
                uint id = (uint)(frame[7] | (frame[8] << 8) | (frame[9] << 16));
                if (id is SetPositionTargetLocalNedMessage.MavlinkMessageId or SetAttitudeTargetMessage.MavlinkMessageId && !owner._pair.Cut)
                    LastSetpointS = owner._session.NowS;
            }
        }
    }
}
