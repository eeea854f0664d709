namespace Interceptor.Core;

/// <summary>A <see cref="TimeProvider"/> whose time only moves when told to. Simulation and tests
/// inject it so logic never reads the wall clock and runs as fast as the CPU allows.
/// Timers created from it fire synchronously inside <see cref="Advance"/>.</summary>
public sealed class ManualTimeProvider : TimeProvider
{
    private readonly object _gate = new();
    private readonly List<ManualTimer> _timers = new();
    private DateTimeOffset _now;
    private long _ticks; // Stopwatch ticks (1 tick = 100 ns)

    public ManualTimeProvider(DateTimeOffset? start = null) =>
        _now = start ?? new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public override DateTimeOffset GetUtcNow() { lock (_gate) return _now; }
    public override long TimestampFrequency => TimeSpan.TicksPerSecond;
    public override long GetTimestamp() { lock (_gate) return _ticks; }

    /// <summary>Seconds elapsed since construction.</summary>
    public double ElapsedS { get { lock (_gate) return _ticks / (double)TimeSpan.TicksPerSecond; } }

    public void Advance(TimeSpan by)
    {
        if (by < TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(by), by, "time cannot move backwards");
        long target;
        lock (_gate) target = _ticks + by.Ticks;
        while (true)
        {
            ManualTimer? due = null;
            lock (_gate)
            {
                foreach (var t in _timers)
                    if (t.DueTicks <= target && (due is null || t.DueTicks < due.DueTicks)) due = t;
                if (due is null)
                {
                    _now += TimeSpan.FromTicks(target - _ticks);
                    _ticks = target;
                    return;
                }
                _now += TimeSpan.FromTicks(Math.Max(0, due.DueTicks - _ticks));
                _ticks = Math.Max(_ticks, due.DueTicks);
                if (due.PeriodTicks > 0) due.DueTicks += due.PeriodTicks; else _timers.Remove(due);
            }
            due.Fire();
        }
    }

    public void AdvanceSeconds(double s) => Advance(TimeSpan.FromTicks((long)Math.Round(s * TimeSpan.TicksPerSecond)));

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var t = new ManualTimer(this, callback, state);
        t.Change(dueTime, period);
        return t;
    }

    private sealed class ManualTimer(ManualTimeProvider owner, TimerCallback callback, object? state) : ITimer
    {
        public long DueTicks;
        public long PeriodTicks;
        public void Fire() => callback(state);

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            lock (owner._gate)
            {
                owner._timers.Remove(this);
                if (dueTime == Timeout.InfiniteTimeSpan) return true;
                DueTicks = owner._ticks + Math.Max(0, dueTime.Ticks);
                PeriodTicks = period == Timeout.InfiniteTimeSpan ? 0 : Math.Max(0, period.Ticks);
                owner._timers.Add(this);
            }
            return true;
        }

        public void Dispose() { lock (owner._gate) owner._timers.Remove(this); }
        public ValueTask DisposeAsync() { Dispose(); return ValueTask.CompletedTask; }
    }
}
