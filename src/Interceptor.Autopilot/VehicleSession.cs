using Interceptor.Core;
using Interceptor.Mavlink;
using Interceptor.Mavlink.Messages;

namespace Interceptor.Autopilot;

/// <summary>One vehicle session over MAVLink: connect, wait ready, arm, take off, enter and leave external
/// control (PX4 OFFBOARD, ArduCopter GUIDED), stream setpoints, hold/land/RTL, telemetry.
/// <para>The session is driven from outside: <see cref="Handle"/> gets every received frame and
/// <see cref="Tick"/> runs its timers (our heartbeat, TIMESYNC, setpoint stream, command retries,
/// watchdogs). Time comes only from the injected <see cref="TimeProvider"/>, so the same code runs in real
/// time against SITL (<see cref="VehicleLink"/> pumps it) and in lockstep against the virtual autopilot.
/// All members are thread-safe (one lock).</para>
/// <para>Fail closed: in external control a setpoint goes out only when guidance hands one in
/// (<see cref="SubmitGuidance"/>) and it is fresh; when the newest output is older than
/// <see cref="VehicleSessionOptions.GuidanceDeadlineS"/> the stream stops and hold is commanded. A mode change
/// or disarm we did not ask for (pilot, failsafe) stops all commanding at once and is reported; we never
/// fight it. Operations complete on HEARTBEAT evidence (mode, armed flag), not on COMMAND_ACK, because PX4
/// ACKs DO_SET_MODE twice and accepts OFFBOARD in states where it will not fly it.</para></summary>
public sealed partial class VehicleSession
{
    private readonly object _gate = new();
    private readonly VehicleSessionOptions _o;
    private readonly AutopilotAdapter _ap;
    private readonly IFrameSink _sink;
    private readonly TimeProvider _time;
    private readonly long _t0;
    private readonly MavlinkFrameWriter _writer;
    private readonly byte[] _tx = new byte[MavlinkConstants.MaxFrameLength];
    private readonly SetpointShaper _shaper;
    private readonly BootClock _clock = new();
    private readonly List<SessionEvent> _events = new();
    private readonly List<PendingCommand> _commands = new();
    private readonly List<Waiter> _waiters = new();
    private readonly List<Waiter> _doneScratch = new();

    private SessionPhase _phase = SessionPhase.Connecting;
    private byte _targetSystem, _targetComponent;
    // autopilot state (from HEARTBEAT etc.)
    private bool _heard;
    private byte _apType, _apAutopilot, _baseMode, _systemStatus;
    private uint _customMode;
    private bool _armed;
    private LandedState _landed;
    private double _lastHeartbeatS = double.NegativeInfinity;
    private int _batteryPct = -1;
    private GeodeticPosition? _home;
    private Vector3d _homeLocalNed;
    private GeodeticPosition? _global;
    // own state
    private bool _hasPos, _hasAtt;
    private double _posTimeS, _attTimeS, _posReceivedS;
    private Vector3d _posNed, _velNed, _ratesBody;
    private Quaterniond _att = Quaterniond.Identity;
    // timers
    private double _nextHeartbeatS, _nextTimesyncS, _nextSetpointS, _nextHomeRequestS;
    // control
    private uint? _expectedMode;
    private bool _modeConfirmed;
    private bool _armConfirmed;
    private bool _streamSession;
    private PositionTarget _sessionSetpoint;
    private double _guidanceLastS;
    private SetpointForm _form;

    public VehicleSession(VehicleSessionOptions options, IFrameSink sink, TimeProvider? time = null)
    {
        _o = (options ?? throw new ArgumentNullException(nameof(options))).Validate();
        _sink = sink ?? throw new ArgumentNullException(nameof(sink));
        _time = time ?? TimeProvider.System;
        _t0 = _time.GetTimestamp();
        _ap = AutopilotAdapter.For(_o.Autopilot);
        _writer = new MavlinkFrameWriter(_o.SystemId, _o.ComponentId);
        _shaper = new SetpointShaper(_o.Shaper);
        _form = _o.Form ?? _ap.DefaultForm;
        _targetSystem = _o.TargetSystem;
        _targetComponent = _o.TargetComponent;
    }

