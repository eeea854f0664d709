using Interceptor.Core;
using Interceptor.Mavlink.Messages;

namespace Interceptor.Sim.VirtualAutopilot;

/// <summary>PX4 v1.16 persona: custom_mode = main mode in byte 2, sub mode in byte 3 (AUTO.LOITER 0x03040000,
/// OFFBOARD 0x00060000, POSCTL 0x00030000, AUTO.LAND 0x06040000); behaviour as in the PX4 SIH capture.</summary>
public sealed partial class VirtualAutopilot
{
    public const byte Px4MainManual = 1, Px4MainAltctl = 2, Px4MainPosctl = 3, Px4MainAuto = 4, Px4MainAcro = 5, Px4MainOffboard = 6, Px4MainStabilized = 7;
    public const byte Px4SubTakeoff = 2, Px4SubLoiter = 3, Px4SubMission = 4, Px4SubRtl = 5, Px4SubLand = 6;

    /// <summary>Encodes a PX4 custom_mode.</summary>
    public static uint Px4Mode(byte main, byte sub = 0) => ((uint)main << 16) | ((uint)sub << 24);

    private byte _px4Main, _px4Sub;            // user intended mode
    private bool _px4Failsafe;
    private bool _px4Override;                 // a LAND/RTL command that replaced the failsafe action
    private byte _px4FsMain, _px4FsSub;        // mode shown while the failsafe acts
    private bool _px4TookOff;
    private PendingAck _pendingAck0, _pendingAck1;

    private struct PendingAck
    {
        public bool Active;
        public double DueS;
        public ushort Command;
        public byte Result, ToSys, ToComp;
    }

    private uint Px4CustomMode => _px4Failsafe || _px4Override ? Px4Mode(_px4FsMain, _px4FsSub) : Px4Mode(_px4Main, _px4Sub);
    /// <summary>PX4: the mode the user selected (differs from <see cref="CustomMode"/> while a failsafe acts).</summary>
    public uint IntendedCustomMode => _opt.Persona == VapPersona.Px4 ? Px4Mode(_px4Main, _px4Sub) : _arduMode;
    /// <summary>True while a PX4 failsafe overrides the selected mode.</summary>
    public bool FailsafeActive => _opt.Persona == VapPersona.Px4 && _px4Failsafe;

    public static string Px4ModeName(uint customMode)
    {
        byte main = (byte)(customMode >> 16), sub = (byte)(customMode >> 24);
        return main switch
        {
            Px4MainManual => "MANUAL",
            Px4MainAltctl => "ALTCTL",
            Px4MainPosctl => "POSCTL",
            Px4MainAcro => "ACRO",
            Px4MainOffboard => "OFFBOARD",
            Px4MainStabilized => "STABILIZED",
            Px4MainAuto => sub switch
            {
                1 => "AUTO.READY", Px4SubTakeoff => "AUTO.TAKEOFF", Px4SubLoiter => "AUTO.LOITER", Px4SubMission => "AUTO.MISSION",
                Px4SubRtl => "AUTO.RTL", Px4SubLand => "AUTO.LAND", _ => $"AUTO.{sub}",
            },
            _ => $"0x{customMode:X8}",
        };
    }

    private void Px4Init()
    {
        _px4Main = Px4MainAuto; _px4Sub = Px4SubLoiter; // capture: AUTO.LOITER, disarmed, at connect
    }

    private bool Px4OffboardSignalFresh => _extSpValid && _timeS - _extSpTimeS <= _opt.Px4OffboardLossTimeoutS;

    private byte Px4BaseMode
    {
        get
        {
            byte main = (byte)(Px4CustomMode >> 16);
            int b = 1; // MAV_MODE_FLAG_CUSTOM_MODE_ENABLED
            b |= main switch
            {
                Px4MainAuto => 16 | 8 | 4,             // capture: AUTO.LOITER 29, AUTO.LAND armed 157
                Px4MainOffboard => 16,                 // capture: 17 / 145
                Px4MainManual or Px4MainAcro => 64,
                _ => 64 | 16,                          // capture: POSCTL armed 209
            };
            if (_armed) b |= 128;
            return (byte)b;
        }
    }

    private byte Px4SystemStatus => _px4Failsafe ? (byte)5 : _armed ? (byte)4 : (byte)3;

