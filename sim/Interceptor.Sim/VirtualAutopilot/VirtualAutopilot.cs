using Interceptor.Core;
using Interceptor.Mavlink;
using Interceptor.Mavlink.Messages;

namespace Interceptor.Sim.VirtualAutopilot;

/// <summary>Receives the frames a virtual autopilot emits (one whole MAVLink frame per call; the span is only
/// valid during the call).</summary>
public interface IVapFrameSink
{
    void Send(ReadOnlySpan<byte> frame);
}

/// <summary>What the vehicle is doing, independent of how the persona names the mode.</summary>
public enum VapBehaviour
{
    /// <summary>On the ground, motors off or idle.</summary>
    Idle,
    /// <summary>Following external setpoints (PX4 OFFBOARD, ArduPilot GUIDED).</summary>
    External,
    /// <summary>Holding a position (PX4 AUTO.LOITER/POSCTL, ArduPilot LOITER/BRAKE/GUIDED without target).</summary>
    Hold,
    /// <summary>Climbing to a take-off altitude.</summary>
    Takeoff,
    /// <summary>Descending to land at the current horizontal position.</summary>
    Land,
    /// <summary>Returning to home, then landing.</summary>
    ReturnToLaunch,
    /// <summary>PX4 POSCTL failsafe without RC: brake and sink slowly (as captured).</summary>
    FailsafeSink,
}

/// <summary>A MAVLink-speaking virtual autopilot imitating PX4 v1.16 or ArduCopter 4.7 as observed in
/// ../shared/captures: identity and HEARTBEAT encoding, command ACKs (PX4's double ACK on DO_SET_MODE),
/// arming rules, offboard/GUIDED entry rules, setpoint-loss failsafes, setpoint frames and masks, telemetry
/// set and rates, boot-time stamps and TIMESYNC. Inside: <see cref="VapVehicle"/> dynamics and the cascaded
/// <see cref="VapController"/> with the autopilot's limits.
/// <para>Time only moves in <see cref="Step"/> (lockstep): the caller owns the clock. Single-threaded: call
/// <see cref="Receive"/> and <see cref="Step"/> from one thread (the <see cref="VirtualAutopilotServer"/> does).
/// Outgoing frames go to <see cref="Sink"/> synchronously.</para></summary>
public sealed partial class VirtualAutopilot
{
    private readonly VirtualAutopilotOptions _opt;
    private readonly VapVehicle _vehicle;
    private readonly VapController _ctrl;
    private readonly MavlinkParser _parser = new(acceptUnknownMessages: false);
    private readonly MavlinkFrameWriter _writer;
    private readonly byte[] _txBuffer = new byte[MavlinkConstants.MaxFrameLength];
    private readonly GeodeticPosition _home;
    private readonly double _tickS;
    private readonly double _hoverThrust;
    private double _timeS;
    private double _accumS;
    private long _ticks;

    // Flight state shared by both personas.
    private bool _armed;
    private double _armedAtS;
    private bool _inAir;
    private double _groundContactSinceS = -1;
    private VapBehaviour _behaviour = VapBehaviour.Idle;
    private VapSetpoint _extSp = VapSetpoint.Brake;
    private double _extSpTimeS = double.NegativeInfinity;
    private bool _extSpValid;
    private Vector3d _holdPos;
    private double _holdYaw;
    private double _takeoffTargetZ;
    private int _rtlPhase;
    private VapControlOutput _lastCtrl;
    private VapSetpoint _activeSp = VapSetpoint.Brake;
    private byte _gcsSystemId = 255, _gcsComponentId = 190;
    private ushort _statusTextId;

    public VirtualAutopilot(VirtualAutopilotOptions options, IVapFrameSink? sink = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _opt = options;
        var vp = options.ResolveVehicle();
        _vehicle = new VapVehicle(vp, options.InitialYawRad);
        var limits = options.Limits ?? (options.Persona == VapPersona.Px4 ? VapLimits.Px4(vp) : VapLimits.ArduPilot(vp));
        _ctrl = new VapController(limits);
        _home = options.ResolveHome();
        _tickS = 1.0 / options.PhysicsRateHz;
        _hoverThrust = 1.0 / vp.ThrustToWeight;
        _writer = new MavlinkFrameWriter(options.SystemId, options.ComponentId);
        Sink = sink;
        _holdYaw = options.InitialYawRad;
        InitTelemetry();
        if (options.Persona == VapPersona.Px4) Px4Init(); else ArduInit();
    }

