using Interceptor.Core;
using Interceptor.Mavlink.Messages;

namespace Interceptor.Autopilot;

public sealed partial class VehicleSession
{
    private sealed class PendingCommand
    {
        public CommandSpec Spec;
        public int Sent;
        public double NextRetryS;
        public TaskCompletionSource<OperationResult>? Tcs;
    }

    private sealed class Waiter
    {
        public required Func<double, OperationResult?> Check;
        public double DeadlineS;
        public string TimeoutMessage = "";
        public CancellationToken Cancellation;
        public OperationResult Result;
        // Synchronous continuations: the next step of an operation runs inside Tick/Handle, so lockstep
        // runs are deterministic. Public tasks are detached (see Detach).
        public readonly TaskCompletionSource<OperationResult> Tcs = new();
    }

    // ------------------------------------------------------------------ command protocol

    /// <summary>Sends COMMAND_LONG and tracks its ACK: re-sent (confirmation + 1) after CommandTimeoutS, up to
    /// CommandAttempts. An ACK completes the oldest pending command with that number (the second ACK PX4 sends
    /// for DO_SET_MODE finds nothing pending and is ignored). IN_PROGRESS keeps it waiting.</summary>
    private Task<OperationResult> SendCommand(CommandSpec spec, double now, TaskCompletionSource<OperationResult>? tcs)
    {
        tcs ??= new TaskCompletionSource<OperationResult>();
        var p = new PendingCommand { Spec = spec, Tcs = tcs };
        _commands.Add(p);
        Transmit(p, now);
        return tcs.Task;
    }

    private void Transmit(PendingCommand p, double now)
    {
        var s = p.Spec;
        Send(new CommandLongMessage
        {
            TargetSystem = _targetSystem, TargetComponent = _targetComponent, Command = s.Command,
            Confirmation = (byte)Math.Min(p.Sent, 255),
            Param1 = s.P1, Param2 = s.P2, Param3 = s.P3, Param4 = s.P4, Param5 = s.P5, Param6 = s.P6, Param7 = s.P7,
        });
        p.Sent++;
        p.NextRetryS = now + _o.CommandTimeoutS;
    }

    private void RetryCommands(double now)
    {
        for (int i = 0; i < _commands.Count; i++)
        {
            var p = _commands[i];
            if (now < p.NextRetryS) continue;
            if (p.Sent >= _o.CommandAttempts)
            {
                _commands.RemoveAt(i--);
                string msg = FormattableString.Invariant($"command {p.Spec.Command}: no COMMAND_ACK after {p.Sent} sends");
                if (p.Spec.Command != AutopilotCommands.SetMessageInterval && p.Spec.Command != AutopilotCommands.RequestMessage)
                    Raise(now, SessionEventKind.CommandFailed, msg);
                p.Tcs?.TrySetResult(OperationResult.Fail(msg));
                continue;
            }
            Transmit(p, now);
        }
    }

    private void OnCommandAck(in CommandAckMessage ack, double now)
    {
        for (int i = 0; i < _commands.Count; i++)
        {
            var p = _commands[i];
            if (p.Spec.Command != ack.Command) continue;
            if (ack.Result == CommandResults.InProgress) { p.NextRetryS = now + _o.ConfirmTimeoutS; return; }
            _commands.RemoveAt(i);
            string text = FormattableString.Invariant($"command {ack.Command}: {CommandResults.Name(ack.Result)}");
            if (ack.Result == CommandResults.Accepted) p.Tcs?.TrySetResult(OperationResult.Ok(text));
            else
            {
                if (p.Spec.Command != AutopilotCommands.SetMessageInterval && p.Spec.Command != AutopilotCommands.RequestMessage)
                    Raise(now, SessionEventKind.CommandFailed, text);
                p.Tcs?.TrySetResult(OperationResult.Fail(text));
            }
            return;
        }
    }

    // ------------------------------------------------------------------ waiting

    private Task<OperationResult> WaitFor(Func<double, OperationResult?> check, double timeoutS, string timeoutMessage, CancellationToken ct)
    {
        double now = NowS;
        var w = new Waiter { Check = check, DeadlineS = now + timeoutS, TimeoutMessage = timeoutMessage, Cancellation = ct };
        var immediate = check(now);
        if (immediate is not null) return Task.FromResult(immediate.Value);
        _waiters.Add(w);
        return w.Tcs.Task;
    }

