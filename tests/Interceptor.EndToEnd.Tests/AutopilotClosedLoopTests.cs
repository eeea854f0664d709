using Interceptor.Autopilot;
using Interceptor.Core;
using Interceptor.Mavlink;
using Interceptor.Mavlink.Messages;
using Interceptor.Mavlink.Tlog;
using Interceptor.Sim;
using Interceptor.Sim.ClosedLoop;
using Interceptor.Testing;
using Xunit.Abstractions;

namespace Interceptor.EndToEnd.Tests;

/// <summary>The whole stack (our target, seeker and cue models, estimation, guidance, the vehicle session and
/// MAVLink over loopback UDP) against the built-in virtual autopilot, both personas, in lockstep.</summary>
public sealed class AutopilotClosedLoopTests(ITestOutputHelper output)
{
    /// <summary>An x500-class quad at 20 m against a small quad flying a straight line at 5 m/s across its front,
    /// 100 m north and 5 m above. Seeker and cue as in the standard suite's crossing scenario.</summary>
    internal static ScenarioSpec StraightTarget() => new()
    {
        Name = "e2e-straight-crossing",
        Interceptor = new InterceptorSpec { Preset = MultirotorPresets.X500, StartPosNedM = new Vector3d(0, 0, -20), StartYawDeg = 0 },
        Target = new TargetSpec
        {
            Kind = TargetSpec.ConstantVelocity, StartPosNedM = new Vector3d(100, -40, -25), SpeedMs = 5, HeadingDeg = 90,
        },
        Seeker = new SeekerSpec
        {
            NoiseMrad = 1, FrameRateHz = 30, LatencyS = 0.05, HorizontalFovDeg = 60, VerticalFovDeg = 48, MountPitchDeg = 20,
            MaxDetectionProbability = 0.98, DetectionRange50M = 400, DetectionRangeWidthM = 50,
        },
        Cue = new CueSpec { PositionNoiseM = 3, RateHz = 2, LatencyS = 0.3 },
        Guidance = new GuidanceSpec { GuidanceRateHz = 50 },
        Safety = new SafetySpec { AltitudeFloorM = 5, GeofenceRadiusM = 2000 },
        Sim = new SimSpec { DtS = 0.0025, MaxTimeS = 60 },
    };

    private static ClosedLoopOptions Options(ClosedLoopFault fault = ClosedLoopFault.None) => new()
    {
        Fault = fault,
        FaultAtS = 3.0,
        ObserveAfterFaultS = 6.0,
        SetupTimeoutS = 90,
    };

    private ClosedLoopResult Run(AutopilotKind kind, ClosedLoopOptions options, ulong seed = 1)
    {
        var r = ClosedLoopRunner.Run(StraightTarget(), kind, seed, options);
        output.WriteLine(r.ToReport());
        return r;
    }

    private static double EventTime(ClosedLoopResult r, SessionEventKind kind) =>
        r.Events.First(e => e.Kind == kind).TimeS - r.EngagementStartS;

    [Theory]
    [InlineData(AutopilotKind.Px4, SetpointForm.VelocityAcceleration)]
    [InlineData(AutopilotKind.Px4, SetpointForm.AttitudeThrust)]
    [InlineData(AutopilotKind.ArduPilot, SetpointForm.VelocityAcceleration)]
    [InlineData(AutopilotKind.ArduPilot, SetpointForm.AttitudeThrust)]
    public void Connects_arms_takes_off_enters_external_control_and_intercepts_a_straight_target(AutopilotKind kind, SetpointForm form)
    {
        var r = Run(kind, Options() with { Form = form });
        Assert.Equal(form, r.Form);
        Assert.True(r.SetupOk, r.SetupError);
        var kinds = r.Events.Select(e => e.Kind).ToList();
        Assert.Contains(SessionEventKind.Ready, kinds);
        Assert.Contains(SessionEventKind.Armed, kinds);
        Assert.Contains(SessionEventKind.TakeoffComplete, kinds);
        Assert.Contains(SessionEventKind.ExternalControlEntered, kinds);
        Assert.True(kinds.IndexOf(SessionEventKind.Armed) < kinds.IndexOf(SessionEventKind.TakeoffComplete));
        Assert.DoesNotContain(SessionEventKind.ControlLost, kinds);
        Assert.DoesNotContain(SessionEventKind.GuidanceStalled, kinds);
        Assert.Equal(EngagementOutcome.ClosestApproach, r.Engagement.Outcome);
        Assert.True(r.Engagement.MissDistanceM < 1.5, $"miss {r.Engagement.MissDistanceM:F2} m");
        Assert.Equal(kind == AutopilotKind.Px4 ? "OFFBOARD" : "GUIDED", r.FinalMode);
    }