    /// <summary>Where outgoing frames go (null: dropped).</summary>
    public IVapFrameSink? Sink { get; set; }
    public VirtualAutopilotOptions Options => _opt;
    public VapPersona Persona => _opt.Persona;
    /// <summary>Simulated seconds since start.</summary>
    public double TimeS => _timeS;
    /// <summary>The autopilot's boot clock [ms] as stamped in time_boot_ms.</summary>
    public uint TimeBootMs => (uint)Math.Floor((_opt.BootTimeAtStartS + _timeS) * 1000.0);
    private ulong TimeBootUs => (ulong)Math.Floor((_opt.BootTimeAtStartS + _timeS) * 1e6);
    public VapVehicleState Vehicle => _vehicle.State;
    public double YawRad => _vehicle.YawRad;
    public bool Armed => _armed;
    public bool InAir => _inAir;
    public VapBehaviour Behaviour => _behaviour;
    public GeodeticPosition Home => _home;
    /// <summary>HEARTBEAT custom_mode as currently reported.</summary>
    public uint CustomMode => _opt.Persona == VapPersona.Px4 ? Px4CustomMode : _arduMode;
    /// <summary>Human-readable mode name (e.g. "OFFBOARD", "AUTO.LAND", "GUIDED").</summary>
    public string ModeName => _opt.Persona == VapPersona.Px4 ? Px4ModeName(Px4CustomMode) : ArduModeName(_arduMode);
    /// <summary>Frames received that the parser accepted.</summary>
    public long FramesReceived => _parser.FramesAccepted;
    /// <summary>Setpoint messages rejected (bad frame, mask or target) since start.</summary>
    public long SetpointsRejected { get; private set; }

    /// <summary>Places the vehicle (e.g. start airborne for a test). Keeps the mode and arming state.</summary>
    public void PlaceVehicle(Vector3d posNed, Vector3d velNed, double yawRad)
    {
        _vehicle.Reset(posNed, velNed, yawRad);
        _inAir = !_vehicle.OnGround;
        _holdPos = posNed; _holdYaw = yawRad;
    }

    /// <summary>Feeds received bytes (whole datagrams or stream chunks); frames are handled at the current time.</summary>
    public void Receive(ReadOnlySpan<byte> bytes)
    {
        EnsureBooted();
        foreach (var frame in _parser.Parse(bytes)) HandleFrame(frame);
        FlushImmediate();
    }

    private bool _booted;

    /// <summary>The first contact (or step) sends what is due at time zero: a client that connects hears a
    /// HEARTBEAT and the streams before its own first command is answered (capture).</summary>
    private void EnsureBooted()
    {
        if (_booted) return;
        _booted = true;
        RunTelemetry();
    }

    private void FlushImmediate()
    {
        if (_arduHeartbeatNow) { _arduHeartbeatNow = false; SendMessage(HeartbeatMessage.MavlinkMessageId); }
    }

    /// <summary>Forgets a partly received frame (a new byte stream begins, e.g. a TCP reconnect).</summary>
    public void ResetReceiveStream() => _parser.ResetStream();

    /// <summary>Advances simulated time by <paramref name="dtS"/> in fixed physics ticks (the remainder carries over).</summary>
    public void Step(double dtS)
    {
        if (!(dtS >= 0) || !double.IsFinite(dtS)) throw new ArgumentOutOfRangeException(nameof(dtS), dtS, "dtS must be finite and >= 0");
        EnsureBooted();
        _accumS += dtS;
        while (_accumS >= _tickS * (1 - 1e-9))
        {
            _accumS -= _tickS;
            Tick();
        }
    }

    private void Tick()
    {
        _ticks++;
        _timeS = _ticks * _tickS;
        if (_opt.Persona == VapPersona.Px4) Px4Logic(); else ArduLogic();

        _activeSp = SetpointForBehaviour();
        var st = _vehicle.State;
        bool motors = _armed;
        if (!motors) _ctrl.ResetIntegrators();
        _lastCtrl = _ctrl.Step(_tickS, st, _vehicle.YawRad, _activeSp, _vehicle, _hoverThrust,
            climbRateMode: _opt.Persona == VapPersona.ArduPilot);
        var thrust = _lastCtrl.ThrustSpecificNed;
        if (!motors) thrust = Vector3d.Zero;
        else if (!_inAir && _behaviour is VapBehaviour.Idle or VapBehaviour.Land) thrust = new Vector3d(0, 0, -0.1 * Wgs84.GravityMs2); // idle spin on the ground
        _vehicle.Step(_tickS, thrust, _lastCtrl.YawRateRadS, motors);
        UpdateLandDetector();
        if (_opt.Persona == VapPersona.Px4) Px4AfterPhysics(); else ArduAfterPhysics();
        FlushImmediate();
        RunTelemetry();
    }

