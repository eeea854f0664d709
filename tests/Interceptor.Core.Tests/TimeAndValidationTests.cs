using Interceptor.Core;

namespace Interceptor.Core.Tests;

public class TimeAndValidationTests
{
    [Fact]
    public void ManualTimeMovesOnlyWhenAdvanced()
    {
        var clock = new ManualTimeProvider();
        long t0 = clock.GetTimestamp();
        var now0 = clock.GetUtcNow();
        clock.AdvanceSeconds(1.25);
        Assert.Equal(TimeSpan.FromSeconds(1.25), clock.GetElapsedTime(t0));
        Assert.Equal(now0.AddSeconds(1.25), clock.GetUtcNow());
        Assert.Equal(1.25, clock.ElapsedS, 12);
    }

    [Fact]
    public void PeriodicTimerFiresAtEachDueTimeInOrder()
    {
        var clock = new ManualTimeProvider();
        var fired = new List<double>();
        using var timer = clock.CreateTimer(_ => fired.Add(clock.ElapsedS), null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
        clock.AdvanceSeconds(3.5);
        Assert.Equal(new[] { 1.0, 2.0, 3.0 }, fired);
        timer.Dispose();
        clock.AdvanceSeconds(5);
        Assert.Equal(3, fired.Count);
    }

    [Fact]
    public void TimeCannotGoBackwards()
    {
        var clock = new ManualTimeProvider();
        Assert.Throws<ArgumentOutOfRangeException>(() => clock.Advance(TimeSpan.FromSeconds(-1)));
    }

    private sealed record Limits(double MaxTiltRad)
    {
        public void Validate() => Require.InRange(MaxTiltRad, 0, Math.PI / 2);
    }

    [Fact]
    public void ValidationNamesTheFieldAndValue()
    {
        var ex = Assert.Throws<ValidationException>(() => new Limits(2.5).Validate());
        Assert.Contains("MaxTiltRad = 2.5", ex.Message);
        var ex2 = Assert.Throws<ValidationException>(() => Require.Positive(double.NaN, "vehicle.massKg"));
        Assert.Equal("vehicle.massKg = NaN: must be a finite number > 0", ex2.Message);
    }
}
