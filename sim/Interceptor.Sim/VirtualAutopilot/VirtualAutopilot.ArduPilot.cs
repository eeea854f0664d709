using Interceptor.Core;
using Interceptor.Mavlink.Messages;

namespace Interceptor.Sim.VirtualAutopilot;

/// <summary>ArduCopter 4.7 persona: custom_mode = Copter mode number (0 STABILIZE, 4 GUIDED, 5 LOITER, 6 RTL,
/// 9 LAND, ...); behaviour as in the ArduCopter SITL capture.</summary>
public sealed partial class VirtualAutopilot
{
    public const uint ArduStabilize = 0, ArduAcro = 1, ArduAltHold = 2, ArduAuto = 3, ArduGuided = 4, ArduLoiter = 5,
        ArduRtl = 6, ArduCircle = 7, ArduLand = 9, ArduPosHold = 16, ArduBrake = 17, ArduSmartRtl = 21;

    private enum GuidedKind { None, Stop, Position, VelAccel, Accel, PosVelAccel, Attitude, Takeoff }

    private uint _arduMode;
    private bool _arduHeartbeatNow;
    private GuidedKind _guidedKind = GuidedKind.Stop;
    private double _guidedUpdateS;
    private bool _guidedTimedOut;
    private bool _arduHomeSet;
    private Vector3d _homeNed;
    private double _lastTimesyncRequestS = double.NegativeInfinity;

    public static string ArduModeName(uint mode) => mode switch
    {
        ArduStabilize => "STABILIZE", ArduAcro => "ACRO", ArduAltHold => "ALT_HOLD", ArduAuto => "AUTO", ArduGuided => "GUIDED",
        ArduLoiter => "LOITER", ArduRtl => "RTL", ArduCircle => "CIRCLE", ArduLand => "LAND", ArduPosHold => "POSHOLD",
        ArduBrake => "BRAKE", ArduSmartRtl => "SMART_RTL", _ => $"MODE{mode}",
    };

    private void ArduInit()
    {
        _arduMode = _opt.ArduInitialMode;
    }

    // Copter reports CUSTOM_MODE_ENABLED | GUIDED | STABILIZE | MANUAL_INPUT in every mode (capture: 89 disarmed, 217 armed).
    // In GUIDED's attitude (angle) sub-mode the GUIDED_ENABLED flag drops (capture: 209 while SET_ATTITUDE_TARGET flew).
    private byte ArduBaseMode => (byte)((_arduMode == ArduGuided && _guidedKind == GuidedKind.Attitude ? 0x51 : 0x59) | (_armed ? 0x80 : 0));
    // STANDBY on the ground, ACTIVE when flying (capture).
    private byte ArduSystemStatus => _inAir ? (byte)4 : (byte)3;

    private static bool ArduModeKnown(uint m) => m is ArduStabilize or ArduAcro or ArduAltHold or ArduGuided or ArduLoiter or ArduRtl
        or ArduCircle or ArduLand or ArduPosHold or ArduBrake or ArduSmartRtl;

    private static bool ArduModeArmable(uint m) => m is ArduStabilize or ArduAcro or ArduAltHold or ArduGuided or ArduLoiter or ArduPosHold or ArduCircle;

    private byte ArduSetMode(uint mode)
    {
        if (!ArduModeKnown(mode)) return (byte)MavResult.Failed;
        bool changed = mode != _arduMode;
        _arduMode = mode;
        var s = _vehicle.State;
        _holdPos = s.PosNed; _holdYaw = _vehicle.YawRad;
        switch (mode)
        {
            case ArduGuided:
                ArduGuidedStop();
                break;
            case ArduLand:
                _behaviour = _armed ? VapBehaviour.Land : VapBehaviour.Idle;
                break;
            case ArduRtl: case ArduSmartRtl:
                if (_armed) StartRtl(); else _behaviour = VapBehaviour.Idle;
                break;
            default:
                EnterHoldHere();
                break;
        }
        if (changed) _arduHeartbeatNow = true; // ArduPilot announces a mode change with an immediate HEARTBEAT (capture)
        return (byte)MavResult.Accepted;
    }

    /// <summary>GUIDED's "init(true)": stop and hold where the vehicle brakes to (echo: velocity 0, mask 3079).</summary>
    private void ArduGuidedStop()
    {
        _guidedKind = GuidedKind.Stop;
        _extSp = VapSetpoint.Brake;
        _extSp.YawRad = _vehicle.YawRad;
        _guidedUpdateS = _timeS;
        _guidedTimedOut = false;
    }