    private void UpdateLandDetector()
    {
        var s = _vehicle.State;
        if (!s.OnGround)
        {
            _groundContactSinceS = -1;
            if (!_inAir && _armed && -s.PosNed.Z > 0.05) { _inAir = true; OnTakeoffDetected(); }
        }
        else
        {
            if (_groundContactSinceS < 0) _groundContactSinceS = _timeS;
            if (_inAir && _timeS - _groundContactSinceS >= 0.5) { _inAir = false; OnLandingDetected(); }
        }
    }

    private void OnTakeoffDetected()
    {
        if (_opt.Persona == VapPersona.Px4) StatusText(6, "Takeoff detected\t");
    }

    private void OnLandingDetected()
    {
        _landedAtS = _timeS;
        if (_opt.Persona == VapPersona.Px4) StatusText(6, "Landing detected\t");
        else if (_guidedKind == GuidedKind.Takeoff) ArduGuidedStop(); // landed again: DISARM_DELAY applies
    }

    private double _landedAtS = double.NegativeInfinity;

    private VapSetpoint SetpointForBehaviour()
    {
        var s = _vehicle.State;
        switch (_behaviour)
        {
            case VapBehaviour.External:
                return _extSp;
            case VapBehaviour.Hold:
                return VapSetpoint.HoldAt(_holdPos, _holdYaw);
            case VapBehaviour.Takeoff:
                return new VapSetpoint { PosNed = new Vector3d(_holdPos.X, _holdPos.Y, _takeoffTargetZ), VelNed = VapSetpoint.Unset, AccNed = VapSetpoint.Unset, YawRad = _holdYaw, YawRateRadS = double.NaN };
            case VapBehaviour.Land:
            {
                double vz = LandDescentRate(-s.PosNed.Z);
                return new VapSetpoint { PosNed = new Vector3d(_holdPos.X, _holdPos.Y, double.NaN), VelNed = new Vector3d(double.NaN, double.NaN, vz), AccNed = VapSetpoint.Unset, YawRad = _holdYaw, YawRateRadS = double.NaN };
            }
            case VapBehaviour.FailsafeSink:
                return new VapSetpoint { PosNed = new Vector3d(_holdPos.X, _holdPos.Y, double.NaN), VelNed = new Vector3d(double.NaN, double.NaN, _opt.Px4PosctlFailsafeSinkMs), AccNed = VapSetpoint.Unset, YawRad = _holdYaw, YawRateRadS = double.NaN };
            case VapBehaviour.ReturnToLaunch:
                return RtlSetpoint(s);
            default:
                return VapSetpoint.Brake;
        }
    }

    private double LandDescentRate(double heightM) => _opt.Persona == VapPersona.Px4
        ? _opt.Px4LandSpeedMs
        : heightM > _opt.ArduLandAltLowM ? _ctrl.Limits.MaxVelDownMs : _opt.ArduLandSpeedMs;

    private VapSetpoint RtlSetpoint(in VapVehicleState s)
    {
        var unset = VapSetpoint.Unset;
        switch (_rtlPhase)
        {
            case 0: // climb
                if (Math.Abs(s.PosNed.Z - _takeoffTargetZ) < 0.5) _rtlPhase = 1;
                return new VapSetpoint { PosNed = new Vector3d(_holdPos.X, _holdPos.Y, _takeoffTargetZ), VelNed = unset, AccNed = unset, YawRad = _holdYaw, YawRateRadS = double.NaN };
            case 1: // fly home
            {
                var hn = HomeNed;
                var home = new Vector3d(hn.X, hn.Y, _takeoffTargetZ);
                if ((home - s.PosNed).HorizontalLength < 1.0 && s.VelNed.HorizontalLength < 0.5) { _rtlPhase = 2; _holdPos = new Vector3d(hn.X, hn.Y, s.PosNed.Z); }
                return new VapSetpoint { PosNed = home, VelNed = unset, AccNed = unset, YawRad = double.NaN, YawRateRadS = double.NaN };
            }
            default: // land
                return new VapSetpoint { PosNed = new Vector3d(_holdPos.X, _holdPos.Y, double.NaN), VelNed = new Vector3d(double.NaN, double.NaN, LandDescentRate(-s.PosNed.Z)), AccNed = unset, YawRad = double.NaN, YawRateRadS = double.NaN };
        }
    }

    /// <summary>Home in the local frame: PX4's local origin; ArduPilot's home is where it armed.</summary>
    public Vector3d HomeNed => _opt.Persona == VapPersona.ArduPilot && _arduHomeSet ? _homeNed : Vector3d.Zero;

