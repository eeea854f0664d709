using Interceptor.Mavlink.Messages;

namespace Interceptor.Mavlink.Node;

/// <summary>Timing of the parameter protocol.</summary>
public sealed record ParamOptions
{
    /// <summary>Wait this long for a PARAM_VALUE after a read or set request before asking again.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(1);
    /// <summary>Re-requests after the first attempt.</summary>
    public int Retries { get; init; } = 3;
    /// <summary>While listing: when no new parameter arrived for this long, re-request the missing indices.</summary>
    public TimeSpan ListGapTimeout { get; init; } = TimeSpan.FromSeconds(1);
    /// <summary>While listing: rounds of gap re-requests before giving up.</summary>
    public int ListRetryRounds { get; init; } = 5;

    internal void Validate()
    {
        if (Timeout <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(Timeout), Timeout, "Timeout must be > 0");
        if (Retries < 0) throw new ArgumentOutOfRangeException(nameof(Retries), Retries, "Retries must be >= 0");
        if (ListGapTimeout <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(ListGapTimeout), ListGapTimeout, "ListGapTimeout must be > 0");
        if (ListRetryRounds < 0) throw new ArgumentOutOfRangeException(nameof(ListRetryRounds), ListRetryRounds, "ListRetryRounds must be >= 0");
    }
}

/// <summary>How integer parameters travel in PARAM_VALUE's float: PX4 copies the bytes
/// (MAV_PROTOCOL_CAPABILITY_PARAM_ENCODE_BYTEWISE), ArduPilot converts the number (C cast).</summary>
public enum ParamEncoding { Bytewise, CCast }

/// <summary>One parameter as the autopilot reported it. <see cref="RawValue"/> is the float on the wire.</summary>
public readonly record struct MavlinkParam(string Name, float RawValue, MavParamType Type, ushort Index, ushort Count)
{
    /// <summary>The value as a number, decoding integer types per <paramref name="encoding"/>.</summary>
    public double Value(ParamEncoding encoding) => Decode(RawValue, Type, encoding);

    /// <summary>Wire float to number.</summary>
    public static double Decode(float raw, MavParamType type, ParamEncoding encoding)
    {
        if (type is MavParamType.Real32 or MavParamType.Real64 || encoding == ParamEncoding.CCast) return raw;
        int bits = BitConverter.SingleToInt32Bits(raw);
        return type switch
        {
            MavParamType.Uint8 => (byte)bits,
            MavParamType.Int8 => (sbyte)bits,
            MavParamType.Uint16 => (ushort)bits,
            MavParamType.Int16 => (short)bits,
            MavParamType.Uint32 => (uint)bits,
            _ => bits,
        };
    }

    /// <summary>Number to wire float for <paramref name="type"/>; throws when the value does not fit the type.</summary>
    public static float Encode(double value, MavParamType type, ParamEncoding encoding)
    {
        if (!double.IsFinite(value)) throw new ArgumentOutOfRangeException(nameof(value), value, $"value = {value}: must be finite");
        if (type is MavParamType.Real32 or MavParamType.Real64) return (float)value;
        (double min, double max) range = type switch
        {
            MavParamType.Uint8 => (0d, byte.MaxValue), MavParamType.Int8 => (sbyte.MinValue, (double)sbyte.MaxValue),
            MavParamType.Uint16 => (0d, ushort.MaxValue), MavParamType.Int16 => (short.MinValue, (double)short.MaxValue),
            MavParamType.Uint32 => (0d, uint.MaxValue), MavParamType.Int32 => (int.MinValue, (double)int.MaxValue),
            _ => throw new ArgumentOutOfRangeException(nameof(type), type, $"parameter type {type} is not supported"),
        };
        var (min, max) = range;
        if (value != Math.Round(value) || value < min || value > max)
            throw new ArgumentOutOfRangeException(nameof(value), value, $"value = {value}: must be an integer in [{min}, {max}] for {type}");
        if (encoding == ParamEncoding.CCast) return (float)value;
        int bits = type == MavParamType.Uint32 ? unchecked((int)(uint)value) : (int)value;
        if (type is MavParamType.Uint8 or MavParamType.Uint16) bits = (int)(uint)value;
        return BitConverter.Int32BitsToSingle(bits);
    }

    internal static MavlinkParam From(in ParamValueMessage m) =>
        new(m.ParamId.ToString(), m.ParamValue, m.ParamTypeEnum, m.ParamIndex, m.ParamCount);
}

