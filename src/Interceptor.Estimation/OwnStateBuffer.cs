using Interceptor.Core;

namespace Interceptor.Estimation;

/// <summary>Interceptor position/velocity in NED at <see cref="TimeS"/>.</summary>
public readonly record struct OwnState(double TimeS, Vector3d PosNed, Vector3d VelNed);

/// <summary>Fixed-capacity, time-ordered buffer of own-state samples from autopilot telemetry, so a
/// measurement taken at time t is paired with the interceptor state at t. Between samples the position is
/// a cubic Hermite interpolation (exact for constant acceleration), the velocity linear; past the newest
/// sample it extrapolates with the newest velocity for at most a configured time. No allocation after
/// construction.</summary>
public sealed class OwnStateBuffer
{
    private readonly OwnState[] _ring;
    private readonly double _maxExtrapolationS;
    private int _head, _count;

    public OwnStateBuffer(int capacity = 256, double maxExtrapolationS = 0.25)
    {
        if (capacity < 2 || capacity > 100_000) Require.Fail(nameof(capacity), capacity, "must be in [2, 100000]");
        Require.NonNegative(maxExtrapolationS);
        _ring = new OwnState[capacity];
        _maxExtrapolationS = maxExtrapolationS;
    }

    public int Count => _count;
    public int Capacity => _ring.Length;

    /// <summary>Samples refused: not finite, or not later than the newest sample.</summary>
    public long RejectedCount { get; private set; }

    /// <summary>Newest sample, if any.</summary>
    public bool TryGetLatest(out OwnState s)
    {
        if (_count == 0) { s = default; return false; }
        s = At(_count - 1);
        return true;
    }

    /// <summary>Adds a sample; refused (returns false, counted) when a value is not finite or the time does
    /// not advance past the newest sample. The oldest sample is dropped when full.</summary>
    public bool Add(double timeS, Vector3d posNed, Vector3d velNed)
    {
        if (!double.IsFinite(timeS) || !posNed.IsFinite || !velNed.IsFinite
            || (_count > 0 && timeS <= At(_count - 1).TimeS))
        {
            RejectedCount++;
            return false;
        }
        if (_count == _ring.Length) { _head = (_head + 1) % _ring.Length; _count--; }
        _ring[(_head + _count) % _ring.Length] = new OwnState(timeS, posNed, velNed);
        _count++;
        return true;
    }

    public void Clear()
    {
        _head = 0;
        _count = 0;
        RejectedCount = 0;
    }

    private OwnState At(int logical) => _ring[(_head + logical) % _ring.Length];

    /// <summary>Own state at <paramref name="timeS"/>; false before the oldest sample, beyond the
    /// extrapolation limit past the newest, or when empty.</summary>
    public bool TryGet(double timeS, out OwnState s)
    {
        s = default;
        if (_count == 0 || !double.IsFinite(timeS)) return false;
        OwnState last = At(_count - 1);
        if (timeS >= last.TimeS)
        {
            double dt = timeS - last.TimeS;
            if (dt > _maxExtrapolationS) return false;
            s = new OwnState(timeS, last.PosNed + last.VelNed * dt, last.VelNed);
            return true;
        }
        if (timeS < At(0).TimeS) return false;
        // Binary search for the last sample with time <= timeS.
        int lo = 0, hi = _count - 1;
        while (hi - lo > 1)
        {
            int mid = (lo + hi) >> 1;
            if (At(mid).TimeS <= timeS) lo = mid; else hi = mid;
        }
        OwnState a = At(lo), b = At(hi);
        double h = b.TimeS - a.TimeS, u = (timeS - a.TimeS) / h;
        double u2 = u * u, u3 = u2 * u;
        double h00 = 2 * u3 - 3 * u2 + 1, h10 = u3 - 2 * u2 + u, h01 = -2 * u3 + 3 * u2, h11 = u3 - u2;
        Vector3d pos = a.PosNed * h00 + a.VelNed * (h10 * h) + b.PosNed * h01 + b.VelNed * (h11 * h);
        s = new OwnState(timeS, pos, Vector3d.Lerp(a.VelNed, b.VelNed, u));
        return true;
    }
}