    private void Px4Logic()
    {
        FlushPendingAck(ref _pendingAck0);
        FlushPendingAck(ref _pendingAck1);

        if (_armed && !_px4Failsafe && !_px4Override && _px4Main == Px4MainOffboard && !Px4OffboardSignalFresh)
        {
            // COM_OF_LOSS_T elapsed without a valid setpoint: failsafe to Position mode (hold), as captured.
            StatusText(2, "Failsafe activated\t");
            _px4Failsafe = true; _px4FsMain = Px4MainPosctl; _px4FsSub = 0;
            var s = _vehicle.State;
            _holdPos = s.PosNed; _holdYaw = _vehicle.YawRad;
        }
        if (_armed && !_inAir && !_px4TookOff && _timeS - _armedAtS > _opt.Px4DisarmPreflightS)
        {
            Disarm();
            _px4Failsafe = false; _px4Override = false;
            StatusText(6, "Disarmed by auto preflight disarming\t");
        }
        if (_armed && !_inAir && _px4TookOff && _timeS - _landedAtS >= _opt.Px4DisarmLandS)
        {
            Disarm();
            _px4Failsafe = false; _px4Override = false; // cleared on disarm; the intended mode shows again
            StatusText(6, "Disarmed by landing\t");
        }
        if (_behaviour == VapBehaviour.Takeoff && Math.Abs(_vehicle.State.PosNed.Z - _takeoffTargetZ) < 0.3)
        {
            _px4Main = Px4MainAuto; _px4Sub = Px4SubLoiter;
            var s = _vehicle.State; _holdPos = new Vector3d(_holdPos.X, _holdPos.Y, _takeoffTargetZ); _holdYaw = _vehicle.YawRad; _ = s;
        }
        Px4UpdateBehaviour();
    }

    private void Px4AfterPhysics()
    {
        if (_inAir) _px4TookOff = true;
    }

    private void Px4UpdateBehaviour()
    {
        if (!_armed) { _behaviour = VapBehaviour.Idle; return; }
        bool over = _px4Failsafe || _px4Override;
        byte main = over ? _px4FsMain : _px4Main, sub = over ? _px4FsSub : _px4Sub;
        VapBehaviour b;
        if (main == Px4MainOffboard) b = VapBehaviour.External;
        else if (main == Px4MainAuto && sub == Px4SubLand) b = VapBehaviour.Land;
        else if (main == Px4MainAuto && sub == Px4SubRtl) b = VapBehaviour.ReturnToLaunch;
        else if (main == Px4MainAuto && sub == Px4SubTakeoff) b = VapBehaviour.Takeoff;
        else if (_px4Failsafe && main == Px4MainPosctl) b = VapBehaviour.FailsafeSink;
        else b = _inAir ? VapBehaviour.Hold : VapBehaviour.Idle;
        _behaviour = b;
    }

    private void FlushPendingAck(ref PendingAck p)
    {
        if (!p.Active || _timeS < p.DueS) return;
        p.Active = false;
        Ack(p.Command, p.Result, p.ToSys, p.ToComp);
    }

    private void QueueSecondAck(ushort command, byte result, byte toSys, byte toComp)
    {
        // PX4 answers DO_SET_MODE twice: an early ACCEPTED and, about 5 ms later, the real result (capture: 1.867 / 1.872 s).
        ref var slot = ref _pendingAck0.Active ? ref _pendingAck1 : ref _pendingAck0;
        if (slot.Active) FlushPendingAckNow(ref slot);
        slot = new PendingAck { Active = true, DueS = _timeS + 0.005, Command = command, Result = result, ToSys = toSys, ToComp = toComp };
    }

    private void FlushPendingAckNow(ref PendingAck p) { p.Active = false; Ack(p.Command, p.Result, p.ToSys, p.ToComp); }

    private byte Px4SetMode(byte main, byte sub)
    {
        var s = _vehicle.State;
        switch (main)
        {
            case Px4MainOffboard:
                // Accepted while disarmed even without setpoints (captured); armed it needs a live setpoint stream.
                if (_armed && !Px4OffboardSignalFresh) return (byte)MavResult.TemporarilyRejected;
                break;
            case Px4MainAuto:
                if (sub is not (Px4SubLoiter or Px4SubLand or Px4SubRtl or Px4SubTakeoff)) return (byte)MavResult.Denied;
                if (sub == Px4SubTakeoff)
                {
                    if (!_armed) return (byte)MavResult.TemporarilyRejected;
                    _takeoffTargetZ = s.PosNed.Z - _opt.Px4TakeoffAltM;
                }
                break;
            case Px4MainPosctl: case Px4MainAltctl: case Px4MainManual: case Px4MainStabilized: case Px4MainAcro:
                break;
            default:
                return (byte)MavResult.Denied;
        }
        _px4Main = main; _px4Sub = main == Px4MainAuto ? sub : (byte)0;
        _px4Failsafe = false; _px4Override = false;
        _holdPos = s.PosNed; _holdYaw = _vehicle.YawRad;
        if (main == Px4MainAuto && sub == Px4SubRtl) StartRtl();
        Px4UpdateBehaviour();
        return (byte)MavResult.Accepted;
    }