/// <summary>Outcome of a parameter set: <see cref="Verified"/> when the echoed value equals the requested one.</summary>
public sealed record ParamSetResult(bool Verified, MavlinkParam Echo, float RequestedRawValue, int Attempts);

/// <summary>All parameters of a component, by index; <see cref="Missing"/> lists indices never received.</summary>
public sealed record ParamListResult(IReadOnlyList<MavlinkParam> Params, int ExpectedCount, IReadOnlyList<int> Missing, int GapRequestRounds)
{
    public bool Complete => Missing.Count == 0 && Params.Count == ExpectedCount;
}

public sealed partial class MavlinkNode
{
    private readonly SemaphoreSlim _paramGate = new(1, 1);

    /// <summary>PARAM_REQUEST_READ by name; throws <see cref="TimeoutException"/> when no PARAM_VALUE with that name came.</summary>
    public Task<MavlinkParam> ReadParamAsync(MavlinkAddress target, string name, ParamOptions? options = null, CancellationToken cancellationToken = default)
    {
        var id = ParamId(name);
        return ReadParamCoreAsync(target, new ParamRequestReadMessage
        {
            TargetSystem = target.SystemId, TargetComponent = target.ComponentId, ParamId = id, ParamIndex = -1,
        }, p => p.Name == name, $"parameter {name}", options ?? _options.Params, cancellationToken);
    }

    /// <summary>PARAM_REQUEST_READ by index.</summary>
    public Task<MavlinkParam> ReadParamAsync(MavlinkAddress target, int index, ParamOptions? options = null, CancellationToken cancellationToken = default)
    {
        if (index < 0 || index > short.MaxValue) throw new ArgumentOutOfRangeException(nameof(index), index, $"index = {index}: must be in [0, {short.MaxValue}]");
        return ReadParamCoreAsync(target, new ParamRequestReadMessage
        {
            TargetSystem = target.SystemId, TargetComponent = target.ComponentId, ParamIndex = (short)index,
        }, p => p.Index == index, $"parameter #{index}", options ?? _options.Params, cancellationToken);
    }