    public VehicleSessionOptions Options => _o;
    public AutopilotAdapter Adapter => _ap;
    /// <summary>Seconds on the session clock (the injected time provider, from construction).</summary>
    public double NowS => _time.GetElapsedTime(_t0).TotalSeconds;
    public SessionPhase Phase { get { lock (_gate) return _phase; } }
    public SetpointForm Form { get { lock (_gate) return _form; } }
    /// <summary>True only while guidance commands the vehicle: our phase is external control, the HEARTBEAT
    /// shows the external mode confirmed and the vehicle armed. (PX4 shows OFFBOARD again after landing and
    /// disarming; that is not control.)</summary>
    public bool InExternalControl
    {
        get
        {
            lock (_gate)
                return _phase == SessionPhase.ExternalControl && _armed && _modeConfirmed
                    && _customMode == _ap.CustomModeOf(VehicleMode.ExternalControl);
        }
    }

    public BootClock Clock => _clock;
    public long SetpointsSent { get; private set; }
    public long GuidanceAccepted { get; private set; }
    public long GuidanceRejected { get; private set; }
    public long FramesHandled { get; private set; }
    public long FramesIgnored { get; private set; }
    /// <summary>Called (with the lock held) for every event; keep it short.</summary>
    public event Action<SessionEvent>? EventRaised;

    /// <summary>All events so far (copy).</summary>
    public IReadOnlyList<SessionEvent> Events { get { lock (_gate) return _events.ToArray(); } }

    /// <summary>Snapshot of what the autopilot reported.</summary>
    public VehicleStatus Status
    {
        get
        {
            lock (_gate)
                return new VehicleStatus
                {
                    SystemId = _targetSystem, ComponentId = _targetComponent, AutopilotType = _apAutopilot,
                    VehicleType = _apType, BaseMode = _baseMode, CustomMode = _customMode,
                    ModeName = _heard ? _ap.ModeName(_customMode) : "", Armed = _armed, SystemStatus = _systemStatus,
                    Landed = _landed, LastHeartbeatS = _lastHeartbeatS, Home = _home, HomeLocalNed = _homeLocalNed,
                    Global = _global, BatteryRemainingPct = _batteryPct,
                };
        }
    }

    /// <summary>Latest own state (position/velocity and attitude each from their newest sample).</summary>
    public bool TryGetOwnState(out OwnTelemetry state)
    {
        lock (_gate)
        {
            if (!_hasPos) { state = default; return false; }
            state = new OwnTelemetry(_posTimeS, _posNed, _velNed, _att, _ratesBody, _hasAtt);
            return true;
        }
    }

    /// <summary>Changes the setpoint form (before or during external control).</summary>
    public void SetForm(SetpointForm form)
    {
        lock (_gate) { _form = form; _shaper.Reset(); }
    }

    // ------------------------------------------------------------------ receive

