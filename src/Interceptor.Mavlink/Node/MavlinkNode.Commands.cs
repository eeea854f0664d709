using System.Threading.Channels;
using Interceptor.Mavlink.Messages;

namespace Interceptor.Mavlink.Node;

/// <summary>Timing of the command protocol.</summary>
public sealed record CommandOptions
{
    /// <summary>Wait this long for a COMMAND_ACK before sending again.</summary>
    public TimeSpan AckTimeout { get; init; } = TimeSpan.FromSeconds(1);
    /// <summary>Resends after the first attempt (COMMAND_LONG increments its confirmation field on each).</summary>
    public int Retries { get; init; } = 3;
    /// <summary>After a MAV_RESULT_IN_PROGRESS ack, wait this long for each further ack (no resends).</summary>
    public TimeSpan InProgressTimeout { get; init; } = TimeSpan.FromSeconds(10);
    /// <summary>After the final ack, keep collecting acks for the same command this long. PX4 answers
    /// MAV_CMD_DO_SET_MODE with two acks (an early ACCEPTED, then the real result): callers who care set this
    /// (e.g. 0.5 s) and read <see cref="CommandResult.Acks"/>.</summary>
    public TimeSpan CollectLaterAcks { get; init; } = TimeSpan.Zero;

    internal void Validate()
    {
        if (AckTimeout <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(AckTimeout), AckTimeout, "AckTimeout must be > 0");
        if (Retries < 0) throw new ArgumentOutOfRangeException(nameof(Retries), Retries, "Retries must be >= 0");
        if (InProgressTimeout <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(InProgressTimeout), InProgressTimeout, "InProgressTimeout must be > 0");
        if (CollectLaterAcks < TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(CollectLaterAcks), CollectLaterAcks, "CollectLaterAcks must be >= 0");
    }
}

/// <summary>One COMMAND_ACK as received.</summary>
/// <param name="Timestamp">Receive time (<see cref="TimeProvider.GetTimestamp"/>).</param>
public readonly record struct CommandAck(MavResult Result, byte ProgressPercent, int ResultParam2, MavlinkAddress From, long Timestamp);

/// <summary>Outcome of a command. <see cref="Result"/> is the first final (not IN_PROGRESS) result, null when none came.</summary>
public sealed record CommandResult(ushort Command, MavlinkAddress Target, MavResult? Result, IReadOnlyList<CommandAck> Acks, int Attempts)
{
    public bool Accepted => Result == MavResult.Accepted;
    public bool TimedOut => Result is null;
    public override string ToString() =>
        $"command {Command} -> {Target}: {(Result?.ToString() ?? "no final ack")} after {Attempts} attempt(s), {Acks.Count} ack(s)";
}

public sealed partial class MavlinkNode
{
    private sealed class PendingCommand(ushort command, MavlinkAddress target)
    {
        public ushort Command { get; } = command;
        public MavlinkAddress Target { get; } = target;
        public Channel<CommandAck> Acks { get; } = System.Threading.Channels.Channel.CreateUnbounded<CommandAck>();
    }

    private readonly object _commandGate = new();
    private PendingCommand[] _pendingCommands = [];
    private readonly Dictionary<(ushort, MavlinkAddress), SemaphoreSlim> _commandLocks = new();