    /// <summary>The standard suite's fast interceptor (80 m/s, T/W 4, 70 deg) against a straight Shahed 150 m above it,
    /// through each persona with the form the runner chooses for a fast airframe (PX4: attitude + thrust; ArduCopter:
    /// velocity + acceleration, fail closed) and the airframe's limits in the autopilot: a kill as in the pure simulator.</summary>
    [Theory]
    [InlineData(AutopilotKind.Px4, 1UL)]
    [InlineData(AutopilotKind.Px4, 2UL)]
    [InlineData(AutopilotKind.ArduPilot, 1UL)]
    [InlineData(AutopilotKind.ArduPilot, 2UL)]
    public void A_fast_interceptor_kills_a_straight_shahed_through_the_autopilot(AutopilotKind kind, ulong seed)
    {
        var spec = Interceptor.Sim.Scenarios.ScenarioLoader.Load(RepoPaths.RepoFile("sim", "suites", "standard", "shahed-straight.yaml")).Spec;
        var r = ClosedLoopRunner.Run(spec, kind, seed, new ClosedLoopOptions());
        output.WriteLine(r.ToReport());
        Assert.True(r.SetupOk, r.SetupError);
        Assert.Equal(kind == AutopilotKind.Px4 ? SetpointForm.AttitudeThrust : SetpointForm.VelocityAcceleration, r.Form);
        Assert.Equal(EngagementOutcome.ClosestApproach, r.Engagement.Outcome);
        Assert.True(r.Engagement.MissDistanceM < 1.0, $"miss {r.Engagement.MissDistanceM:F2} m");
    }

    [Theory]
    [InlineData(AutopilotKind.Px4, "AUTO.LOITER")]
    [InlineData(AutopilotKind.ArduPilot, "LOITER")]
    public void Frozen_guidance_stops_the_stream_within_one_deadline_and_the_vehicle_holds(AutopilotKind kind, string holdMode)
    {
        var options = Options(ClosedLoopFault.GuidanceFreeze);
        var r = Run(kind, options);
        Assert.True(r.SetupOk, r.SetupError);
        double deadline = options.Session.GuidanceDeadlineS;
        // No setpoint after the freeze: the last one left with the last guidance output before it.
        Assert.True(r.LastSetpointS <= r.FaultAtS, $"last setpoint {r.LastSetpointS:F3} s, freeze at {r.FaultAtS:F3} s");
        double stalled = EventTime(r, SessionEventKind.GuidanceStalled);
        Assert.InRange(stalled, r.FaultAtS, r.FaultAtS + deadline + 0.005);
        Assert.Equal(SessionPhase.GuidanceStalled, r.FinalPhase);
        Assert.Equal(holdMode, r.FinalMode);
        Assert.Equal(holdMode, r.AutopilotModeTruth);
        Assert.True(r.FinalArmed);
        Assert.True(r.FinalVelNed.Length < 0.5, $"still moving at {r.FinalVelNed.Length:F2} m/s");
    }

