namespace Interceptor.Autopilot;

/// <summary>Maps the autopilot's boot-time stamps (time_boot_ms, time_usec, TIMESYNC ns) onto our clock
/// (seconds on the session's injected <see cref="TimeProvider"/>), so the estimator gets correctly timed samples.
/// <para>Two sources: (1) TIMESYNC round trips: offset = tc1 - (ts1 + now) / 2, taken from the round trip
/// with the smallest RTT among the recent ones (the one least disturbed by queueing); (2) before the first
/// round trip, the one-way bound from telemetry: every sample arrives after it was stamped, so
/// offset &gt;= remote - receive, and the largest such value is the best bound. Autopilot clocks drift against
/// ours (PX4 SIH ran 2400 ppm slow in the capture: 0.18 s over 75 s), so the bound is let down by
/// <see cref="DriftAllowance"/> per second and the round trips are taken from a short window. A jump back of
/// the remote clock (autopilot reboot) resets both.</para></summary>
public sealed class BootClock
{
    private const int Window = 4;
    /// <summary>Largest clock drift the one-way bound follows [s/s] (5000 ppm).</summary>
    public const double DriftAllowance = 5e-3;
    private readonly double[] _offsets = new double[Window];
    private readonly double[] _rtts = new double[Window];
    private int _count, _next;
    private double _oneWayOffsetS = double.NegativeInfinity;
    private double _lastRemoteS = double.NegativeInfinity;
    private double _lastOneWayLocalS = double.NaN;

    /// <summary>True once any estimate exists.</summary>
    public bool IsSynchronised => _count > 0 || double.IsFinite(_oneWayOffsetS);

    /// <summary>True when the estimate comes from TIMESYNC round trips (not only the one-way bound).</summary>
    public bool HasRoundTrip => _count > 0;

    /// <summary>Remote minus local time [s]; 0 before any estimate.</summary>
    public double OffsetS { get; private set; }

    /// <summary>Round-trip time of the round trip the offset came from [s]; NaN without round trips.</summary>
    public double RoundTripS { get; private set; } = double.NaN;

    /// <summary>Number of TIMESYNC round trips used since the last reset.</summary>
    public long RoundTrips { get; private set; }

    /// <summary>Number of resets after the remote clock jumped back (reboots).</summary>
    public int Resets { get; private set; }

    /// <summary>A TIMESYNC reply to our request: we sent <paramref name="sentLocalS"/> (echoed in ts1), the autopilot
    /// stamped <paramref name="remoteS"/> (tc1), and the reply arrived at <paramref name="receivedLocalS"/>.</summary>
    public void AddRoundTrip(double sentLocalS, double remoteS, double receivedLocalS)
    {
        if (!double.IsFinite(sentLocalS) || !double.IsFinite(remoteS) || !double.IsFinite(receivedLocalS)) return;
        double rtt = receivedLocalS - sentLocalS;
        if (rtt < 0 || rtt > 10) return; // not our request, or absurdly stale
        CheckReboot(remoteS);
        _offsets[_next] = remoteS - 0.5 * (sentLocalS + receivedLocalS);
        _rtts[_next] = rtt;
        _next = (_next + 1) % Window;
        if (_count < Window) _count++;
        RoundTrips++;
        int best = 0;
        for (int i = 1; i < _count; i++) if (_rtts[i] < _rtts[best]) best = i;
        OffsetS = _offsets[best];
        RoundTripS = _rtts[best];
    }

    /// <summary>A telemetry sample stamped <paramref name="remoteS"/> by the autopilot arrived at <paramref name="receivedLocalS"/>.</summary>
    public void AddOneWay(double remoteS, double receivedLocalS)
    {
        if (!double.IsFinite(remoteS) || !double.IsFinite(receivedLocalS) || remoteS <= 0) return;
        CheckReboot(remoteS);
        double bound = remoteS - receivedLocalS;
        if (double.IsFinite(_oneWayOffsetS) && receivedLocalS > _lastOneWayLocalS)
            _oneWayOffsetS -= DriftAllowance * (receivedLocalS - _lastOneWayLocalS);
        if (!(receivedLocalS <= _lastOneWayLocalS)) _lastOneWayLocalS = receivedLocalS;
        if (bound > _oneWayOffsetS) _oneWayOffsetS = bound;
        if (_count == 0) OffsetS = _oneWayOffsetS;
    }

    /// <summary>Local time [s] of an autopilot stamp in seconds since its boot.</summary>
    public double ToLocalS(double remoteS) => remoteS - OffsetS;

    /// <summary>Local time [s] of a time_boot_ms stamp.</summary>
    public double FromBootMs(uint timeBootMs) => ToLocalS(timeBootMs * 1e-3);

    /// <summary>Local time [s] of a time_usec (since boot) stamp.</summary>
    public double FromBootUs(ulong timeUs) => ToLocalS(timeUs * 1e-6);

    private void CheckReboot(double remoteS)
    {
        if (remoteS + 1.0 < _lastRemoteS)
        {
            _count = 0; _next = 0;
            _oneWayOffsetS = double.NegativeInfinity;
            _lastOneWayLocalS = double.NaN;
            OffsetS = 0; RoundTripS = double.NaN;
            Resets++;
        }
        if (remoteS > _lastRemoteS) _lastRemoteS = remoteS;
    }
}
