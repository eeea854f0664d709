using Interceptor.Core;
using Interceptor.Mavlink.Messages;

namespace Interceptor.Sim.VirtualAutopilot;

/// <summary>Telemetry: the message set and default rates of each persona as captured, changed by
/// MAV_CMD_SET_MESSAGE_INTERVAL (both) and REQUEST_DATA_STREAM (ArduPilot stream groups).</summary>
public sealed partial class VirtualAutopilot
{
    private readonly record struct TmDef(uint MsgId, double Px4Hz, byte ArduStream);

    // ArduPilot stream ids (MAV_DATA_STREAM).
    private const byte StreamNone = 255, RawSensors = 1, ExtendedStatus = 2, RcChannels = 3, Position = 6, Extra1 = 10, Extra2 = 11, Extra3 = 12;

    /// <summary>Messages the virtual autopilot can stream. Px4Hz: the PX4 onboard link's default rate in the capture
    /// (0: not streamed by default). ArduStream: the ArduCopter stream group (255: none).</summary>
    private static readonly TmDef[] TmDefs =
    [
        new(HeartbeatMessage.MavlinkMessageId, 1, StreamNone),
        new(SysStatusMessage.MavlinkMessageId, 5, ExtendedStatus),
        new(ExtendedSysStateMessage.MavlinkMessageId, 5, StreamNone),
        new(AttitudeMessage.MavlinkMessageId, 100, Extra1),
        new(AttitudeQuaternionMessage.MavlinkMessageId, 50, StreamNone),
        new(HighresImuMessage.MavlinkMessageId, 50, StreamNone),
        new(GlobalPositionIntMessage.MavlinkMessageId, 50, Position),
        new(OdometryMessage.MavlinkMessageId, 30, StreamNone),
        new(LocalPositionNedMessage.MavlinkMessageId, 30, Position),
        new(TimesyncMessage.MavlinkMessageId, 10, StreamNone),
        new(AltitudeMessage.MavlinkMessageId, 10, StreamNone),
        new(DistanceSensorMessage.MavlinkMessageId, 10, StreamNone),
        new(ServoOutputRawMessage.MavlinkMessageId, 10, RcChannels),
        new(VfrHudMessage.MavlinkMessageId, 10, Extra2),
        new(AttitudeTargetMessage.MavlinkMessageId, 10, StreamNone),
        new(PositionTargetLocalNedMessage.MavlinkMessageId, 10, StreamNone),
        new(PositionTargetGlobalIntMessage.MavlinkMessageId, 10, ExtendedStatus),
        new(GpsRawIntMessage.MavlinkMessageId, 8, ExtendedStatus),
        new(SystemTimeMessage.MavlinkMessageId, 1, Extra3),
        new(PingMessage.MavlinkMessageId, 1, StreamNone),
        new(EstimatorStatusMessage.MavlinkMessageId, 1, StreamNone),
        new(ScaledPressureMessage.MavlinkMessageId, 1, RawSensors),
        new(MissionCurrentMessage.MavlinkMessageId, 1, ExtendedStatus),
        new(BatteryStatusMessage.MavlinkMessageId, 0.5, Extra3),
        new(HomePositionMessage.MavlinkMessageId, 0.5, StreamNone),
        new(VibrationMessage.MavlinkMessageId, 0.5, Extra3),
        new(CurrentModeMessage.MavlinkMessageId, 0.5, StreamNone),
        // ArduPilot-only streams.
        new(PowerStatusMessage.MavlinkMessageId, 0, ExtendedStatus),
        new(MeminfoMessage.MavlinkMessageId, 0, ExtendedStatus),
        new(NavControllerOutputMessage.MavlinkMessageId, 0, ExtendedStatus),
        new(RawImuMessage.MavlinkMessageId, 0, RawSensors),
        new(ScaledImu2Message.MavlinkMessageId, 0, RawSensors),
        new(ScaledPressure2Message.MavlinkMessageId, 0, RawSensors),
        new(RcChannelsMessage.MavlinkMessageId, 0, RcChannels),
        new(SimstateMessage.MavlinkMessageId, 0, Extra1),
        new(Ahrs2Message.MavlinkMessageId, 0, Extra1),
        new(AhrsMessage.MavlinkMessageId, 0, Extra3),
        new(WindMessage.MavlinkMessageId, 0, Extra3),
        new(EkfStatusReportMessage.MavlinkMessageId, 0, Extra3),
    ];

