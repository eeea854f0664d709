using Interceptor.Autopilot;
using Interceptor.Core;

namespace Interceptor.Sim.ClosedLoop;

/// <summary>Settings of a closed-loop run (whole stack over MAVLink against an autopilot).</summary>
public sealed record ClosedLoopOptions
{
    /// <summary>Guidance law name ("default" = the scenario's law).</summary>
    public string Law { get; init; } = "default";
    /// <summary>Rate of the guidance loop, which is also the setpoint rate in external control [Hz].</summary>
    public double GuidanceRateHz { get; init; } = 50;
    /// <summary>Setpoint form; null = the adapter's default for the autopilot.</summary>
    public SetpointForm? Form { get; init; }
    /// <summary>Session settings (the autopilot kind and form are set by the runner). Streams the stack never
    /// reads are switched off (SET_MESSAGE_INTERVAL -1), as on a dedicated companion link.</summary>
    public VehicleSessionOptions Session { get; init; } = new() { DisableUnusedStreams = true };
    /// <summary>Take-off height; null = the scenario interceptor's start altitude, capped at <see cref="MaxTakeoffAltitudeM"/> [m].</summary>
    public double? TakeoffAltitudeM { get; init; }
    public double MaxTakeoffAltitudeM { get; init; } = 120;
    /// <summary>Give up the set-up (connect, arm, take off, enter) after this long on the session clock [s].</summary>
    public double SetupTimeoutS { get; init; } = 120;
    /// <summary>Apply the scenario's dispersions for the seed.</summary>
    public bool ApplyDispersions { get; init; } = true;
    /// <summary>No sensor noise (tests).</summary>
    public bool Noiseless { get; init; }
    /// <summary>Record a trajectory sample every TrajectoryIntervalS (engagement phase).</summary>
    public bool RecordTrajectory { get; init; }
    public double TrajectoryIntervalS { get; init; } = 0.1;
    /// <summary>Track-loss timeout after the first track [s].</summary>
    public double TrackLossTimeoutS { get; init; } = 3.0;
    /// <summary>Optional tlog of every frame both ways (lockstep: stamped with the simulated clock).</summary>
    public string? TlogPath { get; init; }
    /// <summary>Fault injection for tests: what happens to the stack during the engagement.</summary>
    public ClosedLoopFault Fault { get; init; } = ClosedLoopFault.None;
    /// <summary>Engagement time at which the fault starts [s].</summary>
    public double FaultAtS { get; init; } = 2.0;
    /// <summary>After a fault, keep simulating this long to observe the autopilot's reaction [s].</summary>
    public double ObserveAfterFaultS { get; init; } = 6.0;

    public ClosedLoopOptions Validate()
    {
        Require.InRange(GuidanceRateHz, 5, 500);
        Require.InRange(MaxTakeoffAltitudeM, 2, 1000);
        if (TakeoffAltitudeM is { } alt) Require.InRange(alt, 1, MaxTakeoffAltitudeM);
        Require.Positive(SetupTimeoutS);
        Require.Positive(TrajectoryIntervalS);
        Require.Positive(TrackLossTimeoutS);
        Require.NonNegative(FaultAtS);
        Require.NonNegative(ObserveAfterFaultS);
        Session.Validate();
        return this;
    }
}

/// <summary>Faults the closed loop can inject during the engagement (end-to-end tests of fail-closed behaviour).</summary>
public enum ClosedLoopFault
{
    None,
    /// <summary>The guidance loop stops producing output (a frozen thread): the session must stop the stream
    /// within one deadline and command hold.</summary>
    GuidanceFreeze,
    /// <summary>A pilot at a ground station switches the mode (PX4 POSCTL, ArduCopter LOITER) with a MAVLink
    /// command from its own system id: the session must stop commanding at once.</summary>
    PilotTakesMode,
    /// <summary>The radio link drops both ways: the autopilot's setpoint-loss failsafe must act and the
    /// session must report link loss.</summary>
    LinkLoss,
}
