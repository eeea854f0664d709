using Interceptor.Core;
using Interceptor.Engagement;

namespace Interceptor.Engagement.Tests;

public class SafetyGateTests
{
    private static readonly BasicSafetyGate Gate = new(new SafetyGateConfig { AltitudeFloorM = 20, GeofenceRadiusM = 1000, RecoveryTimeConstantS = 1 });

    private static OwnVehicleState Own(double north = 0, double altM = 100, Vector3d? vel = null, double yaw = 0.5) =>
        new(1.0, new Vector3d(north, 0, -altM), vel ?? new Vector3d(10, 0, 0), yaw);

    [Fact]
    public void A_normal_command_passes_unchanged()
    {
        var sp = new VehicleSetpoint(new Vector3d(3, -4, 2), 1.2);
        var d = Gate.Check(Own(), sp);
        Assert.Equal(GateVerdict.Pass, d.Verdict);
        Assert.Equal(GateReasons.None, d.Reasons);
        Assert.Equal(sp, d.Setpoint);
    }

    [Theory]
    [InlineData(double.NaN, 0, 0, 0)]
    [InlineData(0, double.PositiveInfinity, 0, 0)]
    [InlineData(0, 0, double.NegativeInfinity, 0)]
    [InlineData(0, 0, 0, double.NaN)]
    public void Non_finite_commands_are_rejected_with_a_finite_brake_command(double ax, double ay, double az, double yaw)
    {
        var d = Gate.Check(Own(), new VehicleSetpoint(new Vector3d(ax, ay, az), yaw));
        Assert.Equal(GateVerdict.Rejected, d.Verdict);
        Assert.Equal(GateReasons.NonFinite, d.Reasons);
        Assert.Equal(new Vector3d(-10, 0, 0), d.Setpoint.AccelerationNedMs2); // brake: -v / tau
        Assert.Equal(0.5, d.Setpoint.YawRad);                                  // heading held
    }

    [Fact]
    public void Non_finite_own_state_is_rejected_with_zero_acceleration()
    {
        var own = new OwnVehicleState(1, new Vector3d(0, 0, -50), new Vector3d(double.NaN, 0, 0), double.NaN);
        var d = Gate.Check(own, new VehicleSetpoint(Vector3d.Zero, 0));
        Assert.Equal(GateVerdict.Rejected, d.Verdict);
        Assert.Equal(Vector3d.Zero, d.Setpoint.AccelerationNedMs2);
        Assert.Equal(0, d.Setpoint.YawRad);
    }

    [Fact]
    public void Leaving_the_geofence_is_rejected()
    {
        Assert.Equal(GateVerdict.Pass, Gate.Check(Own(north: 999.9), new VehicleSetpoint(Vector3d.Zero, 0)).Verdict);
        var d = Gate.Check(Own(north: 1000.1), new VehicleSetpoint(new Vector3d(5, 0, 0), 0));
        Assert.Equal(GateVerdict.Rejected, d.Verdict);
        Assert.Equal(GateReasons.Geofence, d.Reasons);
        Assert.Equal(-10, d.Setpoint.AccelerationNedMs2.North);
    }

    [Fact]
    public void Geofence_is_horizontal_about_its_centre()
    {
        var g = new BasicSafetyGate(new SafetyGateConfig { GeofenceCenterNedM = new(500, 500, -3000), GeofenceRadiusM = 100, AltitudeFloorM = 0 });
        var inside = new OwnVehicleState(0, new Vector3d(560, 580, -100), Vector3d.Zero, 0); // 100 m from centre horizontally
        Assert.Equal(GateVerdict.Pass, g.Check(inside, new VehicleSetpoint(Vector3d.Zero, 0)).Verdict);
        var outside = inside with { PosNedM = new Vector3d(561, 580, -100) };
        Assert.Equal(GateVerdict.Rejected, g.Check(outside, new VehicleSetpoint(Vector3d.Zero, 0)).Verdict);
    }

    [Fact]
    public void Altitude_floor_caps_the_descent_with_a_critically_damped_barrier()
    {
        // 30 m above a 20 m floor, sinking at 5 m/s: a_down <= h/tau^2 - 2 v_down/tau = 10 - 10 = 0.
        var own = Own(altM: 30, vel: new Vector3d(0, 0, 5));
        var d = Gate.Check(own, new VehicleSetpoint(new Vector3d(4, 0, 8), 0.1));
        Assert.Equal(GateVerdict.Modified, d.Verdict);
        Assert.Equal(GateReasons.AltitudeFloor, d.Reasons);
        Assert.Equal(new Vector3d(4, 0, 0), d.Setpoint.AccelerationNedMs2);
        Assert.Equal(0.1, d.Setpoint.YawRad);
        // Below the floor and level: it must climb (a_down <= -5 m/s^2 at 5 m under).
        var below = Gate.Check(Own(altM: 15, vel: Vector3d.Zero), new VehicleSetpoint(Vector3d.Zero, 0));
        Assert.Equal(-5, below.Setpoint.AccelerationNedMs2.Down, 12);
        // High above: a hard dive passes.
        Assert.Equal(GateVerdict.Pass, Gate.Check(Own(altM: 500, vel: new Vector3d(0, 0, 20)), new VehicleSetpoint(new Vector3d(0, 0, 9), 0)).Verdict);
    }

    [Fact]
    public void A_vehicle_following_the_gate_never_goes_below_the_floor()
    {
        // Point mass diving at the floor with a constant 20 m/s^2 downward request: the gated command stops it.
        var pos = new Vector3d(0, 0, -60);
        var vel = new Vector3d(0, 0, 15);
        double dt = 0.001, lowestAlt = double.MaxValue;
        for (int i = 0; i < 10000; i++)
        {
            var d = Gate.Check(new OwnVehicleState(i * dt, pos, vel, 0), new VehicleSetpoint(new Vector3d(0, 0, 20), 0));
            vel += d.Setpoint.AccelerationNedMs2 * dt;
            pos += vel * dt;
            lowestAlt = Math.Min(lowestAlt, -pos.Down);
        }
        Assert.True(lowestAlt >= 20 - 1e-2, $"lowest altitude {lowestAlt}");
    }

    [Fact]
    public void Config_is_validated_with_field_names()
    {
        var e = Assert.Throws<ValidationException>(() => new BasicSafetyGate(new SafetyGateConfig { GeofenceRadiusM = -1 }));
        Assert.Contains("SafetyGateConfig.GeofenceRadiusM = -1", e.Message);
        e = Assert.Throws<ValidationException>(() => new BasicSafetyGate(new SafetyGateConfig { AltitudeFloorM = double.NaN }));
        Assert.Contains("SafetyGateConfig.AltitudeFloorM = NaN", e.Message);
    }
}