    private async Task<MavlinkParam> ReadParamCoreAsync(MavlinkAddress target, ParamRequestReadMessage request, Func<MavlinkParam, bool> match,
        string what, ParamOptions options, CancellationToken ct)
    {
        options.Validate();
        await _paramGate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            using var sub = Subscribe<ParamValueMessage>(1024, ParamFilter(target));
            for (int attempt = 0; attempt <= options.Retries; attempt++)
            {
                await SendAsync(request, ct).ConfigureAwait(false);
                var got = await NextParamAsync(sub, match, options.Timeout, ct).ConfigureAwait(false);
                if (got is not null) return got.Value;
            }
            throw new TimeoutException($"{what} of {target}: no PARAM_VALUE after {options.Retries + 1} request(s)");
        }
        finally { _paramGate.Release(); }
    }

    /// <summary>PARAM_SET with the wire float <paramref name="rawValue"/>, verified by the echoed PARAM_VALUE.
    /// Resends on timeout; returns <see cref="ParamSetResult.Verified"/> false when the echo carries another
    /// value (the autopilot refused or clamped it). Throws <see cref="TimeoutException"/> when no echo came.</summary>
    public async Task<ParamSetResult> SetParamAsync(MavlinkAddress target, string name, float rawValue, MavParamType type,
        ParamOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= _options.Params;
        options.Validate();
        var id = ParamId(name);
        await _paramGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var sub = Subscribe<ParamValueMessage>(1024, ParamFilter(target));
            var request = new ParamSetMessage
            {
                TargetSystem = target.SystemId, TargetComponent = target.ComponentId, ParamId = id,
                ParamValue = rawValue, ParamTypeEnum = type,
            };
            for (int attempt = 0; attempt <= options.Retries; attempt++)
            {
                await SendAsync(request, cancellationToken).ConfigureAwait(false);
                var echo = await NextParamAsync(sub, p => p.Name == name, options.Timeout, cancellationToken).ConfigureAwait(false);
                if (echo is null) continue;
                bool same = BitConverter.SingleToInt32Bits(echo.Value.RawValue) == BitConverter.SingleToInt32Bits(rawValue)
                    || echo.Value.RawValue == rawValue;
                return new ParamSetResult(same, echo.Value, rawValue, attempt + 1);
            }
            throw new TimeoutException($"set parameter {name} of {target}: no PARAM_VALUE echo after {options.Retries + 1} attempt(s)");
        }
        finally { _paramGate.Release(); }
    }

    /// <summary>PARAM_SET of a number, encoded for <paramref name="type"/> per <paramref name="encoding"/>.</summary>
    public Task<ParamSetResult> SetParamAsync(MavlinkAddress target, string name, double value, MavParamType type, ParamEncoding encoding,
        ParamOptions? options = null, CancellationToken cancellationToken = default) =>
        SetParamAsync(target, name, MavlinkParam.Encode(value, type, encoding), type, options, cancellationToken);

    /// <summary>PARAM_REQUEST_LIST: collects PARAM_VALUE by index; when the stream pauses for
    /// <see cref="ParamOptions.ListGapTimeout"/> with indices missing, re-requests each missing index with
    /// PARAM_REQUEST_READ, for up to <see cref="ParamOptions.ListRetryRounds"/> rounds.</summary>
    public async Task<ParamListResult> ListParamsAsync(MavlinkAddress target, ParamOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= _options.Params;
        options.Validate();
        await _paramGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var sub = Subscribe<ParamValueMessage>(8192, ParamFilter(target));
            await SendAsync(new ParamRequestListMessage { TargetSystem = target.SystemId, TargetComponent = target.ComponentId }, cancellationToken).ConfigureAwait(false);
            var byIndex = new Dictionary<int, MavlinkParam>();
            int count = -1;
            int rounds = 0;
            bool requestedAgain = false;
            while (count < 0 || byIndex.Count < count)
            {
                var got = await NextParamAsync(sub, p => true, options.ListGapTimeout, cancellationToken).ConfigureAwait(false);
                if (got is { } p)
                {
                    if (p.Index == ushort.MaxValue) continue; // PX4: -1 index means "not part of the list" (unsolicited)
                    if (count < 0) count = p.Count;
                    if (p.Index < count) byIndex[p.Index] = p;
                    continue;
                }
                if (count < 0)
                {
                    // Nothing at all yet: ask for the whole list again.
                    if (requestedAgain && rounds >= options.ListRetryRounds) break;
                    requestedAgain = true;
                    rounds++;
                    await SendAsync(new ParamRequestListMessage { TargetSystem = target.SystemId, TargetComponent = target.ComponentId }, cancellationToken).ConfigureAwait(false);
                    continue;
                }
                if (rounds >= options.ListRetryRounds) break;
                rounds++;
                for (int i = 0; i < count; i++)
                {
                    if (byIndex.ContainsKey(i)) continue;
                    await SendAsync(new ParamRequestReadMessage
                    {
                        TargetSystem = target.SystemId, TargetComponent = target.ComponentId, ParamIndex = (short)Math.Min(i, short.MaxValue),
                    }, cancellationToken).ConfigureAwait(false);
                }
            }
            var missing = count < 0 ? [] : Enumerable.Range(0, count).Where(i => !byIndex.ContainsKey(i)).ToArray();
            return new ParamListResult(byIndex.OrderBy(kv => kv.Key).Select(kv => kv.Value).ToArray(), Math.Max(count, 0), missing, rounds);
        }
        finally { _paramGate.Release(); }
    }

    private static MessageFilter ParamFilter(MavlinkAddress target) => new()
    {
        SystemId = target.SystemId == 0 ? null : target.SystemId,
        ComponentId = target.ComponentId == 0 ? null : target.ComponentId,
    };

    private static CharArray16 ParamId(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (name.Length > 16 || name.Any(c => c > 127))
            throw new ArgumentException($"parameter name '{name}' must be 1..16 ASCII characters", nameof(name));
        return CharArray16.FromString(name);
    }

    private async ValueTask<MavlinkParam?> NextParamAsync(MavlinkSubscription<ParamValueMessage> sub, Func<MavlinkParam, bool> match, TimeSpan timeout, CancellationToken ct)
    {
        using var timeoutCts = new CancellationTokenSource(timeout, TimeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, timeoutCts.Token);
        try
        {
            while (true)
            {
                var m = await sub.ReadAsync(linked.Token).ConfigureAwait(false);
                var p = MavlinkParam.From(m.Message);
                if (match(p)) return p;
            }
        }
        catch (OperationCanceledException) when (timeoutCts.IsCancellationRequested && !ct.IsCancellationRequested)
        {
            return null;
        }
    }
}
