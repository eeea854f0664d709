using System.Diagnostics;
using Interceptor.Autopilot;
using Interceptor.Core;
using Interceptor.Mavlink.Tlog;

namespace Interceptor.Sim.ClosedLoop;

/// <summary>The same closed loop as <see cref="ClosedLoopRunner"/> in real time against an external autopilot
/// (PX4 SITL, ArduPilot SITL, or a real vehicle on a serial link): the session runs over
/// <see cref="VehicleLink"/> on the wall clock, the target and the seeker are simulated by us and placed relative
/// to where the vehicle reports itself when guidance takes over. Own position for the seeker and for the miss
/// distance comes from telemetry (there is no other truth). After the closest approach (or any end) the session
/// commands hold, and lands when asked. Every frame both ways goes to the tlog.</summary>
public static class SitlRunner
{
    /// <summary>Default connection per autopilot: PX4's offboard link (bind 14540, reply from it) and ArduPilot
    /// SITL's TCP console port.</summary>
    public static string DefaultUrl(AutopilotKind kind) => kind == AutopilotKind.Px4 ? "udp://:14540" : "tcp://127.0.0.1:5760";

    public static async Task<ClosedLoopResult> RunAsync(ScenarioSpec spec, AutopilotKind kind, string url, ulong seed,
        ClosedLoopOptions? options = null, bool landAfter = false, TextWriter? log = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(spec);
        spec.Validate();
        var o = (options ?? new ClosedLoopOptions()).Validate();
        if (o.Fault != ClosedLoopFault.None) throw new ValidationException($"Fault = {o.Fault}: fault injection exists only in lockstep runs");
        var wall = Stopwatch.StartNew();
        using var tlog = o.TlogPath is { } path ? TlogWriter.Create(path) : null;
        // Configured for the scenario's airframe exactly as the lockstep loop is (the real autopilot must carry the
        // matching parameters: src/Interceptor.Autopilot/README.md).
        var sessionOptions = ClosedLoopRunner.SessionOptionsFor(o, kind, MultirotorPresets.Resolve(spec.Interceptor));
        await using var link = await VehicleLink.OpenAsync(url, sessionOptions, TimeProvider.System, tlog, ct: ct).ConfigureAwait(false);
        var session = link.Session;
        session.EventRaised += e => log?.WriteLine(e.ToString());
        log?.WriteLine($"connecting to {kind} at {url} ...");

        double altitude = o.TakeoffAltitudeM ?? Math.Clamp(-spec.Interceptor.StartPosNedM.Z, 2, o.MaxTakeoffAltitudeM);
        var r = await session.WaitReadyAsync(o.SetupTimeoutS, ct).ConfigureAwait(false);
        // A cold ArduPilot SITL refuses arming until about 23 s and take-off until its EKF uses GPS (about 41 s,
        // ACK FAILED until then): retry every 2 s within the set-up time.
        if (r.Success) r = await RetryAsync(() => session.ArmAsync(ct), session, o.SetupTimeoutS, log, ct).ConfigureAwait(false);
        if (r.Success) r = await RetryAsync(() => session.TakeoffAsync(altitude, ct), session, o.SetupTimeoutS, log, ct).ConfigureAwait(false);
        EngagementCore? core = null;
        if (r.Success && session.TryGetOwnState(out var own0))
        {
            core = new EngagementCore(spec, o.Law, seed, o, own0.At(session.NowS).PosNed, session.NowS);
            r = await session.EnterExternalControlAsync(ct).ConfigureAwait(false);
        }
        string? setupError = r.Success ? null : r.Message;
        var outcome = EngagementOutcome.Aborted;
        double lastSetpointS = double.NaN;
        if (core is not null && r.Success)
        {
            log?.WriteLine("guidance has the vehicle");
            (outcome, lastSetpointS) = await EngageAsync(session, core, spec, o, ct).ConfigureAwait(false);
            log?.WriteLine($"engagement ended: {outcome}, miss {core.MinRangeM:F2} m");
        }
        // Leave the vehicle in a safe mode whatever happened (unless a pilot or failsafe has it).
        if (session.Phase is SessionPhase.ExternalControl or SessionPhase.SessionControl or SessionPhase.GuidanceStalled)
        {
            var hold = await session.HoldAsync(ct).ConfigureAwait(false);
            log?.WriteLine($"hold: {hold}");
            if (landAfter && hold.Success) log?.WriteLine($"land: {await session.LandAsync(ct).ConfigureAwait(false)}");
        }
        wall.Stop();
        session.TryGetOwnState(out var ownEnd);
        tlog?.Flush();
        return ClosedLoopRunner.ResultOf(spec, o, seed, kind, session, core, outcome, setupError, lastSetpointS, ownEnd.VelNed, wall.Elapsed) with
        {
            FramesToAutopilot = link.Link.FramesSent,
            FramesFromAutopilot = link.Link.FramesReceived,
        };
    }

    private static async Task<OperationResult> RetryAsync(Func<Task<OperationResult>> operation, VehicleSession session,
        double untilS, TextWriter? log, CancellationToken ct)
    {
        while (true)
        {
            var r = await operation().ConfigureAwait(false);
            if (r.Success || session.NowS + 2 > untilS || session.Phase is SessionPhase.LinkLost or SessionPhase.ControlLost) return r;
            log?.WriteLine($"{r}; retrying in 2 s");
            await Task.Delay(TimeSpan.FromSeconds(2), ct).ConfigureAwait(false);
        }
    }

    private static async Task<(EngagementOutcome, double)> EngageAsync(VehicleSession session, EngagementCore core, ScenarioSpec spec,
        ClosedLoopOptions o, CancellationToken ct)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1.0 / o.GuidanceRateHz));
        session.TryGetOwnState(out var prev);
        double tPrev = session.NowS, lastSetpointS = double.NaN;
        while (await timer.WaitForNextTickAsync(ct).ConfigureAwait(false))
        {
            double t = session.NowS;
            if (!session.TryGetOwnState(out var own)) continue;
            var nowOwn = own.At(t);
            // No truth outside telemetry: the camera sits where the autopilot says the vehicle is.
            core.Sense(tPrev, t, prev.At(tPrev).PosNed, nowOwn.PosNed, own.Attitude, own);
            var cmd = core.Guide(t, own);
            if (session.SubmitGuidance(cmd)) lastSetpointS = t;
            core.Track(tPrev, t, prev.At(tPrev).PosNed, nowOwn.PosNed, nowOwn.VelNed, Vector3d.Zero);
            prev = own;
            tPrev = t;
            double e = t - core.StartS;
            if (core.PastClosestApproach(t, nowOwn.PosNed, nowOwn.VelNed)) return (EngagementOutcome.ClosestApproach, lastSetpointS);
            if (core.TargetAt(t).PosNedM.Down > session.Status.HomeLocalNed.Z) return (EngagementOutcome.TargetReachedGround, lastSetpointS);
            if (core.Aborted || session.Phase != SessionPhase.ExternalControl) return (EngagementOutcome.Aborted, lastSetpointS);
            if (core.TrackLost(t)) return (EngagementOutcome.TargetLost, lastSetpointS);
            if (e >= spec.Sim.MaxTimeS) return (EngagementOutcome.Timeout, lastSetpointS);
        }
        return (EngagementOutcome.Aborted, lastSetpointS);
    }
}