    /// <summary>Feeds one received frame. Frames from other systems, and frames addressed to someone else,
    /// are ignored (PX4 sends gimbal COMMAND_LONGs and PARAM_VALUE bursts that are not for us).</summary>
    public void Handle(in MavlinkFrame frame)
    {
        lock (_gate)
        {
            double now = NowS;
            uint id = frame.MessageId;
            if (!frame.CrcVerified) { FramesIgnored++; return; }
            if (frame.TryGetTarget(out byte ts, out byte tc) && ts != 0 && (ts != _o.SystemId || (tc != 0 && tc != _o.ComponentId)))
            {
                FramesIgnored++;
                return;
            }
            if (id == HeartbeatMessage.MavlinkMessageId && frame.TryDecode(out HeartbeatMessage hb))
            {
                if (!IsOurAutopilot(frame.SystemId, frame.ComponentId, hb)) { FramesIgnored++; return; }
                FramesHandled++;
                OnHeartbeat(hb, now);
                Evaluate(now);
                return;
            }
            if (_targetSystem == 0 || frame.SystemId != _targetSystem) { FramesIgnored++; return; }
            FramesHandled++;
            switch (id)
            {
                case LocalPositionNedMessage.MavlinkMessageId when frame.TryDecode(out LocalPositionNedMessage lp):
                    _clock.AddOneWay(lp.TimeBootMs * 1e-3, now);
                    SetPosition(_clock.FromBootMs(lp.TimeBootMs), now, new Vector3d(lp.X, lp.Y, lp.Z), new Vector3d(lp.Vx, lp.Vy, lp.Vz));
                    break;
                case AttitudeQuaternionMessage.MavlinkMessageId when frame.TryDecode(out AttitudeQuaternionMessage aq):
                    _clock.AddOneWay(aq.TimeBootMs * 1e-3, now);
                    SetAttitude(_clock.FromBootMs(aq.TimeBootMs), now, new Quaterniond(aq.Q1, aq.Q2, aq.Q3, aq.Q4),
                        new Vector3d(aq.Rollspeed, aq.Pitchspeed, aq.Yawspeed));
                    break;
                case OdometryMessage.MavlinkMessageId when frame.TryDecode(out OdometryMessage od):
                    OnOdometry(od, now);
                    break;
                case GlobalPositionIntMessage.MavlinkMessageId when frame.TryDecode(out GlobalPositionIntMessage gp):
                    _clock.AddOneWay(gp.TimeBootMs * 1e-3, now);
                    if (gp.Lat != 0 || gp.Lon != 0)
                        _global = GeodeticPosition.FromDegrees(gp.Lat * 1e-7, gp.Lon * 1e-7, gp.Alt * 1e-3);
                    break;
                case HomePositionMessage.MavlinkMessageId when frame.TryDecode(out HomePositionMessage home):
                    if (home.Latitude != 0 || home.Longitude != 0)
                    {
                        _home = GeodeticPosition.FromDegrees(home.Latitude * 1e-7, home.Longitude * 1e-7, home.Altitude * 1e-3);
                        var hl = new Vector3d(home.X, home.Y, home.Z);
                        _homeLocalNed = hl.IsFinite ? hl : Vector3d.Zero;
                    }
                    break;
                case ExtendedSysStateMessage.MavlinkMessageId when frame.TryDecode(out ExtendedSysStateMessage ex):
                    _landed = (LandedState)ex.LandedState;
                    break;
                case SysStatusMessage.MavlinkMessageId when frame.TryDecode(out SysStatusMessage ss):
                    _batteryPct = ss.BatteryRemaining;
                    break;
                case SystemTimeMessage.MavlinkMessageId when frame.TryDecode(out SystemTimeMessage st):
                    _clock.AddOneWay(st.TimeBootMs * 1e-3, now);
                    break;
                case TimesyncMessage.MavlinkMessageId when frame.TryDecode(out TimesyncMessage tsm):
                    OnTimesync(tsm, frame.ComponentId, now);
                    break;
                case CommandAckMessage.MavlinkMessageId when frame.TryDecode(out CommandAckMessage ack):
                    OnCommandAck(ack, now);
                    break;
                case StatustextMessage.MavlinkMessageId when frame.TryDecode(out StatustextMessage text):
                    Raise(now, SessionEventKind.StatusText, text.Text.ToString());
                    break;
            }
            Evaluate(now);
        }
    }

    private bool IsOurAutopilot(byte sysId, byte compId, in HeartbeatMessage hb)
    {
        if (_targetSystem != 0) return sysId == _targetSystem && compId == _targetComponent;
        // Discovery: the first heartbeat of the autopilot firmware we expect (not a GCS, gimbal or camera).
        if (hb.Autopilot != _ap.HeartbeatAutopilot || compId != _targetComponent) return false;
        _targetSystem = sysId;
        return true;
    }