    private void Px4Command(ushort command, float p1, float p2, float p3, float p4, float p5, float p6, float p7, byte fromSys, byte fromComp)
    {
        var s = _vehicle.State;
        switch (command)
        {
            case (ushort)MavCmd.DoSetMode:
            {
                Ack(command, (byte)MavResult.Accepted, fromSys, fromComp);
                byte result = ((int)p1 & 1) == 0 ? (byte)MavResult.Denied : Px4SetMode((byte)p2, (byte)p3);
                QueueSecondAck(command, result, fromSys, fromComp);
                return;
            }
            case (ushort)MavCmd.ComponentArmDisarm:
                if (p1 > 0.5f)
                {
                    if (_armed) { Ack(command, (byte)MavResult.Accepted, fromSys, fromComp); return; }
                    if (_px4Main == Px4MainOffboard && !Px4OffboardSignalFresh) { Ack(command, (byte)MavResult.TemporarilyRejected, fromSys, fromComp); return; }
                    Arm();
                    _px4TookOff = false;
                    Px4UpdateBehaviour();
                    Ack(command, (byte)MavResult.Accepted, fromSys, fromComp);
                    StatusText(6, "Armed by external command\t");
                }
                else
                {
                    if (!_armed) { Ack(command, (byte)MavResult.Accepted, fromSys, fromComp); return; }
                    if (_inAir && p2 != ArmDisarm.ForceMagic) { Ack(command, (byte)MavResult.TemporarilyRejected, fromSys, fromComp); return; }
                    Disarm();
                    _px4Failsafe = false; _px4Override = false;
                    Ack(command, (byte)MavResult.Accepted, fromSys, fromComp);
                    StatusText(6, "Disarmed by external command\t");
                }
                return;
            case (ushort)MavCmd.NavTakeoff:
            {
                if (!_armed) { Ack(command, (byte)MavResult.TemporarilyRejected, fromSys, fromComp); return; }
                // PX4 reads param7 as AMSL altitude; NaN or below home + MIS_TAKEOFF_ALT falls back to MIS_TAKEOFF_ALT.
                double targetRel = double.IsFinite(p7) ? p7 - _home.AltM : double.NaN;
                if (!(targetRel >= 1.0)) targetRel = _opt.Px4TakeoffAltM;
                _px4Main = Px4MainAuto; _px4Sub = Px4SubTakeoff; _px4Failsafe = false; _px4Override = false;
                _holdPos = s.PosNed; _holdYaw = _vehicle.YawRad;
                _takeoffTargetZ = -targetRel;
                Px4UpdateBehaviour();
                Ack(command, (byte)MavResult.Accepted, fromSys, fromComp);
                return;
            }
            case (ushort)MavCmd.NavLand:
                StatusText(6, "Landing at current position\t");
                // During a failsafe the command replaces the failsafe action (status back to ACTIVE) but the
                // intended mode stays: after landing PX4 shows OFFBOARD again (captured).
                if (_px4Failsafe) { _px4Failsafe = false; _px4Override = true; _px4FsMain = Px4MainAuto; _px4FsSub = Px4SubLand; }
                else { _px4Main = Px4MainAuto; _px4Sub = Px4SubLand; }
                _holdPos = s.PosNed; _holdYaw = _vehicle.YawRad;
                Px4UpdateBehaviour();
                Ack(command, (byte)MavResult.Accepted, fromSys, fromComp);
                return;
            case (ushort)MavCmd.NavReturnToLaunch:
                if (_px4Failsafe) { _px4Failsafe = false; _px4Override = true; _px4FsMain = Px4MainAuto; _px4FsSub = Px4SubRtl; }
                else { _px4Main = Px4MainAuto; _px4Sub = Px4SubRtl; }
                StartRtl();
                Px4UpdateBehaviour();
                Ack(command, (byte)MavResult.Accepted, fromSys, fromComp);
                return;
            default:
                Ack(command, (byte)MavResult.Unsupported, fromSys, fromComp);
                return;
        }
    }

