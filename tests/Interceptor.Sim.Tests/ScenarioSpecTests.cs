using Interceptor.Core;

namespace Interceptor.Sim.Tests;

public class ScenarioSpecTests
{
    [Fact]
    public void Defaults_are_valid() => new ScenarioSpec().Validate();

    [Theory]
    [MemberData(nameof(BadSpecs))]
    public void Invalid_fields_are_named_with_their_value(ScenarioSpec spec, string expected)
    {
        var e = Assert.Throws<ValidationException>(() => spec.Validate());
        Assert.Contains(expected, e.Message);
    }

    public static TheoryData<ScenarioSpec, string> BadSpecs()
    {
        var s = new ScenarioSpec();
        return new TheoryData<ScenarioSpec, string>
        {
            { s with { Name = "" }, "Name = ''" },
            { s with { Interceptor = s.Interceptor with { Preset = "blimp" } }, "Interceptor.Preset = 'blimp'" },
            { s with { Interceptor = s.Interceptor with { MaxTiltDeg = 95 } }, "Interceptor.MaxTiltDeg = 95" },
            { s with { Interceptor = s.Interceptor with { ThrustToWeight = 1.2, MaxTiltDeg = 60 } }, "Interceptor.ThrustToWeight = 1.2" },
            { s with { Interceptor = s.Interceptor with { StartPosNedM = new(0, 0, 5) } }, "Interceptor.StartPosNedM" },
            { s with { Target = s.Target with { Kind = "balloon" } }, "Target.Kind = 'balloon'" },
            { s with { Target = s.Target with { WeaveAccelG = double.NaN } }, "Target.WeaveAccelG = NaN" },
            { s with { Target = s.Target with { RouteNedM = [new(3000, 0, -500)] } }, "Target.RouteNedM[0]" },
            { s with { Target = s.Target with { JinkIntervalMinS = 5, JinkIntervalMaxS = 2 } }, "Target.JinkIntervalMaxS = 2" },
            { s with { Seeker = s.Seeker with { FrameRateHz = 0 } }, "Seeker.FrameRateHz = 0" },
            { s with { Seeker = s.Seeker with { LatencyS = -0.1 } }, "Seeker.LatencyS = -0.1" },
            { s with { Cue = s.Cue with { RateHz = double.PositiveInfinity } }, "Cue.RateHz = Infinity" },
            { s with { Seeker = s.Seeker with { Enabled = false }, Cue = s.Cue with { Enabled = false } }, "at least one sensor" },
            { s with { Sim = s.Sim with { DtS = 0 } }, "Sim.DtS = 0" },
            { s with { Dispersions = s.Dispersions with { WeaveAccelG = new ValueRange(1.0, 0.6) } }, "Dispersions.WeaveAccelG.Max = 0.6" },
            { s with { Dispersions = s.Dispersions with { TargetStartOffsetNedM = new(-1, 0, 0) } }, "Dispersions.TargetStartOffsetNedM" },
            { s with { UnitCostUsd = -5 } , "UnitCostUsd = -5" },
        };
    }

    [Fact]
    public void Random_streams_are_reproducible_and_independent()
    {
        var a = SimRandom.ForStream(5, 2);
        var b = SimRandom.ForStream(5, 2);
        var c = SimRandom.ForStream(5, 3);
        int same = 0;
        double sum = 0, sum2 = 0;
        const int n = 50000;
        for (int i = 0; i < n; i++)
        {
            double x = a.NextGaussian();
            Assert.Equal(x, b.NextGaussian());
            if (x == c.NextGaussian()) same++;
            sum += x; sum2 += x * x;
        }
        Assert.Equal(0, same);
        Assert.Equal(0, sum / n, 0.02);
        Assert.Equal(1, sum2 / n, 0.03);
    }
}