    private void OnHeartbeat(in HeartbeatMessage hb, double now)
    {
        bool first = !_heard;
        bool armed = (hb.BaseMode & 0x80) != 0; // MAV_MODE_FLAG_SAFETY_ARMED
        uint oldMode = _customMode;
        bool oldArmed = _armed;
        _heard = true;
        _apType = hb.Type; _apAutopilot = hb.Autopilot; _baseMode = hb.BaseMode; _systemStatus = hb.SystemStatus;
        _customMode = hb.CustomMode; _armed = armed;
        bool wasLost = _phase == SessionPhase.LinkLost;
        _lastHeartbeatS = now;
        if (first)
        {
            Raise(now, SessionEventKind.Connected, FormattableString.Invariant(
                $"autopilot {_targetSystem}/{_targetComponent} type {hb.Type} autopilot {hb.Autopilot}, mode {_ap.ModeName(hb.CustomMode)}, {(armed ? "armed" : "disarmed")}"));
            _phase = SessionPhase.Connected;
            OnConnected(now);
            return;
        }
        if (wasLost)
        {
            Raise(now, SessionEventKind.LinkRestored, $"HEARTBEAT again, mode {_ap.ModeName(hb.CustomMode)}; not in control until asked again");
            _phase = SessionPhase.Connected;
        }
        if (oldMode != hb.CustomMode)
            Raise(now, SessionEventKind.ModeChanged, $"{_ap.ModeName(oldMode)} -> {_ap.ModeName(hb.CustomMode)}");
        if (oldArmed != armed)
            Raise(now, armed ? SessionEventKind.Armed : SessionEventKind.Disarmed, armed ? "armed" : "disarmed");

        if (_expectedMode is uint expected)
        {
            if (hb.CustomMode == expected) _modeConfirmed = true;
            else if (_modeConfirmed && IsCommanding)
            {
                LoseControl(now, $"autopilot switched to {_ap.ModeName(hb.CustomMode)} (pilot or failsafe); we stopped commanding");
                return;
            }
        }
        if (armed) _armConfirmed |= IsCommanding;
        if (!armed && _armConfirmed && IsCommanding)
            LoseControl(now, "vehicle disarmed while we were commanding; we stopped commanding");
    }

    private bool IsCommanding => _phase is SessionPhase.SessionControl or SessionPhase.ExternalControl;

    private void OnConnected(double now)
    {
        foreach (var r in _ap.TelemetryRates)
            SendCommand(new CommandSpec(AutopilotCommands.SetMessageInterval, r.MessageId, (float)(1e6 / r.RateHz)), now, null);
        if (_o.DisableUnusedStreams)
            foreach (uint id in _ap.UnusedStreams)
                SendCommand(new CommandSpec(AutopilotCommands.SetMessageInterval, id, -1), now, null);
        RequestHome(now);
        _nextTimesyncS = now;
    }

    private void RequestHome(double now)
    {
        SendCommand(new CommandSpec(AutopilotCommands.RequestMessage, HomePositionMessage.MavlinkMessageId), now, null);
        _nextHomeRequestS = now + 2.0;
    }

    private void SetPosition(double stampS, double now, Vector3d pos, Vector3d vel)
    {
        if (!pos.IsFinite || !vel.IsFinite) return;
        stampS = Math.Min(stampS, now);
        if (_hasPos && stampS < _posTimeS) return; // older than what we have (reorder, or the other source)
        _posNed = pos; _velNed = vel; _posTimeS = stampS; _posReceivedS = now; _hasPos = true;
    }

    private void SetAttitude(double stampS, double now, Quaterniond q, Vector3d rates)
    {
        if (!q.IsFinite || q.Norm < 0.5 || !rates.IsFinite) return;
        stampS = Math.Min(stampS, now);
        if (_hasAtt && stampS < _attTimeS) return;
        _att = q.Normalized(); _ratesBody = rates; _attTimeS = stampS; _hasAtt = true;
    }

    private void OnOdometry(in OdometryMessage od, double now)
    {
        // PX4: frame_id LOCAL_NED (1), child_frame_id BODY_FRD (12): velocity in the body frame.
        if (od.FrameId != 1) return;
        _clock.AddOneWay(od.TimeUsec * 1e-6, now);
        double t = _clock.FromBootUs(od.TimeUsec);
        var q = new Quaterniond(od.Q[0], od.Q[1], od.Q[2], od.Q[3]);
        if (!q.IsFinite || q.Norm < 0.5) return;
        q = q.Normalized();
        var v = new Vector3d(od.Vx, od.Vy, od.Vz);
        Vector3d velNed;
        if (od.ChildFrameId is 12 or 8) velNed = q.Rotate(v);
        else if (od.ChildFrameId is 1 or 0) velNed = v;
        else return;
        SetPosition(t, now, new Vector3d(od.X, od.Y, od.Z), velNed);
        SetAttitude(t, now, q, new Vector3d(od.Rollspeed, od.Pitchspeed, od.Yawspeed));
    }

    private const double OurTimeBiasNs = 1e9; // our TIMESYNC stamps never read 0 (0 marks a request)

    private long OurNs(double nowS) => (long)(nowS * 1e9 + OurTimeBiasNs);