    private readonly double[] _tmIntervalS = new double[TmDefs.Length];   // <= 0: off
    private readonly double[] _tmNextS = new double[TmDefs.Length];
    private readonly double[] _tmOverrideS = new double[TmDefs.Length];   // SET_MESSAGE_INTERVAL (NaN: none, <0: disabled)
    private readonly double[] _arduStreamHz = new double[13];
    private uint _pingSeq;

    /// <summary>Messages (by id) the virtual autopilot can stream for this persona.</summary>
    public IReadOnlyList<uint> StreamableMessageIds
    {
        get
        {
            var l = new List<uint>();
            foreach (var d in TmDefs) if (_opt.Persona == VapPersona.Px4 ? d.Px4Hz > 0 || d.MsgId == HomePositionMessage.MavlinkMessageId : d.ArduStream != StreamNone || d.MsgId is HeartbeatMessage.MavlinkMessageId) l.Add(d.MsgId);
            return l;
        }
    }

    /// <summary>Current streaming interval of a message [s] (0 when off).</summary>
    public double MessageIntervalS(uint messageId)
    {
        int i = TmIndex(messageId);
        return i < 0 ? 0 : Math.Max(0, _tmIntervalS[i]);
    }

    private static int TmIndex(uint msgId)
    {
        for (int i = 0; i < TmDefs.Length; i++) if (TmDefs[i].MsgId == msgId) return i;
        return -1;
    }

    private void InitTelemetry()
    {
        Array.Fill(_tmOverrideS, double.NaN);
        // ArduCopter's link streamed every group at 4 Hz at connect (capture; MAVProxy-set SRx rates persist).
        for (int s = 0; s < _arduStreamHz.Length; s++) _arduStreamHz[s] = 4;
        RecomputeIntervals();
        for (int i = 0; i < TmDefs.Length; i++) _tmNextS[i] = 0;
    }

    private void RecomputeIntervals()
    {
        for (int i = 0; i < TmDefs.Length; i++)
        {
            var d = TmDefs[i];
            double interval;
            if (!double.IsNaN(_tmOverrideS[i])) interval = _tmOverrideS[i];
            else if (_opt.Persona == VapPersona.Px4) interval = d.Px4Hz > 0 ? 1.0 / d.Px4Hz : 0;
            else if (d.MsgId == HeartbeatMessage.MavlinkMessageId) interval = 1.0;
            else if (d.ArduStream != StreamNone && _arduStreamHz[d.ArduStream] > 0) interval = 1.0 / _arduStreamHz[d.ArduStream];
            else interval = 0;
            bool wasOff = !(_tmIntervalS[i] > 0);
            _tmIntervalS[i] = interval;
            if (wasOff && interval > 0) _tmNextS[i] = _timeS + _tickS;
        }
    }

    /// <summary>MAV_CMD_SET_MESSAGE_INTERVAL: p2 interval [us]; -1 disables, 0 restores the default.</summary>
    private byte SetMessageInterval(uint messageId, float intervalUs)
    {
        int i = TmIndex(messageId);
        if (i < 0 || !float.IsFinite(intervalUs)) return (byte)MavResult.Denied;
        if (intervalUs == 0) _tmOverrideS[i] = double.NaN;
        else if (intervalUs < 0) _tmOverrideS[i] = -1;
        else _tmOverrideS[i] = Math.Max(intervalUs * 1e-6, _tickS);
        RecomputeIntervals();
        return (byte)MavResult.Accepted;
    }

    private void ArduRequestDataStream(byte streamId, ushort rateHz, bool start)
    {
        double hz = start ? rateHz : 0;
        if (streamId == 0) { for (int s = 1; s < _arduStreamHz.Length; s++) _arduStreamHz[s] = hz; }
        else if (streamId < _arduStreamHz.Length) _arduStreamHz[streamId] = hz;
        RecomputeIntervals();
    }

    private void RunTelemetry()
    {
        for (int i = 0; i < TmDefs.Length; i++)
        {
            double iv = _tmIntervalS[i];
            if (!(iv > 0) || _timeS + 1e-9 < _tmNextS[i]) continue;
            _tmNextS[i] += iv;
            if (_tmNextS[i] < _timeS) _tmNextS[i] = _timeS + iv;
            SendMessage(TmDefs[i].MsgId);
        }
    }

    /// <summary>MAV_CMD_REQUEST_MESSAGE: sends one instance; false when the message is not produced.</summary>
    private bool TrySendOnce(uint msgId) => TmIndex(msgId) >= 0 && SendMessage(msgId);