    /// <summary>Sends COMMAND_LONG and waits for its COMMAND_ACK: resends with an incremented confirmation
    /// after <see cref="CommandOptions.AckTimeout"/> up to <see cref="CommandOptions.Retries"/> times, keeps
    /// waiting (without resending) while acks say IN_PROGRESS, and returns the first final result
    /// (or a timed-out result). Acks are matched by command id and sender (the target, or any sender for
    /// target 0); acks addressed to another system are ignored. Commands with the same id to the same target
    /// run one at a time, since their acks cannot be told apart.</summary>
    public Task<CommandResult> CommandLongAsync(MavlinkAddress target, MavCmd command,
        float param1 = 0, float param2 = 0, float param3 = 0, float param4 = 0, float param5 = 0, float param6 = 0, float param7 = 0,
        CommandOptions? options = null, CancellationToken cancellationToken = default)
    {
        ushort cmd = (ushort)command;
        return RunCommandAsync(cmd, target, (confirmation, ct) => SendAsync(new CommandLongMessage
        {
            TargetSystem = target.SystemId, TargetComponent = target.ComponentId, Command = cmd, Confirmation = confirmation,
            Param1 = param1, Param2 = param2, Param3 = param3, Param4 = param4, Param5 = param5, Param6 = param6, Param7 = param7,
        }, ct), options ?? _options.Commands, cancellationToken);
    }

    /// <summary>Sends COMMAND_INT (positions as degE7 integers in <paramref name="x"/>/<paramref name="y"/>) with the
    /// same ack handling as <see cref="CommandLongAsync"/> (resends are identical: COMMAND_INT has no confirmation).</summary>
    public Task<CommandResult> CommandIntAsync(MavlinkAddress target, MavCmd command, MavFrame frame,
        float param1 = 0, float param2 = 0, float param3 = 0, float param4 = 0, int x = 0, int y = 0, float z = 0,
        CommandOptions? options = null, CancellationToken cancellationToken = default)
    {
        ushort cmd = (ushort)command;
        return RunCommandAsync(cmd, target, (_, ct) => SendAsync(new CommandIntMessage
        {
            TargetSystem = target.SystemId, TargetComponent = target.ComponentId, Command = cmd, FrameEnum = frame,
            Param1 = param1, Param2 = param2, Param3 = param3, Param4 = param4, X = x, Y = y, Z = z,
        }, ct), options ?? _options.Commands, cancellationToken);
    }

    /// <summary>MAV_CMD_SET_MESSAGE_INTERVAL: ask <paramref name="target"/> to stream message
    /// <paramref name="messageId"/> at <paramref name="rateHz"/> (&gt; 0), or to stop it (0).</summary>
    public Task<CommandResult> SetMessageIntervalAsync(MavlinkAddress target, uint messageId, double rateHz,
        CommandOptions? options = null, CancellationToken cancellationToken = default)
    {
        if (!double.IsFinite(rateHz) || rateHz < 0)
            throw new ArgumentOutOfRangeException(nameof(rateHz), rateHz, $"rateHz = {rateHz}: must be a finite rate >= 0 (0 stops the message)");
        if (rateHz > 1e6) throw new ArgumentOutOfRangeException(nameof(rateHz), rateHz, $"rateHz = {rateHz}: must be <= 1e6");
        float intervalUs = rateHz == 0 ? -1f : (float)Math.Round(1e6 / rateHz);
        return CommandLongAsync(target, MavCmd.SetMessageInterval, messageId, intervalUs, options: options, cancellationToken: cancellationToken);
    }

    /// <summary>MAV_CMD_SET_MESSAGE_INTERVAL with interval 0: back to the autopilot's default rate.</summary>
    public Task<CommandResult> ResetMessageIntervalAsync(MavlinkAddress target, uint messageId,
        CommandOptions? options = null, CancellationToken cancellationToken = default) =>
        CommandLongAsync(target, MavCmd.SetMessageInterval, messageId, 0f, options: options, cancellationToken: cancellationToken);

    /// <summary>MAV_CMD_REQUEST_MESSAGE: ask for one message now (e.g. AUTOPILOT_VERSION, HOME_POSITION).</summary>
    public Task<CommandResult> RequestMessageAsync(MavlinkAddress target, uint messageId,
        CommandOptions? options = null, CancellationToken cancellationToken = default) =>
        CommandLongAsync(target, MavCmd.RequestMessage, messageId, options: options, cancellationToken: cancellationToken);