    private void StartRtl()
    {
        var s = _vehicle.State;
        double rtlAltM = _opt.Persona == VapPersona.Px4 ? _opt.Px4RtlReturnAltM : _opt.ArduRtlAltM;
        _takeoffTargetZ = Math.Min(s.PosNed.Z, -rtlAltM);
        _holdPos = s.PosNed; _holdYaw = _vehicle.YawRad;
        _rtlPhase = 0;
        _behaviour = VapBehaviour.ReturnToLaunch;
    }

    private void EnterHoldHere()
    {
        var s = _vehicle.State;
        _holdPos = s.PosNed; _holdYaw = _vehicle.YawRad;
        _behaviour = _inAir || _armed && !s.OnGround ? VapBehaviour.Hold : VapBehaviour.Idle;
    }

    private void EnterLandHere()
    {
        var s = _vehicle.State;
        _holdPos = s.PosNed; _holdYaw = _vehicle.YawRad;
        _behaviour = VapBehaviour.Land;
    }

    private void Arm()
    {
        _armed = true; _armedAtS = _timeS;
        _ctrl.ResetIntegrators();
    }

    private void Disarm()
    {
        _armed = false;
        _ctrl.ResetIntegrators();
        if (!_inAir) _behaviour = VapBehaviour.Idle;
    }

    // ---- frame handling ----

    private void HandleFrame(in MavlinkFrame frame)
    {
        if (frame.SystemId == _opt.SystemId && frame.ComponentId == _opt.ComponentId) return; // our own echo
        if (frame.TryGetTarget(out byte ts, out byte tc))
        {
            if (ts != 0 && ts != _opt.SystemId) return; // addressed to someone else
            if (tc != 0 && tc != _opt.ComponentId) return;
        }
        switch (frame.MessageId)
        {
            case HeartbeatMessage.MavlinkMessageId:
                if (frame.TryDecode(out HeartbeatMessage hb) && hb.Type == 6) { _gcsSystemId = frame.SystemId; _gcsComponentId = frame.ComponentId; }
                break;
            case CommandLongMessage.MavlinkMessageId:
                if (frame.TryDecode(out CommandLongMessage cl))
                    HandleCommand(cl.Command, cl.Param1, cl.Param2, cl.Param3, cl.Param4, cl.Param5, cl.Param6, cl.Param7, frame.SystemId, frame.ComponentId);
                break;
            case CommandIntMessage.MavlinkMessageId:
                if (frame.TryDecode(out CommandIntMessage ci))
                    HandleCommand(ci.Command, ci.Param1, ci.Param2, ci.Param3, ci.Param4, ci.X, ci.Y, ci.Z, frame.SystemId, frame.ComponentId);
                break;
            case SetModeMessage.MavlinkMessageId:
                if (frame.TryDecode(out SetModeMessage sm)) HandleSetModeMessage(sm, frame.SystemId, frame.ComponentId);
                break;
            case SetPositionTargetLocalNedMessage.MavlinkMessageId:
                if (frame.TryDecode(out SetPositionTargetLocalNedMessage sp)) HandleSetPositionTarget(sp);
                break;
            case SetAttitudeTargetMessage.MavlinkMessageId:
                if (frame.TryDecode(out SetAttitudeTargetMessage at)) HandleSetAttitudeTarget(at);
                break;
            case TimesyncMessage.MavlinkMessageId:
                if (frame.TryDecode(out TimesyncMessage tsm) && tsm.Tc1 == 0)
                {
                    var reply = new TimesyncMessage { Tc1 = (long)TimeBootUs * 1000, Ts1 = tsm.Ts1, TargetSystem = frame.SystemId, TargetComponent = frame.ComponentId };
                    Emit(reply);
                }
                break;
            case RequestDataStreamMessage.MavlinkMessageId:
                if (_opt.Persona == VapPersona.ArduPilot && frame.TryDecode(out RequestDataStreamMessage rds))
                    ArduRequestDataStream(rds.ReqStreamId, rds.ReqMessageRate, rds.StartStop != 0);
                break;
        }
    }

