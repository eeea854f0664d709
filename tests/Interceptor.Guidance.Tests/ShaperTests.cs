using Interceptor.Core;
using Interceptor.Guidance;

namespace Interceptor.Guidance.Tests;

public class ShaperTests
{
    private const double G = VehicleLimits.GravityMs2;
    private static readonly MultirotorCommandShaper X500 = new(VehicleLimits.X500);

    private static void AssertVec(Vector3d expected, Vector3d actual, double tol = 1e-9) =>
        Assert.True((expected - actual).Length <= tol * Math.Max(1, expected.Length), $"expected {expected}, got {actual}");

    private static double TiltRad(Vector3d f) => Math.Atan2(f.HorizontalLength, -f.Z);

    [Fact]
    public void Hover_gives_hover_thrust_and_level_attitude()
    {
        var c = X500.Shape(Vector3d.Zero, Vector3d.Zero, new Vector3d(100, 0, 0));
        Assert.Equal(0.5, c.NormalizedThrust, 15);
        AssertVec(new Vector3d(0, 0, -G), c.SpecificForceNed, 1e-15);
        AssertVec(Vector3d.Zero, c.AccelerationNed, 1e-15);
        AssertVec(Vector3d.Zero, c.VelocitySetpointNed, 1e-15);
        Assert.Equal(Quaterniond.Identity, c.AttitudeNed);
        Assert.Equal(0, c.YawRad);
        Assert.Equal(ShapingLimits.None, c.Limits);
    }

    [Fact]
    public void Yaw_points_the_camera_at_the_target_and_attitude_keeps_it()
    {
        var c = X500.Shape(Vector3d.Zero, Vector3d.Zero, new Vector3d(-50, 50, 0));
        Assert.Equal(0.75 * Math.PI, c.YawRad, 12);
        var (roll, pitch, yaw) = c.AttitudeNed.ToEuler();
        Assert.Equal(0, roll, 12);
        Assert.Equal(0, pitch, 12);
        Assert.Equal(0.75 * Math.PI, yaw, 12);
        Assert.Equal(0, c.CameraLosElevationRad, 12);
        // Straight overhead: no horizontal LOS, the fallback yaw is kept; target 90 deg above the camera.
        var up = X500.Shape(Vector3d.Zero, Vector3d.Zero, new Vector3d(0, 0, -30), fallbackYawRad: 1.0);
        Assert.Equal(1.0, up.YawRad, 15);
        Assert.Equal(Math.PI / 2, up.LosElevationRad, 15);
        Assert.Equal(1.0, up.AttitudeNed.ToEuler().YawRad, 12);
    }

    [Fact]
    public void Tilt_limit_is_respected_exactly_with_vertical_priority()
    {
        // 50 m/s^2 north at 45 deg tilt and hold altitude: lateral = g tan 45 = g.
        var c = X500.Shape(new Vector3d(50, 0, 0), Vector3d.Zero, new Vector3d(100, 0, 0));
        AssertVec(new Vector3d(G, 0, 0), c.AccelerationNed, 1e-14);
        AssertVec(new Vector3d(G, 0, -G), c.SpecificForceNed, 1e-14);
        Assert.True(TiltRad(c.SpecificForceNed) <= VehicleLimits.X500.MaxTiltRad + 1e-15);
        Assert.Equal(ShapingLimits.Tilt, c.Limits);
        Assert.Equal(0.5 * Math.Sqrt(2), c.NormalizedThrust, 14);
        // Nose down 45 deg (FRD pitch -45), camera sees the level target 45 deg above its boresight.
        var (roll, pitch, _) = c.AttitudeNed.ToEuler();
        Assert.Equal(0, roll, 12);
        Assert.Equal(-Math.PI / 4, pitch, 12);
        Assert.Equal(Math.PI / 4, c.CameraLosElevationRad, 12);
        // Body -z axis (thrust direction) along the specific force.
        AssertVec(c.SpecificForceNed / c.SpecificForceNed.Length, c.AttitudeNed.Rotate(new Vector3d(0, 0, -1)), 1e-12);
    }

    [Fact]
    public void Total_thrust_limit_cuts_lateral_when_tilt_allows_more()
    {
        // T/W 2, tilt up to 80 deg: holding weight leaves sqrt(4 - 1) g laterally.
        var shaper = new MultirotorCommandShaper(new VehicleLimits(30, 80 * Angles.DegToRad, 2, 0.5));
        var c = shaper.Shape(new Vector3d(0, -40, 0), Vector3d.Zero, new Vector3d(1, 0, 0));
        AssertVec(new Vector3d(0, -Math.Sqrt(3) * G, 0), c.AccelerationNed, 1e-14);
        Assert.Equal(2 * G, c.SpecificForceNed.Length, 12);
        Assert.Equal(1.0, c.NormalizedThrust, 12);
        Assert.Equal(ShapingLimits.Thrust, c.Limits);
    }

