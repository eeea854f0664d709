using Interceptor.Mavlink.Messages;

namespace Interceptor.Mavlink.Node;

/// <summary>Clock relation to one peer from TIMESYNC round trips.</summary>
/// <param name="OffsetNs">Peer clock minus our clock [ns] (our clock: the node's <see cref="TimeProvider"/> timestamp in ns).</param>
/// <param name="RttNs">Median round-trip time over the window [ns].</param>
/// <param name="Samples">Round trips in the window.</param>
/// <param name="UpdatedTimestamp">When the estimate last changed (<see cref="TimeProvider.GetTimestamp"/>).</param>
public readonly record struct TimesyncEstimate(MavlinkAddress Peer, long OffsetNs, long RttNs, int Samples, long UpdatedTimestamp)
{
    public double OffsetS => OffsetNs * 1e-9;
    public double RttS => RttNs * 1e-9;
}

public sealed partial class MavlinkNode
{
    /// <summary>Round trips kept per peer.</summary>
    public const int TimesyncWindow = 32;
    /// <summary>Round trips longer than this are discarded as stale answers.</summary>
    public static readonly TimeSpan TimesyncMaxRtt = TimeSpan.FromSeconds(2);

    private sealed class TimesyncPeer
    {
        public readonly long[] Offsets = new long[TimesyncWindow];
        public readonly long[] Rtts = new long[TimesyncWindow];
        public int Count, Next;
        public TimesyncEstimate Estimate;
    }

    private readonly object _timesyncGate = new();
    private readonly Dictionary<MavlinkAddress, TimesyncPeer> _timesync = new();
    private readonly long[] _timesyncSent = new long[8];
    private int _timesyncSentNext;
    private long _timesyncAnswered;

    /// <summary>TIMESYNC requests from peers we answered.</summary>
    public long TimesyncRequestsAnswered => Interlocked.Read(ref _timesyncAnswered);

    /// <summary>Our clock for TIMESYNC, in ns (never 0: tc1 = 0 marks a request).</summary>
    public long TimesyncNowNs() => Math.Max(1, (long)(TimeProvider.GetTimestamp() * (1e9 / TimeProvider.TimestampFrequency)));

    /// <summary>The current estimate for <paramref name="peer"/>, if any round trip completed.</summary>
    public TimesyncEstimate? GetTimesync(MavlinkAddress peer)
    {
        lock (_timesyncGate) return _timesync.TryGetValue(peer, out var t) && t.Count > 0 ? t.Estimate : null;
    }

    /// <summary>Maps a peer time (e.g. an autopilot's time_boot_ms × 1000 in µs; TIMESYNC on PX4 and ArduPilot runs
    /// on the boot clock) to our <see cref="TimeProvider"/> timestamp. False until an estimate exists.</summary>
    public bool TryPeerTimeToLocalTimestamp(MavlinkAddress peer, long peerTimeUs, out long localTimestamp)
    {
        localTimestamp = 0;
        if (GetTimesync(peer) is not { } e) return false;
        double localNs = peerTimeUs * 1000.0 - e.OffsetNs;
        localTimestamp = (long)Math.Round(localNs * (TimeProvider.TimestampFrequency / 1e9));
        return true;
    }

    /// <summary>Sends one TIMESYNC request (tc1 = 0, ts1 = our time) to all peers. Also runs from the timer.</summary>
    public bool SendTimesyncRequest()
    {
        long now = TimesyncNowNs();
        lock (_timesyncGate)
        {
            _timesyncSent[_timesyncSentNext] = now;
            _timesyncSentNext = (_timesyncSentNext + 1) % _timesyncSent.Length;
        }
        return TrySend(new TimesyncMessage { Tc1 = 0, Ts1 = now });
    }

    private void OnTimesync(in MavlinkFrame frame, long ts)
    {
        if (!frame.TryDecode(out TimesyncMessage m)) return;
        if (m.TargetSystem != 0 && m.TargetSystem != Address.SystemId) return;
        if (m.TargetComponent != 0 && m.TargetComponent != Address.ComponentId) return;
        long now = TimesyncNowNs();
        if (m.Tc1 == 0)
        {
            if (!_options.AnswerTimesync) return;
            if (TrySend(new TimesyncMessage { Tc1 = now, Ts1 = m.Ts1, TargetSystem = frame.SystemId, TargetComponent = frame.ComponentId }))
                Interlocked.Increment(ref _timesyncAnswered);
            return;
        }
        lock (_timesyncGate)
        {
            if (Array.IndexOf(_timesyncSent, m.Ts1) < 0) return; // not an answer to one of our recent requests
            long rtt = now - m.Ts1;
            if (rtt < 0 || rtt > TimesyncMaxRtt.Ticks * 100) return;
            long offset = m.Tc1 - (m.Ts1 + rtt / 2);
            var address = new MavlinkAddress(frame.SystemId, frame.ComponentId);
            if (!_timesync.TryGetValue(address, out var peer)) _timesync[address] = peer = new TimesyncPeer();
            peer.Offsets[peer.Next] = offset;
            peer.Rtts[peer.Next] = rtt;
            peer.Next = (peer.Next + 1) % TimesyncWindow;
            peer.Count = Math.Min(peer.Count + 1, TimesyncWindow);
            peer.Estimate = Estimate(address, peer, ts);
        }
    }

    /// <summary>Robust estimate: the offsets of the faster half of the round trips (least queueing delay, least
    /// asymmetry), their median; the RTT reported is the median of all.</summary>
    private static TimesyncEstimate Estimate(MavlinkAddress address, TimesyncPeer p, long ts)
    {
        int n = p.Count;
        Span<int> order = stackalloc int[n];
        for (int i = 0; i < n; i++) order[i] = i;
        var rtts = p.Rtts;
        order.Sort((a, b) => rtts[a].CompareTo(rtts[b]));
        int fast = (n + 1) / 2;
        Span<long> offsets = stackalloc long[fast];
        for (int i = 0; i < fast; i++) offsets[i] = p.Offsets[order[i]];
        offsets.Sort();
        long offset = fast % 2 == 1 ? offsets[fast / 2] : (offsets[fast / 2 - 1] + offsets[fast / 2]) / 2;
        long rtt = n % 2 == 1 ? rtts[order[n / 2]] : (rtts[order[n / 2 - 1]] + rtts[order[n / 2]]) / 2;
        return new TimesyncEstimate(address, offset, rtt, n, ts);
    }
}