    private void ArduCommand(ushort command, float p1, float p2, float p3, float p4, float p5, float p6, float p7, byte fromSys, byte fromComp)
    {
        _ = p3; _ = p4; _ = p5; _ = p6;
        var s = _vehicle.State;
        switch (command)
        {
            case (ushort)MavCmd.DoSetMode:
                Ack(command, ((int)p1 & 1) == 0 ? (byte)MavResult.Failed : ArduSetMode((uint)p2), fromSys, fromComp);
                return;
            case (ushort)MavCmd.ComponentArmDisarm:
                if (p1 > 0.5f)
                {
                    if (_armed) { Ack(command, (byte)MavResult.Accepted, fromSys, fromComp); return; }
                    if (_timeS < _opt.ArduEkfReadyAfterS) { Ack(command, (byte)MavResult.Failed, fromSys, fromComp); return; }
                    if (!ArduModeArmable(_arduMode))
                    {
                        Ack(command, (byte)MavResult.Failed, fromSys, fromComp);
                        StatusText(2, "Arm: Mode not armable");
                        return;
                    }
                    Arm();
                    _arduHomeSet = true;
                    _homeNed = s.PosNed;
                    Ack(command, (byte)MavResult.Accepted, fromSys, fromComp);
                    SendGpsGlobalOrigin();
                    SendHomePosition();
                    StatusText(6, "Arming motors");
                    if (_arduMode == ArduGuided) ArduGuidedStop();
                }
                else
                {
                    if (!_armed) { Ack(command, (byte)MavResult.Accepted, fromSys, fromComp); return; }
                    if (_inAir && p2 != ArmDisarm.ForceMagic) { Ack(command, (byte)MavResult.Failed, fromSys, fromComp); return; }
                    Disarm();
                    Ack(command, (byte)MavResult.Accepted, fromSys, fromComp);
                    StatusText(6, "Disarming motors");
                }
                return;
            case (ushort)MavCmd.NavTakeoff:
            {
                // do_user_takeoff: GUIDED (or another takeoff-capable mode), armed, landed, altitude above home [m].
                bool ok = _armed && !_inAir && _arduMode == ArduGuided && double.IsFinite(p7) && p7 > 0 && _timeS >= _opt.ArduEkfReadyAfterS;
                if (!ok) { Ack(command, (byte)MavResult.Failed, fromSys, fromComp); return; }
                _guidedKind = GuidedKind.Takeoff;
                _holdPos = s.PosNed; _holdYaw = _vehicle.YawRad;
                _takeoffTargetZ = _homeNed.Z - p7;
                _extSp = VapSetpoint.HoldAt(new Vector3d(s.PosNed.X, s.PosNed.Y, _takeoffTargetZ), _vehicle.YawRad);
                _guidedUpdateS = _timeS;
                Ack(command, (byte)MavResult.Accepted, fromSys, fromComp);
                return;
            }
            case (ushort)MavCmd.NavLand:
                Ack(command, ArduSetMode(ArduLand), fromSys, fromComp);
                return;
            case (ushort)MavCmd.NavReturnToLaunch:
                Ack(command, ArduSetMode(ArduRtl), fromSys, fromComp);
                return;
            default:
                Ack(command, (byte)MavResult.Unsupported, fromSys, fromComp);
                return;
        }
    }

    private void ArduSetPositionTarget(in SetPositionTargetLocalNedMessage m)
    {
        if (_arduMode != ArduGuided) { SetpointsRejected++; return; }
        if (m.CoordinateFrame is not (1 or 7 or 8 or 9))
        {
            // Unsupported frame (e.g. BODY_FRD 12): no ACK, GUIDED re-initialises and the copter brakes and holds (captured).
            SetpointsRejected++;
            ArduGuidedStop();
            return;
        }
        ushort mask = m.TypeMask;
        bool posIgnore = (mask & 0x7) != 0, velIgnore = (mask & 0x38) != 0, accIgnore = (mask & 0x1C0) != 0;
        GuidedKind kind;
        if (!posIgnore && !velIgnore) kind = GuidedKind.PosVelAccel;
        else if (posIgnore && !velIgnore) kind = GuidedKind.VelAccel;
        else if (posIgnore && velIgnore && !accIgnore) kind = GuidedKind.Accel;
        else if (!posIgnore && velIgnore && accIgnore) kind = GuidedKind.Position;
        else { SetpointsRejected++; ArduGuidedStop(); return; }
        bool p = kind is GuidedKind.PosVelAccel or GuidedKind.Position;
        bool v = kind is GuidedKind.PosVelAccel or GuidedKind.VelAccel;
        bool a = !accIgnore && kind != GuidedKind.Position;
        var sp = BuildLocalSetpoint(m, p, p, v, v, a, a);
        if (kind is GuidedKind.VelAccel or GuidedKind.PosVelAccel && !a) sp.AccNed = Vector3d.Zero; // echoed as zero feed-forward
        if (kind == GuidedKind.Position) { sp.VelNed = VapSetpoint.Unset; sp.AccNed = VapSetpoint.Unset; }
        if (!AnyFinite(sp)) { SetpointsRejected++; return; }
        _guidedKind = kind;
        _extSpYawFromClient = sp.YawRad;
        _extSp = sp;
        _guidedUpdateS = _timeS;
        _guidedTimedOut = false;
        _extSpTimeS = _timeS; _extSpValid = true;
    }