    private void HandleCommand(ushort command, float p1, float p2, float p3, float p4, float p5, float p6, float p7, byte fromSys, byte fromComp)
    {
        switch (command)
        {
            case (ushort)MavCmd.SetMessageInterval:
                Ack(command, SetMessageInterval((uint)p1, p2), fromSys, fromComp);
                return;
            case (ushort)MavCmd.RequestMessage:
            {
                bool ok = double.IsFinite(p1) && p1 >= 0 && TrySendOnce((uint)p1);
                Ack(command, ok ? (byte)MavResult.Accepted : (byte)MavResult.Denied, fromSys, fromComp);
                return;
            }
        }
        if (_opt.Persona == VapPersona.Px4) Px4Command(command, p1, p2, p3, p4, p5, p6, p7, fromSys, fromComp);
        else ArduCommand(command, p1, p2, p3, p4, p5, p6, p7, fromSys, fromComp);
    }

    private void HandleSetModeMessage(in SetModeMessage sm, byte fromSys, byte fromComp)
    {
        if ((sm.BaseMode & 1) == 0) return;
        if (_opt.Persona == VapPersona.Px4)
        {
            byte main = (byte)(sm.CustomMode >> 16), sub = (byte)(sm.CustomMode >> 24);
            var result = Px4SetMode(main, sub);
            Ack((ushort)MavCmd.DoSetMode, result, fromSys, fromComp);
        }
        else
        {
            var result = ArduSetMode(sm.CustomMode);
            Ack((ushort)SetModeMessage.MavlinkMessageId, result, fromSys, fromComp);
        }
    }

    private static bool TypeMaskPairOk(ushort mask, int bit) => ((mask >> bit) & 1) == ((mask >> (bit + 1)) & 1);

    private void HandleSetPositionTarget(in SetPositionTargetLocalNedMessage m)
    {
        if (_opt.Persona == VapPersona.Px4) Px4SetPositionTarget(m); else ArduSetPositionTarget(m);
    }

    private void HandleSetAttitudeTarget(in SetAttitudeTargetMessage m)
    {
        bool attIgnore = (m.TypeMask & 0x80) != 0;
        bool thrustIgnore = (m.TypeMask & 0x40) != 0;
        var q = new Quaterniond(m.Q[0], m.Q[1], m.Q[2], m.Q[3]);
        var sp = new VapSetpoint { PosNed = VapSetpoint.Unset, VelNed = VapSetpoint.Unset, AccNed = VapSetpoint.Unset, YawRad = double.NaN, YawRateRadS = double.NaN, IsAttitude = true };
        if (attIgnore)
        {
            // Body-rate control: integrate the rates into an attitude target from the current attitude.
            var e = _vehicle.State.Attitude.ToEuler();
            double dt = 0.02;
            sp.Attitude = Quaterniond.FromEuler(e.RollRad + m.BodyRollRate * dt, e.PitchRad + m.BodyPitchRate * dt, e.YawRad + m.BodyYawRate * dt);
        }
        else
        {
            if (!q.IsFinite || q.Norm < 0.5) { SetpointsRejected++; return; }
            sp.Attitude = q.Normalized();
        }
        sp.Thrust = thrustIgnore ? (_opt.Persona == VapPersona.Px4 ? _hoverThrust : 0.5) : m.Thrust;
        if (!double.IsFinite(sp.Thrust)) { SetpointsRejected++; return; }
        if (_opt.Persona == VapPersona.Px4) Px4AcceptSetpoint(sp, (ushort)0xFFFF, 1);
        else ArduAcceptAttitude(sp);
    }

    // ---- output helpers ----

    private void Emit<T>(in T message) where T : struct, IMavlinkMessage<T>
    {
        var sink = Sink;
        if (sink is null) { _writer.Write(_txBuffer, message); return; } // keep sequence numbers consistent
        int n = _writer.Write(_txBuffer, message);
        sink.Send(_txBuffer.AsSpan(0, n));
    }

    private void Ack(ushort command, byte result, byte toSys, byte toComp) =>
        Emit(new CommandAckMessage { Command = command, Result = result, TargetSystem = toSys, TargetComponent = toComp });

    private void StatusText(byte severity, string text)
    {
        var m = new StatustextMessage { Severity = severity, Text = CharArray50.FromString(text.Length > 50 ? text[..50] : text), Id = 0, ChunkSeq = 0 };
        if (_opt.Persona == VapPersona.Px4) m.Id = _statusTextId++;
        Emit(m);
    }

    private byte LandedState => !_inAir ? (byte)1 : _behaviour == VapBehaviour.Land || (_behaviour == VapBehaviour.ReturnToLaunch && _rtlPhase == 2) ? (byte)4 : _behaviour == VapBehaviour.Takeoff ? (byte)3 : (byte)2;
}

/// <summary>MAV_CMD_COMPONENT_ARM_DISARM param2 that forces a disarm in flight (PX4 and ArduPilot).</summary>
internal static class ArmDisarm
{
    public const float ForceMagic = 21196;
}