    private bool SendMessage(uint msgId)
    {
        var s = _vehicle.State;
        var e = s.Attitude.ToEuler();
        uint tb = TimeBootMs;
        bool px4 = _opt.Persona == VapPersona.Px4;
        switch (msgId)
        {
            case HeartbeatMessage.MavlinkMessageId:
                Emit(new HeartbeatMessage
                {
                    CustomMode = CustomMode, Type = 2, Autopilot = px4 ? (byte)12 : (byte)3,
                    BaseMode = px4 ? Px4BaseMode : ArduBaseMode, SystemStatus = px4 ? Px4SystemStatus : ArduSystemStatus, MavlinkVersion = 3,
                });
                return true;
            case SysStatusMessage.MavlinkMessageId:
                Emit(new SysStatusMessage
                {
                    OnboardControlSensorsPresent = px4 ? 50348079u : 1399979055u,
                    OnboardControlSensorsEnabled = px4 ? 50413615u : 1398930479u,
                    OnboardControlSensorsHealth = px4 ? 320915519u : 1467087919u,
                    Load = px4 ? (ushort)400 : (ushort)0, VoltageBattery = BatteryMv, CurrentBattery = -1, BatteryRemaining = BatteryPercent,
                    OnboardControlSensorsHealthExtended = px4 ? 1u : 0u,
                });
                return true;
            case ExtendedSysStateMessage.MavlinkMessageId:
                Emit(new ExtendedSysStateMessage { VtolState = 0, LandedState = LandedState });
                return true;
            case AttitudeMessage.MavlinkMessageId:
                Emit(new AttitudeMessage
                {
                    TimeBootMs = tb, Roll = (float)e.RollRad, Pitch = (float)e.PitchRad, Yaw = (float)e.YawRad,
                    Rollspeed = (float)s.RatesBodyRadS.X, Pitchspeed = (float)s.RatesBodyRadS.Y, Yawspeed = (float)s.RatesBodyRadS.Z,
                });
                return true;
            case AttitudeQuaternionMessage.MavlinkMessageId:
            {
                var m = new AttitudeQuaternionMessage
                {
                    TimeBootMs = tb, Q1 = (float)s.Attitude.W, Q2 = (float)s.Attitude.X, Q3 = (float)s.Attitude.Y, Q4 = (float)s.Attitude.Z,
                    Rollspeed = (float)s.RatesBodyRadS.X, Pitchspeed = (float)s.RatesBodyRadS.Y, Yawspeed = (float)s.RatesBodyRadS.Z,
                };
                Emit(m);
                return true;
            }
            case HighresImuMessage.MavlinkMessageId:
            {
                var f = s.Attitude.RotateInverse(s.AccNed - new Vector3d(0, 0, Wgs84.GravityMs2));
                var mag = s.Attitude.RotateInverse(EarthMagNed);
                double alt = AltAmslM(s);
                Emit(new HighresImuMessage
                {
                    TimeUsec = TimeBootUs, Xacc = (float)f.X, Yacc = (float)f.Y, Zacc = (float)f.Z,
                    Xgyro = (float)s.RatesBodyRadS.X, Ygyro = (float)s.RatesBodyRadS.Y, Zgyro = (float)s.RatesBodyRadS.Z,
                    Xmag = (float)mag.X, Ymag = (float)mag.Y, Zmag = (float)mag.Z,
                    AbsPressure = (float)PressurePa(alt), PressureAlt = (float)alt, Temperature = 15, FieldsUpdated = 63,
                });
                return true;
            }
            case GlobalPositionIntMessage.MavlinkMessageId:
            {
                var g = Wgs84.NedToGeodetic(s.PosNed, _home);
                Emit(new GlobalPositionIntMessage
                {
                    TimeBootMs = tb, Lat = (int)Math.Round(g.LatDeg * 1e7), Lon = (int)Math.Round(g.LonDeg * 1e7),
                    Alt = (int)Math.Round(g.AltM * 1000), RelativeAlt = (int)Math.Round(-s.PosNed.Z * 1000),
                    Vx = ClampS16(s.VelNed.X * 100), Vy = ClampS16(s.VelNed.Y * 100), Vz = ClampS16(s.VelNed.Z * 100),
                    Hdg = HeadingCdeg,
                });
                return true;
            }
            case OdometryMessage.MavlinkMessageId:
            {
                var m = new OdometryMessage
                {
                    TimeUsec = TimeBootUs, X = (float)s.PosNed.X, Y = (float)s.PosNed.Y, Z = (float)s.PosNed.Z,
                    Vx = (float)s.VelNed.X, Vy = (float)s.VelNed.Y, Vz = (float)s.VelNed.Z,
                    Rollspeed = (float)s.RatesBodyRadS.X, Pitchspeed = (float)s.RatesBodyRadS.Y, Yawspeed = (float)s.RatesBodyRadS.Z,
                    FrameId = 1, ChildFrameId = 1, EstimatorType = 8, // capture: MAV_FRAME_LOCAL_NED, velocity in NED, EKF2
                };
                m.Q[0] = (float)s.Attitude.W; m.Q[1] = (float)s.Attitude.X; m.Q[2] = (float)s.Attitude.Y; m.Q[3] = (float)s.Attitude.Z;
                for (int k = 0; k < 21; k++) { m.PoseCovariance[k] = float.NaN; m.VelocityCovariance[k] = float.NaN; }
                // Diagonal of the upper-right triangle (indices 0, 6, 11, 15, 18, 20); the rest NaN as PX4 sends it.
                m.PoseCovariance[0] = 0.04f; m.PoseCovariance[6] = 0.04f; m.PoseCovariance[11] = 0.09f;
                m.PoseCovariance[15] = 0.0004f; m.PoseCovariance[18] = 0.0004f; m.PoseCovariance[20] = 0.03f;
                m.VelocityCovariance[0] = 0.02f; m.VelocityCovariance[6] = 0.02f; m.VelocityCovariance[11] = 0.017f;
                Emit(m);
                return true;
            }
            case LocalPositionNedMessage.MavlinkMessageId:
                Emit(new LocalPositionNedMessage
                {
                    TimeBootMs = tb, X = (float)s.PosNed.X, Y = (float)s.PosNed.Y, Z = (float)s.PosNed.Z,
                    Vx = (float)s.VelNed.X, Vy = (float)s.VelNed.Y, Vz = (float)s.VelNed.Z,
                });
                return true;
            case TimesyncMessage.MavlinkMessageId:
                // PX4 sends its own TIMESYNC requests (tc1 = 0, ts1 = boot time in ns) at 10 Hz (capture).
                Emit(new TimesyncMessage { Tc1 = 0, Ts1 = (long)TimeBootUs * 1000 });
                return true;
            case AltitudeMessage.MavlinkMessageId:
            {
                double amsl = AltAmslM(s);
                Emit(new AltitudeMessage
                {
                    TimeUsec = TimeBootUs, AltitudeMonotonic = (float)amsl, AltitudeAmsl = (float)amsl, AltitudeLocal = (float)-s.PosNed.Z,
                    AltitudeRelative = (float)-s.PosNed.Z, AltitudeTerrain = float.NaN, BottomClearance = (float)-s.PosNed.Z,
                });
                return true;
            }
            case DistanceSensorMessage.MavlinkMessageId:
                Emit(new DistanceSensorMessage
                {
                    TimeBootMs = tb, MinDistance = 0, MaxDistance = 10000, CurrentDistance = (ushort)Math.Clamp(-s.PosNed.Z * 100, 0, 10000),
                    Orientation = 25, // MAV_SENSOR_ROTATION_PITCH_270 (down), capture
                });
                return true;
            case ServoOutputRawMessage.MavlinkMessageId:
            {
                ushort pwm = (ushort)(_armed ? 1000 + Math.Clamp(s.ThrustNorm, 0, 1) * 1000 : (px4 ? 900 : 1000));
                var m = new ServoOutputRawMessage { TimeUsec = (uint)TimeBootUs, Servo1Raw = pwm, Servo2Raw = pwm, Servo3Raw = pwm, Servo4Raw = pwm };
                if (px4) { m.Servo5Raw = m.Servo6Raw = m.Servo7Raw = m.Servo8Raw = 900; m.Servo9Raw = m.Servo10Raw = m.Servo11Raw = m.Servo12Raw = m.Servo13Raw = m.Servo14Raw = m.Servo15Raw = m.Servo16Raw = 900; }
                Emit(m);
                return true;
            }
            case VfrHudMessage.MavlinkMessageId:
                Emit(new VfrHudMessage
                {
                    Airspeed = (float)s.VelNed.Length, Groundspeed = (float)s.VelNed.HorizontalLength, Alt = (float)AltAmslM(s),
                    Climb = (float)-s.VelNed.Z, Heading = (short)(HeadingCdeg / 100), Throttle = (ushort)Math.Round(Math.Clamp(_armed ? s.ThrustNorm : 0, 0, 1) * 100),
                });
                return true;
            case AttitudeTargetMessage.MavlinkMessageId:
            {
                var f = _lastCtrl.ThrustSpecificNed;
                var zb = (-f).NormalizedOr(new Vector3d(0, 0, 1));
                var q = VapVehicle.AttitudeFrom(zb, double.IsFinite(_lastCtrl.YawSpRad) ? _lastCtrl.YawSpRad : _vehicle.YawRad);
                var m = new AttitudeTargetMessage
                {
                    TimeBootMs = tb, BodyRollRate = 0, BodyPitchRate = 0, BodyYawRate = (float)_lastCtrl.YawRateRadS,
                    Thrust = (float)(_armed ? Math.Clamp(f.Length / _vehicle.MaxSpecificThrustMs2, 0, 1) : 0.001),
                };
                m.Q[0] = (float)q.W; m.Q[1] = (float)q.X; m.Q[2] = (float)q.Y; m.Q[3] = (float)q.Z;
                Emit(m);
                return true;
            }
            case PositionTargetLocalNedMessage.MavlinkMessageId:
                return px4 ? SendPx4PositionTarget(tb) : SendArduPositionTarget(tb);
            case PositionTargetGlobalIntMessage.MavlinkMessageId:
                return SendPositionTargetGlobal(tb);
            case GpsRawIntMessage.MavlinkMessageId:
            {
                var g = Wgs84.NedToGeodetic(s.PosNed, _home);
                double cog = Angles.ToDeg(Angles.Wrap2Pi(Math.Atan2(s.VelNed.Y, s.VelNed.X)));
                Emit(new GpsRawIntMessage
                {
                    TimeUsec = TimeBootUs, Lat = (int)Math.Round(g.LatDeg * 1e7), Lon = (int)Math.Round(g.LonDeg * 1e7), Alt = (int)Math.Round(g.AltM * 1000),
                    Eph = px4 ? (ushort)70 : (ushort)121, Epv = px4 ? (ushort)110 : (ushort)200, Vel = (ushort)Math.Min(s.VelNed.HorizontalLength * 100, 65534),
                    Cog = (ushort)Math.Round(cog * 100 % 36000), FixType = px4 ? (byte)3 : (byte)6, SatellitesVisible = 10,
                    AltEllipsoid = (int)Math.Round(g.AltM * 1000), HAcc = px4 ? 900u : 300u, VAcc = px4 ? 1780u : 300u, VelAcc = px4 ? 400u : 0u,
                });
                return true;
            }
            case SystemTimeMessage.MavlinkMessageId:
                Emit(new SystemTimeMessage { TimeUnixUsec = (ulong)(UnixEpochAtStart + _timeS * 1e6), TimeBootMs = tb });
                return true;
            case PingMessage.MavlinkMessageId:
                Emit(new PingMessage { TimeUsec = TimeBootUs, Seq = _pingSeq++ });
                return true;
            case EstimatorStatusMessage.MavlinkMessageId:
                Emit(new EstimatorStatusMessage { TimeUsec = TimeBootUs, VelRatio = 0.02f, PosHorizRatio = 0.03f, PosVertRatio = 0.01f, MagRatio = 0.1f, TasRatio = float.NaN, PosHorizAccuracy = 0.3f, PosVertAccuracy = 0.3f, Flags = 1023 });
                return true;
            case ScaledPressureMessage.MavlinkMessageId:
                Emit(new ScaledPressureMessage { TimeBootMs = tb, PressAbs = (float)(PressurePa(AltAmslM(s)) / 100), Temperature = 1500 });
                return true;
            case ScaledPressure2Message.MavlinkMessageId:
                Emit(new ScaledPressure2Message { TimeBootMs = tb, PressAbs = (float)(PressurePa(AltAmslM(s)) / 100), Temperature = 1500 });
                return true;
            case MissionCurrentMessage.MavlinkMessageId:
                Emit(new MissionCurrentMessage { Seq = 0, Total = px4 ? (ushort)65535 : (ushort)0, MissionState = px4 ? (byte)0 : (byte)1 });
                return true;
            case BatteryStatusMessage.MavlinkMessageId:
            {
                var m = new BatteryStatusMessage
                {
                    CurrentConsumed = -1, EnergyConsumed = -1, Temperature = short.MaxValue, CurrentBattery = -1, Id = 0,
                    BatteryFunction = 1, Type = 1, BatteryRemaining = BatteryPercent, ChargeState = 1,
                };
                for (int k = 0; k < 10; k++) m.Voltages[k] = ushort.MaxValue;
                m.Voltages[0] = BatteryMv;
                Emit(m);
                return true;
            }
            case HomePositionMessage.MavlinkMessageId:
                SendHomePosition();
                return true;
            case VibrationMessage.MavlinkMessageId:
                Emit(new VibrationMessage { TimeUsec = TimeBootUs, VibrationX = 0.003f, VibrationY = 0.003f, VibrationZ = 0.003f });
                return true;
            case CurrentModeMessage.MavlinkMessageId:
                Emit(new CurrentModeMessage { CustomMode = CustomMode, IntendedCustomMode = IntendedCustomMode, StandardMode = 0 });
                return true;
            case PowerStatusMessage.MavlinkMessageId:
                Emit(new PowerStatusMessage { Vcc = 5000, Vservo = 0, Flags = 0 });
                return true;
            case MeminfoMessage.MavlinkMessageId:
                Emit(new MeminfoMessage { Brkval = 0, Freemem = 65535, Freemem32 = 524288 });
                return true;
            case NavControllerOutputMessage.MavlinkMessageId:
            {
                var a = _lastCtrl.AccSpNed;
                Emit(new NavControllerOutputMessage { NavRoll = (float)Angles.ToDeg(e.RollRad), NavPitch = (float)Angles.ToDeg(e.PitchRad), NavBearing = (short)(HeadingCdeg / 100), AltError = (float)(double.IsFinite(_activeSp.PosNed.Z) ? s.PosNed.Z - _activeSp.PosNed.Z : 0) });
                _ = a;
                return true;
            }
            case RawImuMessage.MavlinkMessageId:
            {
                var f = s.Attitude.RotateInverse(s.AccNed - new Vector3d(0, 0, Wgs84.GravityMs2));
                var mag = s.Attitude.RotateInverse(EarthMagNed) * 1000;
                Emit(new RawImuMessage
                {
                    TimeUsec = TimeBootUs, Xacc = ClampS16(f.X / Wgs84.GravityMs2 * 1000), Yacc = ClampS16(f.Y / Wgs84.GravityMs2 * 1000), Zacc = ClampS16(f.Z / Wgs84.GravityMs2 * 1000),
                    Xgyro = ClampS16(s.RatesBodyRadS.X * 1000), Ygyro = ClampS16(s.RatesBodyRadS.Y * 1000), Zgyro = ClampS16(s.RatesBodyRadS.Z * 1000),
                    Xmag = ClampS16(mag.X), Ymag = ClampS16(mag.Y), Zmag = ClampS16(mag.Z), Temperature = 3230,
                });
                return true;
            }
            case ScaledImu2Message.MavlinkMessageId:
            {
                var f = s.Attitude.RotateInverse(s.AccNed - new Vector3d(0, 0, Wgs84.GravityMs2));
                var mag = s.Attitude.RotateInverse(EarthMagNed) * 1000;
                Emit(new ScaledImu2Message
                {
                    TimeBootMs = tb, Xacc = ClampS16(f.X / Wgs84.GravityMs2 * 1000), Yacc = ClampS16(f.Y / Wgs84.GravityMs2 * 1000), Zacc = ClampS16(f.Z / Wgs84.GravityMs2 * 1000),
                    Xgyro = ClampS16(s.RatesBodyRadS.X * 1000), Ygyro = ClampS16(s.RatesBodyRadS.Y * 1000), Zgyro = ClampS16(s.RatesBodyRadS.Z * 1000),
                    Xmag = ClampS16(mag.X), Ymag = ClampS16(mag.Y), Zmag = ClampS16(mag.Z), Temperature = 3230,
                });
                return true;
            }
            case RcChannelsMessage.MavlinkMessageId:
                // SITL's idle RC: sticks centred, throttle low, channels 5 and 8 high (capture).
                Emit(new RcChannelsMessage { TimeBootMs = tb, Chan1Raw = 1500, Chan2Raw = 1500, Chan3Raw = 1000, Chan4Raw = 1500, Chan5Raw = 1800, Chan6Raw = 1000, Chan7Raw = 1000, Chan8Raw = 1800, Chancount = 8, Rssi = 255 });
                return true;
            case SimstateMessage.MavlinkMessageId:
            {
                var g = Wgs84.NedToGeodetic(s.PosNed, _home);
                var f = s.Attitude.RotateInverse(s.AccNed - new Vector3d(0, 0, Wgs84.GravityMs2));
                Emit(new SimstateMessage
                {
                    Roll = (float)e.RollRad, Pitch = (float)e.PitchRad, Yaw = (float)e.YawRad, Xacc = (float)f.X, Yacc = (float)f.Y, Zacc = (float)f.Z,
                    Xgyro = (float)s.RatesBodyRadS.X, Ygyro = (float)s.RatesBodyRadS.Y, Zgyro = (float)s.RatesBodyRadS.Z,
                    Lat = (int)Math.Round(g.LatDeg * 1e7), Lng = (int)Math.Round(g.LonDeg * 1e7),
                });
                return true;
            }
            case Ahrs2Message.MavlinkMessageId:
            {
                var g = Wgs84.NedToGeodetic(s.PosNed, _home);
                Emit(new Ahrs2Message { Roll = (float)e.RollRad, Pitch = (float)e.PitchRad, Yaw = (float)e.YawRad, Altitude = (float)g.AltM, Lat = (int)Math.Round(g.LatDeg * 1e7), Lng = (int)Math.Round(g.LonDeg * 1e7) });
                return true;
            }
            case AhrsMessage.MavlinkMessageId:
                Emit(new AhrsMessage { ErrorRp = 0.003f, ErrorYaw = 0.002f });
                return true;
            case WindMessage.MavlinkMessageId:
                Emit(new WindMessage { Direction = -180, Speed = 0, SpeedZ = 0 });
                return true;
            case EkfStatusReportMessage.MavlinkMessageId:
                // 0x33f = attitude, velocity, position (rel + abs), constant-position-mode off, pred-pos ok: EKF healthy (capture).
                Emit(new EkfStatusReportMessage { Flags = _timeS >= _opt.ArduEkfReadyAfterS ? (ushort)0x33F : (ushort)0x0A7, VelocityVariance = 0.008f, PosHorizVariance = 0.005f, PosVertVariance = 0.0003f, CompassVariance = 0.008f });
                return true;
            default:
                return false;
        }
    }