    private void OnTimesync(in TimesyncMessage t, byte fromComponent, double now)
    {
        if (t.Tc1 == 0)
        {
            // The autopilot asks us: answer with our time, echo theirs.
            var reply = new TimesyncMessage { Tc1 = OurNs(now), Ts1 = t.Ts1, TargetSystem = _targetSystem, TargetComponent = fromComponent };
            Send(reply);
            return;
        }
        double sentS = (t.Ts1 - OurTimeBiasNs) * 1e-9;
        _clock.AddRoundTrip(sentS, t.Tc1 * 1e-9, now);
    }

    // ------------------------------------------------------------------ tick

    /// <summary>Runs the timers: our heartbeat (1 Hz), TIMESYNC, the session's own setpoint stream, command
    /// retries, operation deadlines and the watchdogs (guidance deadline, link loss). Call it often (at least
    /// at the setpoint rate; the closed loop calls it every simulation step).</summary>
    public void Tick()
    {
        lock (_gate)
        {
            double now = NowS;
            if (now >= _nextHeartbeatS)
            {
                Send(new HeartbeatMessage { Type = _o.HeartbeatType, Autopilot = 8 /* MAV_AUTOPILOT_INVALID */, SystemStatus = 4, MavlinkVersion = 3 });
                _nextHeartbeatS = Math.Max(_nextHeartbeatS + 1.0, now + 0.5);
            }
            if (_phase != SessionPhase.Connecting && _phase != SessionPhase.LinkLost && now - _lastHeartbeatS > _o.LinkTimeoutS)
                LinkLost(now);
            if (_phase is SessionPhase.Connecting or SessionPhase.LinkLost) { Evaluate(now); return; }

            if (now >= _nextTimesyncS)
            {
                Send(new TimesyncMessage { Tc1 = 0, Ts1 = OurNs(now), TargetSystem = _targetSystem, TargetComponent = _targetComponent });
                _nextTimesyncS = now + _o.TimesyncPeriodS;
            }
            if (_o.RequireHome && _home is null && now >= _nextHomeRequestS) RequestHome(now);

            if (_phase == SessionPhase.ExternalControl && now - _guidanceLastS > _o.GuidanceDeadlineS)
                Stall(now);

            if (_streamSession && _phase == SessionPhase.SessionControl && now >= _nextSetpointS)
            {
                SendPositionTarget(_sessionSetpoint, now);
                double period = 1.0 / _o.SetpointRateHz;
                _nextSetpointS = _nextSetpointS + period > now ? _nextSetpointS + period : now + period;
            }

            RetryCommands(now);
            Evaluate(now);
        }
    }

    private void Evaluate(double now)
    {
        if (_phase == SessionPhase.Connected && IsReadyNow(now))
        {
            _phase = SessionPhase.Ready;
            Raise(now, SessionEventKind.Ready, FormattableString.Invariant(
                $"position {_posNed}, home {(_home is { } h ? $"{h.LatDeg:F7},{h.LonDeg:F7},{h.AltM:F1}" : "n/a")}, clock offset {_clock.OffsetS:F6} s"));
        }
        if (_waiters.Count == 0) return;
        _doneScratch.Clear();
        for (int i = _waiters.Count - 1; i >= 0; i--)
        {
            var w = _waiters[i];
            OperationResult? r = w.Check(now);
            if (r is null && now > w.DeadlineS) r = OperationResult.Fail(w.TimeoutMessage);
            if (r is null && w.Cancellation.IsCancellationRequested) r = OperationResult.Fail("cancelled");
            if (r is null) continue;
            w.Result = r.Value;
            _waiters.RemoveAt(i);
            _doneScratch.Add(w);
        }
        if (_doneScratch.Count == 0) return;
        // Complete after the scan (continuations may add waiters), from a copy (they may re-enter).
        var done = _doneScratch.ToArray();
        _doneScratch.Clear();
        for (int i = done.Length - 1; i >= 0; i--) CompleteInline(done[i].Tcs, done[i].Result);
    }