    private async Task<CommandResult> RunCommandAsync(ushort command, MavlinkAddress target,
        Func<byte, CancellationToken, ValueTask> send, CommandOptions options, CancellationToken ct)
    {
        options.Validate();
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        SemaphoreSlim gate;
        lock (_commandGate)
        {
            if (!_commandLocks.TryGetValue((command, target), out gate!)) _commandLocks[(command, target)] = gate = new SemaphoreSlim(1, 1);
        }
        await gate.WaitAsync(ct).ConfigureAwait(false);
        var pending = new PendingCommand(command, target);
        lock (_commandGate) _pendingCommands = [.. _pendingCommands, pending];
        try
        {
            var acks = new List<CommandAck>();
            int attempts = 0;
            bool inProgress = false;
            MavResult? final = null;
            while (final is null)
            {
                if (!inProgress)
                {
                    if (attempts > options.Retries) break;
                    await send((byte)Math.Min(attempts, 255), ct).ConfigureAwait(false);
                    attempts++;
                }
                var ack = await ReadAckAsync(pending, inProgress ? options.InProgressTimeout : options.AckTimeout, ct).ConfigureAwait(false);
                if (ack is null)
                {
                    if (inProgress) break;
                    continue;
                }
                acks.Add(ack.Value);
                if (ack.Value.Result == MavResult.InProgress) inProgress = true;
                else final = ack.Value.Result;
            }
            if (final is not null && options.CollectLaterAcks > TimeSpan.Zero)
            {
                long until = TimeProvider.GetTimestamp();
                while (true)
                {
                    var left = options.CollectLaterAcks - TimeProvider.GetElapsedTime(until);
                    if (left <= TimeSpan.Zero) break;
                    var ack = await ReadAckAsync(pending, left, ct).ConfigureAwait(false);
                    if (ack is null) break;
                    acks.Add(ack.Value);
                }
            }
            return new CommandResult(command, target, final, acks, attempts);
        }
        finally
        {
            lock (_commandGate) _pendingCommands = _pendingCommands.Where(p => p != pending).ToArray();
            gate.Release();
        }
    }

    private async ValueTask<CommandAck?> ReadAckAsync(PendingCommand pending, TimeSpan timeout, CancellationToken ct)
    {
        if (pending.Acks.Reader.TryRead(out var ready)) return ready;
        using var timeoutCts = new CancellationTokenSource(timeout, TimeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, timeoutCts.Token);
        try
        {
            return await pending.Acks.Reader.ReadAsync(linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (timeoutCts.IsCancellationRequested && !ct.IsCancellationRequested)
        {
            return null;
        }
        catch (ChannelClosedException)
        {
            throw new ObjectDisposedException(nameof(MavlinkNode), "the node was disposed while a command was waiting for its ack");
        }
    }

    private void OnCommandAck(in MavlinkFrame frame, long ts)
    {
        if (!frame.TryDecode(out CommandAckMessage ack)) return;
        // target_system/target_component are extensions: 0 when the sender omits them.
        if (ack.TargetSystem != 0 && ack.TargetSystem != Address.SystemId) return;
        if (ack.TargetComponent != 0 && ack.TargetComponent != Address.ComponentId) return;
        var pending = Volatile.Read(ref _pendingCommands);
        foreach (var p in pending)
        {
            if (p.Command != ack.Command) continue;
            if (p.Target.SystemId != 0 && p.Target.SystemId != frame.SystemId) continue;
            if (p.Target.ComponentId != 0 && p.Target.ComponentId != frame.ComponentId) continue;
            p.Acks.Writer.TryWrite(new CommandAck(ack.ResultEnum, ack.Progress, ack.ResultParam2,
                new MavlinkAddress(frame.SystemId, frame.ComponentId), ts));
        }
    }

    private void CancelPendingCommands()
    {
        PendingCommand[] pending;
        lock (_commandGate) pending = _pendingCommands;
        foreach (var p in pending) p.Acks.Writer.TryComplete();
    }
}