    private bool SendPx4PositionTarget(uint tb)
    {
        // PX4 echoes its trajectory setpoint: unused position/velocity components NaN (type_mask bits set), the
        // acceleration fields carry the controller's acceleration setpoint; idle on the ground: afz = 100, mask 63.
        var sp = _activeSp;
        var acc = _lastCtrl.AccSpNed;
        var m = new PositionTargetLocalNedMessage { TimeBootMs = tb, CoordinateFrame = 1 };
        if (!_armed || _behaviour == VapBehaviour.Idle || sp.IsAttitude)
        {
            m.X = m.Y = m.Z = m.Vx = m.Vy = m.Vz = float.NaN;
            m.Afx = 0; m.Afy = 0; m.Afz = 100; m.Yaw = (float)_vehicle.YawRad; m.TypeMask = 63;
            Emit(m);
            return true;
        }
        var vsp = _lastCtrl.VelSpNed;
        m.X = (float)sp.PosNed.X; m.Y = (float)sp.PosNed.Y; m.Z = (float)sp.PosNed.Z;
        m.Vx = (float)vsp.X; m.Vy = (float)vsp.Y; m.Vz = (float)vsp.Z;
        m.Afx = (float)acc.X; m.Afy = (float)acc.Y; m.Afz = (float)acc.Z;
        m.Yaw = (float)_lastCtrl.YawSpRad; m.YawRate = double.IsFinite(sp.YawRateRadS) ? (float)sp.YawRateRadS : 0;
        ushort mask = 0;
        if (float.IsNaN(m.X)) mask |= 1; if (float.IsNaN(m.Y)) mask |= 2; if (float.IsNaN(m.Z)) mask |= 4;
        if (float.IsNaN(m.Vx)) mask |= 8; if (float.IsNaN(m.Vy)) mask |= 16; if (float.IsNaN(m.Vz)) mask |= 32;
        m.TypeMask = mask;
        Emit(m);
        return true;
    }