    private void Px4SetPositionTarget(in SetPositionTargetLocalNedMessage m)
    {
        // Frames LOCAL_NED (1) and BODY_NED (8) only; 7 and 9 were rejected by PX4 v1.16 (captured).
        if (m.CoordinateFrame is not (1 or 8)) { SetpointsRejected++; return; }
        ushort mask = m.TypeMask;
        // x/y must be set as a pair for position, velocity and acceleration.
        if (!TypeMaskPairOk(mask, 0) || !TypeMaskPairOk(mask, 3) || !TypeMaskPairOk(mask, 6)) { SetpointsRejected++; return; }
        bool posXy = (mask & 0x3) == 0, posZ = (mask & 0x4) == 0;
        bool velXy = (mask & 0x18) == 0, velZ = (mask & 0x20) == 0;
        bool accXy = (mask & 0xC0) == 0, accZ = (mask & 0x100) == 0;
        bool force = (mask & 0x200) != 0;
        if (force && (accXy || accZ)) { SetpointsRejected++; return; } // FORCE_SET with acceleration is rejected
        if (!(posXy || posZ || velXy || velZ || accXy || accZ)) { SetpointsRejected++; return; }
        var sp = BuildLocalSetpoint(m, posXy, posZ, velXy, velZ, accXy, accZ);
        if (!sp.PosNed.IsFinite && !sp.VelNed.IsFinite && !sp.AccNed.IsFinite && !AnyFinite(sp)) { SetpointsRejected++; return; }
        Px4AcceptSetpoint(sp, mask, m.CoordinateFrame);
    }

    private static bool AnyFinite(in VapSetpoint sp) =>
        double.IsFinite(sp.PosNed.X) || double.IsFinite(sp.PosNed.Z) || double.IsFinite(sp.VelNed.X) || double.IsFinite(sp.VelNed.Z) ||
        double.IsFinite(sp.AccNed.X) || double.IsFinite(sp.AccNed.Z);

    /// <summary>Builds a NED setpoint from SET_POSITION_TARGET_LOCAL_NED; body frames (8, 9) rotate by the current
    /// heading and make positions offsets from the vehicle, LOCAL_OFFSET_NED (7) makes positions offsets.</summary>
    private VapSetpoint BuildLocalSetpoint(in SetPositionTargetLocalNedMessage m, bool posXy, bool posZ, bool velXy, bool velZ, bool accXy, bool accZ)
    {
        var s = _vehicle.State;
        double nan = double.NaN;
        var pos = new Vector3d(posXy ? m.X : nan, posXy ? m.Y : nan, posZ ? m.Z : nan);
        var vel = new Vector3d(velXy ? m.Vx : nan, velXy ? m.Vy : nan, velZ ? m.Vz : nan);
        var acc = new Vector3d(accXy ? m.Afx : nan, accXy ? m.Afy : nan, accZ ? m.Afz : nan);
        bool body = m.CoordinateFrame is 8 or 9;
        bool offset = m.CoordinateFrame is 7 or 8 or 9;
        if (body)
        {
            double c = Math.Cos(_vehicle.YawRad), sn = Math.Sin(_vehicle.YawRad);
            pos = new Vector3d(c * pos.X - sn * pos.Y, sn * pos.X + c * pos.Y, pos.Z);
            vel = new Vector3d(c * vel.X - sn * vel.Y, sn * vel.X + c * vel.Y, vel.Z);
            acc = new Vector3d(c * acc.X - sn * acc.Y, sn * acc.X + c * acc.Y, acc.Z);
        }
        if (offset) pos += s.PosNed;
        var sp = new VapSetpoint { PosNed = pos, VelNed = vel, AccNed = acc, YawRad = nan, YawRateRadS = nan };
        if ((m.TypeMask & 0x400) == 0 && double.IsFinite(m.Yaw)) sp.YawRad = m.Yaw;
        if ((m.TypeMask & 0x800) == 0 && double.IsFinite(m.YawRate)) sp.YawRateRadS = m.YawRate;
        return sp;
    }

    private void Px4AcceptSetpoint(in VapSetpoint sp, ushort mask, byte frame)
    {
        _ = mask; _ = frame;
        _extSp = sp;
        _extSpTimeS = _timeS;
        _extSpValid = true;
    }
}