    private void ArduAcceptAttitude(in VapSetpoint sp)
    {
        if (_arduMode != ArduGuided) { SetpointsRejected++; return; }
        _guidedKind = GuidedKind.Attitude;
        _extSp = sp;
        _guidedUpdateS = _timeS;
        _guidedTimedOut = false;
        _extSpTimeS = _timeS; _extSpValid = true;
    }

    private void ArduLogic()
    {
        if (_arduMode == ArduGuided)
        {
            // GUID_TIMEOUT: velocity, acceleration and attitude targets lapse; position targets do not.
            if (!_guidedTimedOut && _timeS - _guidedUpdateS > _opt.ArduGuidedTimeoutS)
            {
                switch (_guidedKind)
                {
                    case GuidedKind.VelAccel: case GuidedKind.Accel:
                        _guidedTimedOut = true;
                        _guidedKind = GuidedKind.VelAccel;
                        _extSp = VapSetpoint.Velocity(Vector3d.Zero);
                        _extSp.AccNed = Vector3d.Zero;
                        _extSp.YawRad = _vehicle.YawRad;
                        break;
                    case GuidedKind.PosVelAccel:
                        _guidedTimedOut = true;
                        _extSp.VelNed = Vector3d.Zero; _extSp.AccNed = Vector3d.Zero;
                        break;
                    case GuidedKind.Attitude:
                        _guidedTimedOut = true;
                        _extSp.Attitude = Quaterniond.FromEuler(0, 0, _vehicle.YawRad);
                        _extSp.Thrust = 0.5;
                        break;
                }
            }
            // Look-ahead yaw: with yaw and yaw rate ignored the nose follows the velocity target (captured).
            if (_guidedKind is GuidedKind.VelAccel or GuidedKind.PosVelAccel && !double.IsFinite(_extSp.YawRateRadS))
            {
                var v = _extSp.VelNed;
                if (double.IsFinite(v.X) && double.IsFinite(v.Y) && v.HorizontalLength > 1.0 && !double.IsFinite(_extSpYawFromClient))
                    _extSp.YawRad = Math.Atan2(v.Y, v.X);
            }
            // On the ground GUIDED waits for a takeoff command.
            _behaviour = _armed && (_inAir || _guidedKind == GuidedKind.Takeoff) ? VapBehaviour.External : VapBehaviour.Idle;
        }
        else if (_arduMode == ArduLand) _behaviour = _armed ? VapBehaviour.Land : VapBehaviour.Idle;
        else if (_arduMode is ArduRtl or ArduSmartRtl) { if (!_armed) _behaviour = VapBehaviour.Idle; }
        else _behaviour = _armed && _inAir ? VapBehaviour.Hold : VapBehaviour.Idle;

        // DISARM_DELAY: armed on the ground without taking off.
        if (_armed && !_inAir && _guidedKind != GuidedKind.Takeoff && _timeS - Math.Max(_armedAtS, _landedAtS) > _opt.ArduDisarmDelayS)
        {
            Disarm();
            StatusText(6, "Disarming motors");
        }
        // ArduPilot requests TIMESYNC every 10 s (capture).
        if (_timeS - _lastTimesyncRequestS >= 10.0)
        {
            _lastTimesyncRequestS = _timeS;
            Emit(new TimesyncMessage { Tc1 = 0, Ts1 = (long)TimeBootUs * 1000 + 1 });
        }
    }

    private double _extSpYawFromClient = double.NaN;

    private void ArduAfterPhysics()
    {
        // LAND and RTL disarm once landed.
        if (_armed && !_inAir && _landedAtS == _timeS && (_arduMode is ArduLand or ArduRtl or ArduSmartRtl))
        {
            Disarm();
            StatusText(6, "Disarming motors");
        }
    }

    /// <summary>POSITION_TARGET_LOCAL_NED type mask as ArduCopter echoes it for the current GUIDED sub-mode.</summary>
    private ushort ArduEchoMask => _guidedKind switch
    {
        GuidedKind.Position or GuidedKind.Takeoff => 0xDF8, // 3576
        GuidedKind.Accel => 0xC3F,                          // 3135
        GuidedKind.PosVelAccel => 0xC00,                    // 3072
        _ => 0xC07,                                         // 3079: velocity + acceleration
    };
}