    private bool SendArduPositionTarget(uint tb)
    {
        // Only in GUIDED, never in the attitude sub-mode; the accepted target in LOCAL_NED, zeros where unused (capture).
        if (_arduMode != ArduGuided || _guidedKind == GuidedKind.Attitude) return false;
        var sp = _extSp;
        static float Z(double v) => double.IsFinite(v) ? (float)v : 0f;
        var m = new PositionTargetLocalNedMessage
        {
            TimeBootMs = tb, CoordinateFrame = 1, TypeMask = ArduEchoMask,
            X = Z(sp.PosNed.X), Y = Z(sp.PosNed.Y), Z = Z(sp.PosNed.Z), Vx = Z(sp.VelNed.X), Vy = Z(sp.VelNed.Y), Vz = Z(sp.VelNed.Z),
            Afx = Z(sp.AccNed.X), Afy = Z(sp.AccNed.Y), Afz = Z(sp.AccNed.Z),
        };
        if (_guidedKind is GuidedKind.Position or GuidedKind.Takeoff) { m.Vx = m.Vy = m.Vz = 0; m.Afx = m.Afy = m.Afz = 0; }
        Emit(m);
        return true;
    }

    private bool SendPositionTargetGlobal(uint tb)
    {
        var s = _vehicle.State;
        if (_opt.Persona == VapPersona.Px4)
        {
            // PX4 publishes it in AUTO modes that fly to a global setpoint (capture: during AUTO.LAND).
            if (!_armed || (byte)(Px4CustomMode >> 16) != Px4MainAuto || _behaviour is VapBehaviour.Idle) return false;
            var g = Wgs84.NedToGeodetic(new Vector3d(_holdPos.X, _holdPos.Y, 0), _home);
            var v = _lastCtrl.VelSpNed; var a = _lastCtrl.AccSpNed;
            Emit(new PositionTargetGlobalIntMessage
            {
                TimeBootMs = tb, LatInt = (int)Math.Round(g.LatDeg * 1e7), LonInt = (int)Math.Round(g.LonDeg * 1e7), Alt = 0,
                Vx = (float)v.X, Vy = (float)v.Y, Vz = (float)v.Z, Afx = (float)a.X, Afy = (float)a.Y, Afz = (float)a.Z,
                Yaw = (float)_vehicle.YawRad, TypeMask = 0, CoordinateFrame = 5,
            });
            return true;
        }
        if (_arduMode != ArduGuided || _guidedKind != GuidedKind.Position) return false;
        var gp = Wgs84.NedToGeodetic(_extSp.PosNed, _home);
        Emit(new PositionTargetGlobalIntMessage
        {
            TimeBootMs = tb, LatInt = (int)Math.Round(gp.LatDeg * 1e7), LonInt = (int)Math.Round(gp.LonDeg * 1e7), Alt = (float)gp.AltM,
            TypeMask = 0xFDF8, CoordinateFrame = 0,
        });
        _ = s;
        return true;
    }