    /// <summary>Completes an internal operation step so that its continuation (the next step of the operation)
    /// runs here, inside Handle/Tick, whatever synchronization context the caller has (.NET refuses to inline
    /// continuations under a non-default context): lockstep runs stay deterministic.</summary>
    private static void CompleteInline(TaskCompletionSource<OperationResult> tcs, OperationResult result)
    {
        var context = SynchronizationContext.Current;
        if (context is null) { tcs.TrySetResult(result); return; }
        SynchronizationContext.SetSynchronizationContext(null);
        try { tcs.TrySetResult(result); }
        finally { SynchronizationContext.SetSynchronizationContext(context); }
    }

    private bool IsReadyNow(double now) =>
        _heard && _hasPos && now - _posReceivedS <= _o.TelemetryStaleS && (!_o.RequireHome || _home is not null);

    private void Stall(double now)
    {
        _phase = SessionPhase.GuidanceStalled;
        Raise(now, SessionEventKind.GuidanceStalled, FormattableString.Invariant(
            $"newest guidance output is {now - _guidanceLastS:F3} s old (deadline {_o.GuidanceDeadlineS:F3} s): setpoint stream stopped, hold commanded"));
        RequestMode(VehicleMode.Hold, now);
    }

    private void LinkLost(double now)
    {
        _phase = SessionPhase.LinkLost;
        _streamSession = false;
        _expectedMode = null; _modeConfirmed = false; _armConfirmed = false;
        _commands.Clear();
        Raise(now, SessionEventKind.LinkLost, FormattableString.Invariant(
            $"no HEARTBEAT for {now - _lastHeartbeatS:F2} s: stopped commanding; the autopilot's own link-loss failsafe applies"));
        FailWaiters("link lost");
    }

    private void LoseControl(double now, string reason)
    {
        _phase = SessionPhase.ControlLost;
        _streamSession = false;
        _expectedMode = null; _modeConfirmed = false; _armConfirmed = false;
        _commands.Clear();
        Raise(now, SessionEventKind.ControlLost, reason);
        FailWaiters(reason);
    }

    private void FailWaiters(string reason)
    {
        if (_waiters.Count == 0) return;
        var all = _waiters.ToArray();
        _waiters.Clear();
        foreach (var w in all) CompleteInline(w.Tcs, OperationResult.Fail(reason));
    }

    private void Raise(double now, SessionEventKind kind, string message)
    {
        var e = new SessionEvent(now, kind, message);
        _events.Add(e);
        EventRaised?.Invoke(e);
    }

    // ------------------------------------------------------------------ send

    private void Send<T>(in T message) where T : struct, IMavlinkMessage<T>
    {
        int n = _writer.Write(_tx, message);
        _sink.Send(_tx.AsSpan(0, n));
    }

    private uint BootMs(double now) => (uint)Math.Max(0, now * 1000.0);

    private void SendPositionTarget(in PositionTarget p, double now)
    {
        if (!p.IsFinite) return;
        Send(new SetPositionTargetLocalNedMessage
        {
            TimeBootMs = BootMs(now), TargetSystem = _targetSystem, TargetComponent = _targetComponent,
            CoordinateFrame = p.Frame, TypeMask = p.TypeMask,
            X = (float)p.PosNed.X, Y = (float)p.PosNed.Y, Z = (float)p.PosNed.Z,
            Vx = (float)p.VelNed.X, Vy = (float)p.VelNed.Y, Vz = (float)p.VelNed.Z,
            Afx = (float)p.AccNed.X, Afy = (float)p.AccNed.Y, Afz = (float)p.AccNed.Z,
            Yaw = (float)p.YawRad, YawRate = (float)p.YawRateRadS,
        });
        SetpointsSent++;
    }

    private void SendAttitudeTarget(in AttitudeTarget a, double now)
    {
        if (!a.IsFinite) return;
        var m = new SetAttitudeTargetMessage
        {
            TimeBootMs = BootMs(now), TargetSystem = _targetSystem, TargetComponent = _targetComponent,
            TypeMask = a.TypeMask, BodyRollRate = (float)a.BodyRateRadS.X, BodyPitchRate = (float)a.BodyRateRadS.Y,
            BodyYawRate = (float)a.BodyRateRadS.Z, Thrust = (float)a.Thrust,
        };
        m.Q[0] = (float)a.Attitude.W; m.Q[1] = (float)a.Attitude.X; m.Q[2] = (float)a.Attitude.Y; m.Q[3] = (float)a.Attitude.Z;
        Send(m);
        SetpointsSent++;
    }
}
