using System.Globalization;
using System.Text;
using Interceptor.Autopilot;
using Interceptor.Core;

namespace Interceptor.Sim.ClosedLoop;

/// <summary>What a closed-loop run produced: the engagement result (miss distance etc., same record as the
/// simulator's) plus what happened on the autopilot side.</summary>
public sealed record ClosedLoopResult
{
    public required EngagementResult Engagement { get; init; }
    public required AutopilotKind Autopilot { get; init; }
    public required SetpointForm Form { get; init; }
    /// <summary>True when connect, arm, take-off and entry into external control all succeeded.</summary>
    public required bool SetupOk { get; init; }
    /// <summary>Why the set-up failed (null when it did not).</summary>
    public string? SetupError { get; init; }
    /// <summary>Session clock time at which guidance took over [s].</summary>
    public double EngagementStartS { get; init; }
    /// <summary>Session phase at the end.</summary>
    public SessionPhase FinalPhase { get; init; }
    public IReadOnlyList<SessionEvent> Events { get; init; } = [];
    /// <summary>Autopilot mode name and armed flag at the end (from the autopilot's HEARTBEAT).</summary>
    public string FinalMode { get; init; } = "";
    public bool FinalArmed { get; init; }
    /// <summary>True vehicle velocity at the end (lockstep runs; telemetry for SITL) [m/s].</summary>
    public Vector3d FinalVelNed { get; init; }
    /// <summary>Fault injected and when (engagement time) [s]; NaN when none.</summary>
    public ClosedLoopFault Fault { get; init; }
    public double FaultAtS { get; init; } = double.NaN;
    /// <summary>Engagement time of the last setpoint frame that left the stack [s].</summary>
    public double LastSetpointS { get; init; } = double.NaN;
    public long SetpointsSent { get; init; }
    public long GuidanceRejected { get; init; }
    public long FramesToAutopilot { get; init; }
    public long FramesFromAutopilot { get; init; }
    /// <summary>Simulated seconds (whole run, set-up included) and the wall time it took.</summary>
    public double SimulatedS { get; init; }
    public double WallS { get; init; }
    public double SpeedUp => WallS > 0 ? SimulatedS / WallS : double.PositiveInfinity;
    /// <summary>Virtual autopilot's own view at the end (lockstep only), e.g. "Hold", "FailsafeSink".</summary>
    public string AutopilotBehaviour { get; init; } = "";
    /// <summary>Virtual autopilot's actual mode at the end (lockstep only; the session may not see it after link loss).</summary>
    public string AutopilotModeTruth { get; init; } = "";
    /// <summary>Virtual autopilot's failsafe flag at the end (lockstep only).</summary>
    public bool AutopilotFailsafe { get; init; }
    /// <summary>Setpoints the virtual autopilot refused (frame, mask or target it does not accept).</summary>
    public long AutopilotRejectedSetpoints { get; init; }
    public string? TlogPath { get; init; }

    /// <summary>A plain-text report of the run.</summary>
    public string ToReport()
    {
        var ci = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        var e = Engagement;
        sb.AppendLine(ci, $"scenario {e.Scenario}, law {e.Law}, seed {e.Seed}, autopilot {Autopilot}, setpoint form {Form}");
        sb.AppendLine(SetupOk ? "set-up: ok" : $"set-up: FAILED: {SetupError}");
        sb.AppendLine(ci, $"outcome {e.Outcome}, miss {e.MissDistanceM:F2} m at t = {e.TimeOfClosestApproachS:F2} s, closing {e.ClosingSpeedMs:F1} m/s, peak accel {e.PeakAccelMs2:F1} m/s^2");
        sb.AppendLine(ci, $"seeker {e.SeekerDetections}/{e.SeekerFrames} detections, gate interventions {e.GateInterventions}");
        sb.AppendLine(ci, $"final: phase {FinalPhase}, autopilot mode {FinalMode}, {(FinalArmed ? "armed" : "disarmed")}, speed {FinalVelNed.Length:F2} m/s{(AutopilotBehaviour.Length > 0 ? $", virtual autopilot {AutopilotModeTruth} / {AutopilotBehaviour}{(AutopilotFailsafe ? " (failsafe)" : "")}" : "")}");
        if (Fault != ClosedLoopFault.None) sb.AppendLine(ci, $"fault {Fault} at {FaultAtS:F2} s; last setpoint at {LastSetpointS:F3} s");
        sb.AppendLine(ci, $"setpoints sent {SetpointsSent}, guidance refused {GuidanceRejected}, frames to/from autopilot {FramesToAutopilot}/{FramesFromAutopilot}, refused by the virtual autopilot {AutopilotRejectedSetpoints}");
        sb.AppendLine(ci, $"simulated {SimulatedS:F1} s in {WallS:F3} s wall ({SpeedUp:F0}x)");
        if (TlogPath is not null) sb.AppendLine($"tlog: {TlogPath}");
        sb.AppendLine("events:");
        foreach (var ev in Events) sb.AppendLine("  " + ev);
        return sb.ToString();
    }
}