    [Theory]
    [InlineData(AutopilotKind.Px4, "POSCTL")]
    [InlineData(AutopilotKind.ArduPilot, "LOITER")]
    public void When_the_pilot_takes_the_mode_the_session_stops_commanding_at_once(AutopilotKind kind, string pilotMode)
    {
        var r = Run(kind, Options(ClosedLoopFault.PilotTakesMode));
        Assert.True(r.SetupOk, r.SetupError);
        double lost = EventTime(r, SessionEventKind.ControlLost);
        Assert.True(lost >= r.FaultAtS);
        Assert.Contains(pilotMode, r.Events.First(e => e.Kind == SessionEventKind.ControlLost).Message);
        // Not one setpoint after the session saw the HEARTBEAT with the pilot's mode.
        Assert.True(r.LastSetpointS <= lost, $"last setpoint {r.LastSetpointS:F3} s, control lost {lost:F3} s");
        Assert.Equal(SessionPhase.ControlLost, r.FinalPhase);
        Assert.Equal(pilotMode, r.FinalMode);
        Assert.Equal(pilotMode, r.AutopilotModeTruth);
        Assert.True(r.FinalArmed);
    }

    [Theory]
    [InlineData(AutopilotKind.Px4)]
    [InlineData(AutopilotKind.ArduPilot)]
    public void Link_loss_is_reported_and_the_autopilot_failsafe_takes_over(AutopilotKind kind)
    {
        var options = Options(ClosedLoopFault.LinkLoss);
        var r = Run(kind, options);
        Assert.True(r.SetupOk, r.SetupError);
        // The last HEARTBEAT arrived up to one period (1 s) before the cut; the timeout runs from it.
        double lost = EventTime(r, SessionEventKind.LinkLost);
        double timeout = options.Session.LinkTimeoutS;
        Assert.InRange(lost, r.FaultAtS + timeout - 1.0, r.FaultAtS + timeout + 0.01);
        Assert.Equal(SessionPhase.LinkLost, r.FinalPhase);
        Assert.True(r.LastSetpointS <= r.FaultAtS);
        if (kind == AutopilotKind.Px4)
        {
            // COM_OF_LOSS_T (1 s) without setpoints: "Failsafe activated", OFFBOARD -> POSCTL, as captured.
            Assert.True(r.AutopilotFailsafe, $"virtual autopilot {r.AutopilotModeTruth} / {r.AutopilotBehaviour}");
            Assert.Equal("POSCTL", r.AutopilotModeTruth);
        }
        else
        {
            // GUID_TIMEOUT (3 s): the velocity/acceleration target lapses and the copter brakes, still in GUIDED.
            Assert.Equal("GUIDED", r.AutopilotModeTruth);
        }
        Assert.True(r.FinalVelNed.HorizontalLength < 1.0, $"still moving at {r.FinalVelNed.HorizontalLength:F2} m/s");
    }

    [Fact]
    public void The_flight_is_logged_to_a_tlog_both_ways_in_time_order()
    {
        string path = Path.Combine(Path.GetTempPath(), $"interceptor-e2e-{Guid.NewGuid():N}.tlog");
        try
        {
            var r = Run(AutopilotKind.Px4, Options() with { TlogPath = path });
            Assert.True(r.SetupOk, r.SetupError);
            var parser = new MavlinkParser();
            int fromUs = 0, setpoints = 0, heartbeatsFromAutopilot = 0, frames = 0;
            long lastUs = long.MinValue;
            using (var reader = CaptureReader.Open(path))
            {
                Assert.Equal(CaptureFormat.Tlog, reader.Format);
                while (reader.TryRead(out var rec))
                {
                    Assert.True(rec.TimestampUs >= lastUs, "tlog timestamps go backwards");
                    lastUs = rec.TimestampUs;
                    foreach (var f in parser.Parse(rec.Bytes.Span))
                    {
                        frames++;
                        if (f.SystemId == 255) fromUs++;
                        if (f.SystemId == 255 && f.MessageId == SetPositionTargetLocalNedMessage.MavlinkMessageId) setpoints++;
                        if (f.SystemId == 1 && f.MessageId == HeartbeatMessage.MavlinkMessageId) heartbeatsFromAutopilot++;
                    }
                }
            }
            Assert.Equal(0, parser.CrcErrors);
            Assert.Equal(r.SetpointsSent, setpoints);
            Assert.InRange(heartbeatsFromAutopilot, (int)r.SimulatedS - 1, (int)r.SimulatedS + 1); // 1 Hz
            Assert.True(fromUs > 0 && frames > fromUs);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
