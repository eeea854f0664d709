using Interceptor.Core;
using Interceptor.Guidance;

namespace Interceptor.Guidance.Tests;

public class RegistryAndConfigTests
{
    [Fact]
    public void Every_name_creates_a_law_of_that_name_and_has_a_description()
    {
        Assert.Equal(["pursuit", "lead", "ppn", "tpn", "apn", "zem", "zem-full"], GuidanceLaws.Names);
        foreach (var name in GuidanceLaws.Names)
        {
            Assert.Equal(name, GuidanceLaws.Create(name).Name);
            Assert.False(string.IsNullOrWhiteSpace(GuidanceLaws.Describe(name)));
            Assert.True(GuidanceLaws.IsKnown(name));
        }
        Assert.Equal("tpn", GuidanceLaws.Create(" TPN ").Name);
        Assert.Contains(GuidanceLaws.DefaultName, GuidanceLaws.Names);
    }

    [Fact]
    public void Unknown_law_names_the_law_and_lists_the_valid_ones()
    {
        var ex = Assert.Throws<ValidationException>(() => GuidanceLaws.Create("proportional"));
        Assert.Contains("'proportional'", ex.Message);
        foreach (var name in GuidanceLaws.Names) Assert.Contains(name, ex.Message);
        Assert.False(GuidanceLaws.IsKnown("proportional"));
        Assert.False(GuidanceLaws.IsKnown(null));
        Assert.Throws<ValidationException>(() => GuidanceLaws.Describe("x"));
    }

    [Theory]
    [InlineData("NavigationConstant", -1.0, "GuidanceConfig.NavigationConstant = -1")]
    [InlineData("NavigationConstant", double.NaN, "GuidanceConfig.NavigationConstant = NaN")]
    [InlineData("MinTimeToGoS", 0.0, "GuidanceConfig.MinTimeToGoS = 0")]
    [InlineData("MaxTimeToGoS", 0.05, "GuidanceConfig.MaxTimeToGoS = 0.05: must be greater than MinTimeToGoS = 0.1")]
    [InlineData("MaxSpeedMs", double.PositiveInfinity, "GuidanceConfig.MaxSpeedMs = Infinity")]
    [InlineData("VelocityTimeConstantS", -0.5, "GuidanceConfig.VelocityTimeConstantS = -0.5")]
    [InlineData("MinRangeM", -1.0, "GuidanceConfig.MinRangeM = -1")]
    public void Bad_config_names_field_and_value(string field, double value, string expected)
    {
        var cfg = field switch
        {
            "NavigationConstant" => new GuidanceConfig { NavigationConstant = value },
            "MinTimeToGoS" => new GuidanceConfig { MinTimeToGoS = value },
            "MaxTimeToGoS" => new GuidanceConfig { MaxTimeToGoS = value },
            "MaxSpeedMs" => new GuidanceConfig { MaxSpeedMs = value },
            "VelocityTimeConstantS" => new GuidanceConfig { VelocityTimeConstantS = value },
            _ => new GuidanceConfig { MinRangeM = value },
        };
        var ex = Assert.Throws<ValidationException>(() => GuidanceLaws.Create("zem", cfg));
        Assert.StartsWith(expected, ex.Message);
        Assert.Throws<ValidationException>(() => new TruePnLaw(cfg));
    }

    [Fact]
    public void Undefined_time_to_go_method_is_rejected()
    {
        var ex = Assert.Throws<ValidationException>(() => new GuidanceConfig { TimeToGo = (TimeToGoMethod)42 }.Validate());
        Assert.StartsWith("GuidanceConfig.TimeToGo = 42", ex.Message);
    }

    [Theory]
    [InlineData(0.0, 0.5, 2.0, 0.5, 0.1, "VehicleLimits.MaxSpeedMs = 0")]
    [InlineData(12.0, 1.6, 2.0, 0.5, 0.1, "VehicleLimits.MaxTiltRad = 1.6")]
    [InlineData(12.0, 0.5, 1.0, 0.5, 0.1, "VehicleLimits.ThrustToWeight = 1: must be > 1 to hover")]
    [InlineData(12.0, 0.5, 2.0, 1.5, 0.1, "VehicleLimits.HoverThrust = 1.5")]
    [InlineData(12.0, 0.5, 2.0, 0.5, 1.0, "VehicleLimits.MinThrustToWeight = 1: must be < 1 to descend")]
    [InlineData(12.0, 0.5, 2.0, 0.5, -0.1, "VehicleLimits.MinThrustToWeight = -0.1")]
    public void Bad_vehicle_limits_name_field_and_value(double vmax, double tilt, double tw, double hover, double minTw, string expected)
    {
        var ex = Assert.Throws<ValidationException>(() => new MultirotorCommandShaper(new VehicleLimits(vmax, tilt, tw, hover, minTw)));
        Assert.StartsWith(expected, ex.Message);
    }

    [Fact]
    public void Bad_shaper_config_names_field_and_value()
    {
        var ex = Assert.Throws<ValidationException>(() => new MultirotorCommandShaper(VehicleLimits.X500, new ShaperConfig(VelocityFeedForwardS: 0)));
        Assert.StartsWith("ShaperConfig.VelocityFeedForwardS = 0", ex.Message);
    }

    [Fact]
    public void Config_for_vehicle_takes_its_top_speed()
    {
        Assert.Equal(80, GuidanceConfig.ForVehicle(VehicleLimits.FastInterceptor).MaxSpeedMs);
        var tuned = GuidanceConfig.Default with { NavigationConstant = 4 };
        var c = GuidanceConfig.ForVehicle(VehicleLimits.X500, tuned);
        Assert.Equal((12.0, 4.0), (c.MaxSpeedMs, c.NavigationConstant));
    }
}