    private void SendHomePosition()
    {
        var hn = _opt.Persona == VapPersona.ArduPilot && _arduHomeSet ? _homeNed : Vector3d.Zero;
        var g = Wgs84.NedToGeodetic(hn, _home);
        var m = new HomePositionMessage
        {
            Latitude = (int)Math.Round(g.LatDeg * 1e7), Longitude = (int)Math.Round(g.LonDeg * 1e7), Altitude = (int)Math.Round(g.AltM * 1000),
            X = (float)hn.X, Y = (float)hn.Y, Z = (float)hn.Z, TimeUsec = TimeBootUs,
        };
        if (_opt.Persona == VapPersona.Px4)
        {
            var q = Quaterniond.FromEuler(0, 0, _opt.InitialYawRad);
            m.Q[0] = (float)q.W; m.Q[1] = (float)q.X; m.Q[2] = (float)q.Y; m.Q[3] = (float)q.Z;
        }
        else { m.Q[0] = m.Q[1] = m.Q[2] = m.Q[3] = float.NaN; }
        Emit(m);
    }

    private void SendGpsGlobalOrigin() => Emit(new GpsGlobalOriginMessage
    {
        Latitude = (int)Math.Round(_home.LatDeg * 1e7), Longitude = (int)Math.Round(_home.LonDeg * 1e7), Altitude = (int)Math.Round(_home.AltM * 1000), TimeUsec = TimeBootUs,
    });

    private static readonly Vector3d EarthMagNed = new(0.21, 0.01, 0.43); // gauss, mid-latitude field
    private double UnixEpochAtStart { get; } = 1_795_300_420_000_000d; // capture day; SYSTEM_TIME stays monotonic with sim time
    private double AltAmslM(in VapVehicleState s) => _home.AltM - s.PosNed.Z;
    private static double PressurePa(double altM) => 101325.0 * Math.Pow(1 - 2.25577e-5 * altM, 5.25588);
    private ushort HeadingCdeg => (ushort)(Math.Round(Angles.ToDeg(Angles.Wrap2Pi(_vehicle.YawRad)) * 100) % 36000);
    private ushort BatteryMv => _opt.Persona == VapPersona.Px4 ? (ushort)16200 : (ushort)12600;
    private sbyte BatteryPercent => 100;
    private static short ClampS16(double v) => double.IsFinite(v) ? (short)Math.Clamp(Math.Round(v), short.MinValue, short.MaxValue) : (short)0;
}