    /// <summary>Hands the caller a task whose continuations run on the thread pool, never inside our lock.</summary>
    private static Task<OperationResult> Detach(Task<OperationResult> inner)
    {
        if (inner.IsCompleted) return inner;
        var tcs = new TaskCompletionSource<OperationResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        inner.ContinueWith(static (t, s) => ((TaskCompletionSource<OperationResult>)s!).TrySetResult(
                t.IsCompletedSuccessfully ? t.Result : OperationResult.Fail(t.Exception?.GetBaseException().Message ?? "cancelled")),
            tcs, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        return tcs.Task;
    }

    private OperationResult? Broken() => _phase switch
    {
        SessionPhase.LinkLost => OperationResult.Fail("link lost"),
        SessionPhase.ControlLost => OperationResult.Fail("control lost"),
        _ => null,
    };

    // ------------------------------------------------------------------ operations

    /// <summary>Completes when the autopilot's HEARTBEAT, a fresh position estimate and (if required) home are known.</summary>
    public Task<OperationResult> WaitReadyAsync(double timeoutS = 60, CancellationToken ct = default)
    {
        lock (_gate)
            return Detach(WaitFor(now => _phase is not (SessionPhase.Connecting or SessionPhase.Connected or SessionPhase.LinkLost) || IsReadyNow(now)
                    ? OperationResult.Ok("ready") : null,
                timeoutS, "not ready: " + ReadinessText(), ct));
    }

    private string ReadinessText() =>
        $"heartbeat {(_heard ? "yes" : "no")}, position {(_hasPos ? "yes" : "no")}, home {(_home is null ? "no" : "yes")}";

    /// <summary>Arms in the external mode. PX4: starts the session's own setpoint stream (hold where the
    /// vehicle is), streams PreStreamS, asks for OFFBOARD (DO_SET_MODE 1, 6) and confirms it by HEARTBEAT,
    /// then arms. ArduCopter: GUIDED (DO_SET_MODE 1, 4), then arm. Done when HEARTBEAT shows armed.</summary>
    public Task<OperationResult> ArmAsync(CancellationToken ct = default)
    {
        lock (_gate) return Detach(ArmCore(ct));
    }

    private async Task<OperationResult> ArmCore(CancellationToken ct)
    {
        var r = await EnsureExternalModeCore(ct).ConfigureAwait(false);
        if (!r.Success) return r;
        Task<OperationResult> ack, armed;
        lock (_gate)
        {
            double now = NowS;
            ack = SendCommand(AutopilotAdapter.Arm(true), now, null);
            armed = WaitFor(_ => Broken() ?? (_armed ? OperationResult.Ok("armed") : AckFailure(ack)),
                _o.ConfirmTimeoutS, "HEARTBEAT never showed armed", ct);
        }
        r = await armed.ConfigureAwait(false);
        if (r.Success) lock (_gate) _armConfirmed = true;
        return r;
    }

    private static OperationResult? AckFailure(Task<OperationResult> ack) =>
        ack.IsCompleted && !ack.Result.Success ? OperationResult.Fail(ack.Result.Message) : null;

    /// <summary>Asks for the external mode (if not already confirmed) and waits for HEARTBEAT to show it.</summary>
    private async Task<OperationResult> EnsureExternalModeCore(CancellationToken ct)
    {
        Task<OperationResult> streamed;
        lock (_gate)
        {
            if (Broken() is { } b) return b;
            if (!TryGetOwnStateLocked(out var own)) return OperationResult.Fail("no position estimate yet");
            if (_ap.NeedsSetpointStream && !(_streamSession && _phase == SessionPhase.SessionControl))
            {
                HoldHere(own);
                double until = NowS + _o.PreStreamS;
                streamed = WaitFor(now => Broken() ?? (now >= until ? OperationResult.Ok("streamed") : null), _o.PreStreamS + 1, "pre-stream", ct);
            }
            else streamed = Task.FromResult(OperationResult.Ok("no stream needed"));
            if (_phase is SessionPhase.Ready or SessionPhase.AutopilotMode or SessionPhase.GuidanceStalled) _phase = SessionPhase.SessionControl;
        }
        var r = await streamed.ConfigureAwait(false);
        if (!r.Success) return r;
        return await ModeCore(VehicleMode.ExternalControl, ct).ConfigureAwait(false);
    }

    private Task<OperationResult> ModeCore(VehicleMode mode, CancellationToken ct)
    {
        lock (_gate)
        {
            if (Broken() is { } b) return Task.FromResult(b);
            uint want = _ap.CustomModeOf(mode);
            if (_expectedMode == want && _modeConfirmed && _customMode == want) return Task.FromResult(OperationResult.Ok("already in " + _ap.ModeName(want)));
            var ack = RequestMode(mode, NowS);
            return WaitFor(_ => Broken() ?? (_customMode == want && _modeConfirmed ? OperationResult.Ok(_ap.ModeName(want)) : AckFailure(ack)),
                _o.ConfirmTimeoutS, $"HEARTBEAT never showed {_ap.ModeName(want)}", ct);
        }
    }

    private Task<OperationResult> RequestMode(VehicleMode mode, double now)
    {
        uint want = _ap.CustomModeOf(mode);
        _expectedMode = want;
        _modeConfirmed = _customMode == want && mode != VehicleMode.ExternalControl ? true : false;
        if (mode != VehicleMode.ExternalControl)
        {
            // Hold, land, RTL: the autopilot flies; we stop streaming at once.
            _streamSession = false;
            if (_phase is SessionPhase.SessionControl or SessionPhase.ExternalControl or SessionPhase.Ready)
            {
                if (_phase == SessionPhase.ExternalControl) Raise(now, SessionEventKind.ExternalControlLeft, "leaving external control for " + _ap.ModeName(want));
                _phase = SessionPhase.AutopilotMode;
            }
        }
        return SendCommand(_ap.ModeCommand(mode), now, null);
    }

    private void HoldHere(in OwnTelemetry own)
    {
        _sessionSetpoint = PositionTarget.PositionYaw(own.PosNed, own.YawRad);
        _streamSession = true;
        _nextSetpointS = NowS;
    }

    private bool TryGetOwnStateLocked(out OwnTelemetry s)
    {
        if (!_hasPos) { s = default; return false; }
        s = new OwnTelemetry(_posTimeS, _posNed, _velNed, _att, _ratesBody, _hasAtt);
        return true;
    }

    /// <summary>Takes off to <paramref name="altitudeM"/> above the current point and holds there.
    /// PX4: position setpoint above the ground point, streamed in OFFBOARD (as in the PX4 capture).
    /// ArduCopter: MAV_CMD_NAV_TAKEOFF p7 = altitude in GUIDED. Arms first if needed.</summary>
    public Task<OperationResult> TakeoffAsync(double altitudeM, CancellationToken ct = default)
    {
        Require.InRange(altitudeM, 0.5, 500);
        lock (_gate) return Detach(TakeoffCore(altitudeM, ct));
    }

    private async Task<OperationResult> TakeoffCore(double altitudeM, CancellationToken ct)
    {
        bool needArm;
        lock (_gate) needArm = !_armed || !_armConfirmed;
        if (needArm)
        {
            var a = await ArmCore(ct).ConfigureAwait(false);
            if (!a.Success) return a;
        }
        Task<OperationResult> climbed;
        lock (_gate)
        {
            if (Broken() is { } b) return b;
            if (!TryGetOwnStateLocked(out var own)) return OperationResult.Fail("no position estimate");
            double now = NowS;
            var target = new Vector3d(own.PosNed.X, own.PosNed.Y, own.PosNed.Z - altitudeM);
            Task<OperationResult>? ack = null;
            if (_ap.Takeoff == TakeoffMethod.ExternalClimb)
            {
                _sessionSetpoint = PositionTarget.PositionYaw(target, own.YawRad);
                _streamSession = true;
                _phase = SessionPhase.SessionControl;
            }
            else
            {
                _phase = SessionPhase.SessionControl;
                ack = SendCommand(new CommandSpec(AutopilotCommands.NavTakeoff, P7: (float)altitudeM), now, null);
            }
            double tol = _o.TakeoffToleranceM;
            climbed = WaitFor(_ => Broken() ?? (ack is not null && AckFailure(ack) is { } f ? f
                    : Math.Abs(_posNed.Z - target.Z) <= tol && _velNed.Length < 0.5 ? OperationResult.Ok(FormattableString.Invariant($"at {-_posNed.Z:F1} m up")) : null),
                altitudeM / 0.5 + 20, FormattableString.Invariant($"did not reach {altitudeM:F1} m"), ct);
        }
        var r = await climbed.ConfigureAwait(false);
        if (r.Success)
            lock (_gate)
            {
                Raise(NowS, SessionEventKind.TakeoffComplete, r.Message);
                if (_ap.NeedsSetpointStream && TryGetOwnStateLocked(out var own))
                    _sessionSetpoint = PositionTarget.PositionYaw(_sessionSetpoint.PosNed, own.YawRad);
            }
        return r;
    }

    /// <summary>Hands the vehicle to guidance: makes sure the external mode is active and the vehicle armed,
    /// stops the session's own stream, and from now on setpoints go out only from <see cref="SubmitGuidance"/>.
    /// The first guidance output must come within the deadline.</summary>
    public Task<OperationResult> EnterExternalControlAsync(CancellationToken ct = default)
    {
        lock (_gate) return Detach(EnterCore(ct));
    }

    private async Task<OperationResult> EnterCore(CancellationToken ct)
    {
        lock (_gate)
            if (!_armed) return OperationResult.Fail("not armed");
        var r = await EnsureExternalModeCore(ct).ConfigureAwait(false);
        if (!r.Success) return r;
        lock (_gate)
        {
            if (Broken() is { } b) return b;
            if (!_armed) return OperationResult.Fail("not armed");
            _armConfirmed = true;
            _streamSession = false;
            _phase = SessionPhase.ExternalControl;
            _guidanceLastS = NowS;
            _shaper.Reset();
            Raise(NowS, SessionEventKind.ExternalControlEntered, $"{_ap.ModeName(_customMode)}, setpoint form {_form}");
            return OperationResult.Ok("external control");
        }
    }

    /// <summary>One guidance output. Sent at once (no queue) when the session is in external control, the
    /// command is finite and fresh (not older than the deadline); otherwise refused and counted. Returns
    /// whether a setpoint went out.</summary>
    public bool SubmitGuidance(in GuidanceCommand command)
    {
        lock (_gate)
        {
            double now = NowS;
            if (_phase != SessionPhase.ExternalControl || !_hasPos
                || !double.IsFinite(command.TimeS) || now - command.TimeS > _o.GuidanceDeadlineS || command.TimeS > now + _o.GuidanceDeadlineS)
            {
                GuidanceRejected++;
                return false;
            }
            var own = new OwnTelemetry(_posTimeS, _posNed, _velNed, _att, _ratesBody, _hasAtt);
            if (!_shaper.TryShape(command, own, _form, _ap.Kind, out var sp)) { GuidanceRejected++; return false; }
            if (sp.IsAttitude) SendAttitudeTarget(sp.Attitude, now); else SendPositionTarget(sp.Position, now);
            _guidanceLastS = Math.Max(_guidanceLastS, command.TimeS);
            GuidanceAccepted++;
            return true;
        }
    }

    /// <summary>Leaves external control for hold (PX4 AUTO.LOITER, ArduCopter LOITER); done when HEARTBEAT shows it.</summary>
    public Task<OperationResult> HoldAsync(CancellationToken ct = default) => ModePublic(VehicleMode.Hold, ct);
    public Task<OperationResult> LandAsync(CancellationToken ct = default) => ModePublic(VehicleMode.Land, ct);
    public Task<OperationResult> ReturnToLaunchAsync(CancellationToken ct = default) => ModePublic(VehicleMode.ReturnToLaunch, ct);

    private Task<OperationResult> ModePublic(VehicleMode mode, CancellationToken ct)
    {
        lock (_gate)
        {
            if (_phase == SessionPhase.ControlLost)
            {
                // After a pilot/failsafe takeover we only act when asked explicitly: start afresh.
                _phase = _heard ? SessionPhase.AutopilotMode : _phase;
            }
            return Detach(ModeCore(mode, ct));
        }
    }
}