    [Fact]
    public void Vertical_is_clamped_to_the_thrust_range_and_takes_priority()
    {
        // Climb 30 m/s^2 at T/W 2: only g more than weight; then nothing is left for lateral.
        var climb = X500.Shape(new Vector3d(5, 0, -30), Vector3d.Zero, new Vector3d(1, 0, 0));
        AssertVec(new Vector3d(0, 0, -G), climb.AccelerationNed, 1e-14);
        Assert.Equal(ShapingLimits.Vertical | ShapingLimits.Thrust, climb.Limits);
        // Dive 20 m/s^2: thrust floors at 0.1 g, so at most 0.9 g downwards.
        var dive = X500.Shape(new Vector3d(0, 0, 20), Vector3d.Zero, new Vector3d(1, 0, 0));
        AssertVec(new Vector3d(0, 0, 0.9 * G), dive.AccelerationNed, 1e-14);
        Assert.Equal(0.05, dive.NormalizedThrust, 14);
        Assert.Equal(ShapingLimits.Vertical, dive.Limits);
    }

    [Fact]
    public void Speed_limit_blocks_speeding_up_but_allows_braking_and_turning()
    {
        var atMax = new Vector3d(12, 0, 0);
        var c = X500.Shape(new Vector3d(5, 3, 0), atMax, new Vector3d(100, 0, 0));
        AssertVec(new Vector3d(0, 3, 0), c.AccelerationNed, 1e-14);
        Assert.Equal(ShapingLimits.Speed, c.Limits);
        var brake = X500.Shape(new Vector3d(-5, 0, 0), atMax, new Vector3d(100, 0, 0));
        AssertVec(new Vector3d(-5, 0, 0), brake.AccelerationNed, 1e-14);
        Assert.Equal(ShapingLimits.None, brake.Limits);
        // Overspeed by 1 m/s: along-velocity accel capped at (12 - 13) / 0.5 = -2.
        var over = X500.Shape(Vector3d.Zero, new Vector3d(13, 0, 0), new Vector3d(100, 0, 0));
        AssertVec(new Vector3d(-2, 0, 0), over.AccelerationNed, 1e-14);
        // Below the limit: at most (12 - 10) / 0.5 = 4 more.
        var below = X500.Shape(new Vector3d(6, 0, 0), new Vector3d(10, 0, 0), new Vector3d(100, 0, 0));
        AssertVec(new Vector3d(4, 0, 0), below.AccelerationNed, 1e-14);
    }

    [Fact]
    public void Velocity_setpoint_is_feed_forward_and_capped_at_max_speed()
    {
        var c = X500.Shape(new Vector3d(0, 4, 0), new Vector3d(6, 0, 0), new Vector3d(100, 0, 0));
        AssertVec(new Vector3d(6, 2, 0), c.VelocitySetpointNed, 1e-14); // + a * 0.5 s
        var fast = X500.Shape(new Vector3d(0, 9, 0), new Vector3d(12, 0, 0), new Vector3d(100, 0, 0));
        Assert.Equal(12, fast.VelocitySetpointNed.Length, 12);
    }

    [Fact]
    public void Non_finite_inputs_are_replaced_and_flagged()
    {
        var c = X500.Shape(new Vector3d(double.NaN, 0, 0), new Vector3d(0, double.PositiveInfinity, 0),
            new Vector3d(double.NaN, 1, 1), double.NaN);
        Assert.Equal(ShapingLimits.InvalidInput, c.Limits);
        Assert.Equal(0.5, c.NormalizedThrust, 15);
        Assert.Equal(Quaterniond.Identity, c.AttitudeNed);
        Assert.True(c.AccelerationNed.IsFinite && c.VelocitySetpointNed.IsFinite && double.IsFinite(c.YawRad));
    }

    [Fact]
    public void Shaping_a_state_uses_its_own_velocity_and_LOS()
    {
        var s = EngagementState.FromRelative(new Vector3d(0, 100, -100), new Vector3d(-3, -3, 0), new Vector3d(12, 0, 0));
        var viaState = X500.Shape(new Vector3d(5, 3, 0), s, 0.3);
        var explicitArgs = X500.Shape(new Vector3d(5, 3, 0), s.OwnVelNed, s.RelPosNed, 0.3);
        Assert.Equal(explicitArgs, viaState);
        Assert.Equal(Math.PI / 2, viaState.YawRad, 15);
        Assert.Equal(Math.PI / 4, viaState.LosElevationRad, 15);
    }
}
