using Interceptor.Core;
using Interceptor.Engagement;
using Interceptor.Estimation;
using Interceptor.Guidance;

namespace Interceptor.Engagement.Tests;

public class InterceptPipelineTests
{
    /// <summary>Estimator returning a fixed target state (or none).</summary>
    private sealed class FixedEstimator : ITargetEstimator
    {
        public TargetEstimate? Estimate { get; set; }
        public int Cues, Bearings, Resets;
        public void AddPositionCue(double timeS, Vector3d targetPosNed, double sigmaM) => Cues++;
        public void AddBearing(double timeS, Vector3d ownPosNed, Vector3d losUnitNed, double sigmaRad) => Bearings++;
        public bool TryGetEstimate(double timeS, out TargetEstimate estimate)
        {
            estimate = Estimate ?? default;
            return Estimate is not null;
        }
        public void Reset() { Resets++; Estimate = null; }
    }

    /// <summary>Law that returns a fixed command and remembers the state it saw.</summary>
    private sealed class FixedLaw(Vector3d cmd) : IGuidanceLaw
    {
        public EngagementState Seen;
        public string Name => "fixed";
        public Vector3d AccelerationCommandNed(in EngagementState state) { Seen = state; return cmd; }
    }

    private static (InterceptPipeline P, FixedEstimator E, FixedLaw L) Make(Vector3d cmd, double floorM = 20, double fenceM = 5000)
    {
        var e = new FixedEstimator();
        var l = new FixedLaw(cmd);
        var p = new InterceptPipeline(e, l, new MultirotorCommandShaper(VehicleLimits.FastInterceptor),
            new BasicSafetyGate(new SafetyGateConfig { AltitudeFloorM = floorM, GeofenceRadiusM = fenceM }));
        return (p, e, l);
    }

    private static readonly OwnVehicleState Own = new(2.0, new Vector3d(0, 0, -100), new Vector3d(10, 0, 0), 0);

    [Fact]
    public void Without_a_track_it_brakes_to_hover_through_the_gate()
    {
        var (p, _, _) = Make(new Vector3d(1, 2, 3));
        var o = p.Step(Own);
        Assert.Equal(PipelineMode.NoTrack, o.Mode);
        Assert.Equal(new Vector3d(-10, 0, 0), o.Setpoint.AccelerationNedMs2); // -v / 1 s
        Assert.Equal(0, o.Setpoint.YawRad);
        Assert.Equal(GateVerdict.Pass, o.Gate.Verdict);
    }

    [Fact]
    public void With_a_track_the_law_sees_the_relative_state_and_the_shaped_command_is_sent()
    {
        var (p, e, l) = Make(new Vector3d(0, 5, 0));
        e.Estimate = new TargetEstimate(2.0, new Vector3d(300, 400, -100), new Vector3d(-40, 0, 0), new Vector3d(0, 3, 0), true, 2);
        var o = p.Step(Own);
        Assert.Equal(PipelineMode.Guiding, o.Mode);
        Assert.Equal(new Vector3d(300, 400, 0), l.Seen.RelPosNed);
        Assert.Equal(new Vector3d(-50, 0, 0), l.Seen.RelVelNed);
        Assert.Equal(Own.VelNedMs, l.Seen.OwnVelNed);
        Assert.True(l.Seen.TargetAccKnown);
        Assert.Equal(new Vector3d(0, 3, 0), l.Seen.TargetAccNed);
        Assert.Equal(new Vector3d(0, 5, 0), o.LawAccelNedMs2);
        Assert.Equal(o.Shaped.AccelerationNed, o.Setpoint.AccelerationNedMs2);
        Assert.Equal(Math.Atan2(400, 300), o.Setpoint.YawRad, 12);            // camera yawed onto the target
    }

    [Fact]
    public void Shaper_limits_apply_before_the_gate()
    {
        var (p, e, _) = Make(new Vector3d(500, 0, 0));
        e.Estimate = new TargetEstimate(2.0, new Vector3d(1000, 0, -100), Vector3d.Zero, Vector3d.Zero, false, 2);
        var o = p.Step(Own);
        var f = o.Shaped.SpecificForceNed;
        Assert.True(Math.Atan2(f.HorizontalLength, -f.Down) <= VehicleLimits.FastInterceptor.MaxTiltRad + 1e-12);
        Assert.True(f.Length <= VehicleLimits.FastInterceptor.MaxSpecificForceMs2 + 1e-9);
    }

    [Fact]
    public void Gate_rejection_latches_abort_until_reset()
    {
        var (p, e, _) = Make(new Vector3d(1, 0, 0), fenceM: 50);
        e.Estimate = new TargetEstimate(2.0, new Vector3d(1000, 0, -100), Vector3d.Zero, Vector3d.Zero, false, 2);
        var outside = Own with { PosNedM = new Vector3d(60, 0, -100) };
        var o = p.Step(outside);
        Assert.Equal(PipelineMode.Aborted, o.Mode);
        Assert.Equal(GateVerdict.Rejected, o.Gate.Verdict);
        Assert.True(p.IsAborted);
        // Back inside the fence it stays aborted (braking) until an explicit reset.
        var again = p.Step(Own);
        Assert.Equal(PipelineMode.Aborted, again.Mode);
        Assert.Equal(new Vector3d(-10, 0, 0), again.Setpoint.AccelerationNedMs2);
        p.Reset();
        Assert.False(p.IsAborted);
        Assert.Equal(1, e.Resets);
    }

    [Fact]
    public void Non_finite_estimate_is_treated_as_no_track()
    {
        var (p, e, _) = Make(new Vector3d(1, 0, 0));
        e.Estimate = new TargetEstimate(2.0, new Vector3d(double.NaN, 0, 0), Vector3d.Zero, Vector3d.Zero, false, 2);
        var o = p.Step(Own);
        Assert.Equal(PipelineMode.NoTrack, o.Mode);
        Assert.True(o.Setpoint.AccelerationNedMs2.IsFinite);
    }

    [Fact]
    public void Non_finite_law_output_is_caught_before_the_autopilot()
    {
        var (p, e, _) = Make(new Vector3d(double.NaN, 0, 0));
        e.Estimate = new TargetEstimate(2.0, new Vector3d(1000, 0, -100), Vector3d.Zero, Vector3d.Zero, false, 2);
        var o = p.Step(Own);
        Assert.True(o.Setpoint.AccelerationNedMs2.IsFinite);
        Assert.True(double.IsFinite(o.Setpoint.YawRad));
    }

    [Fact]
    public void Measurements_are_forwarded_to_the_estimator()
    {
        var (p, e, _) = Make(Vector3d.Zero);
        p.AddPositionCue(1, new Vector3d(1, 2, 3), 5);
        p.AddBearing(1.1, Vector3d.Zero, Vector3d.UnitX, 1e-3);
        p.AddBearing(1.2, Vector3d.Zero, Vector3d.UnitX, 1e-3);
        Assert.Equal(1, e.Cues);
        Assert.Equal(2, e.Bearings);
    }

    [Fact]
    public void Real_estimator_law_and_shaper_close_on_a_target_ahead()
    {
        var est = new TargetEstimator();
        var p = new InterceptPipeline(est, GuidanceLaws.Create(GuidanceLaws.DefaultName, GuidanceConfig.ForVehicle(VehicleLimits.FastInterceptor)),
            new MultirotorCommandShaper(VehicleLimits.FastInterceptor), new BasicSafetyGate());
        var own = new OwnVehicleState(0, new Vector3d(0, 0, -100), Vector3d.Zero, 0);
        p.AddPositionCue(0, new Vector3d(800, 0, -100), 3);
        var o = p.Step(own);
        Assert.Equal(PipelineMode.Guiding, o.Mode);
        Assert.True(o.Setpoint.AccelerationNedMs2.North > 1, $"command {o.Setpoint.AccelerationNedMs2}"); // accelerates towards it
        Assert.Equal(0, o.Setpoint.YawRad, 9);
    }
}

public class CameraFovKeepingTests
{
    private sealed class Fixed(TargetEstimate e) : ITargetEstimator
    {
        public void AddPositionCue(double timeS, Vector3d targetPosNed, double sigmaM) { }
        public void AddBearing(double timeS, Vector3d ownPosNed, Vector3d losUnitNed, double sigmaRad) { }
        public bool TryGetEstimate(double timeS, out TargetEstimate estimate) { estimate = e; return true; }
        public void Reset() { }
    }

    private sealed class Const(Vector3d a) : IGuidanceLaw
    {
        public string Name => "const";
        public Vector3d AccelerationCommandNed(in EngagementState state) => a;
    }

    private static readonly CameraFovConstraint Fov = new(Angles.ToRad(35), Angles.ToRad(30), Angles.ToRad(24), Angles.ToRad(4));

    private static InterceptPipeline Make(Vector3d cmd, Vector3d targetPos, CameraFovConstraint? fov) =>
        new(new Fixed(new TargetEstimate(0, targetPos, Vector3d.Zero, Vector3d.Zero, false, 1)), new Const(cmd),
            new MultirotorCommandShaper(VehicleLimits.FastInterceptor), new BasicSafetyGate(), new PipelineConfig { CameraFov = fov });

    /// <summary>Image coordinates (az, el) of the LOS for a shaped command, as a body-fixed camera sees it.</summary>
    private static (double Az, double El) Image(in PipelineOutput o, Vector3d los)
    {
        var cam = Frames.BodyToCamera(Frames.CameraToBody(Fov.MountPitchRad), o.Shaped.AttitudeNed.RotateInverse(los));
        return (Math.Atan2(cam.X, cam.Z), Math.Atan2(cam.Y, cam.Z));
    }

    private static readonly OwnVehicleState Own = new(0, new Vector3d(0, 0, -300), new Vector3d(60, 0, 0), 0);

    [Fact]
    public void Hard_forward_acceleration_is_cut_so_the_target_stays_below_the_upper_image_edge()
    {
        var target = new Vector3d(1000, 0, -300); // level with the interceptor, straight ahead
        var cmd = new Vector3d(40, 0, 0);        // would pitch the nose ~70 deg down: boresight 35 deg below the target
        var free = Make(cmd, target, null).Step(Own);
        Assert.True(Image(free, target - Own.PosNedM).El < -Angles.ToRad(24), "without the constraint the target leaves the top of the image");
        var kept = Make(cmd, target, Fov).Step(Own);
        var (az, el) = Image(kept, target - Own.PosNedM);
        Assert.InRange(el, -Angles.ToRad(20) - 1e-3, -Angles.ToRad(20) + Angles.ToRad(0.5)); // on the margin, not beyond
        Assert.Equal(0, az, 6);
        Assert.True(kept.Setpoint.AccelerationNedMs2.North > 0 && kept.Setpoint.AccelerationNedMs2.North < free.Setpoint.AccelerationNedMs2.North);
    }

    [Fact]
    public void Across_los_command_is_never_cut()
    {
        var target = new Vector3d(1000, 0, -300);
        var kept = Make(new Vector3d(40, 6, 0), target, Fov).Step(Own);
        Assert.Equal(6, kept.Setpoint.AccelerationNedMs2.East, 9);
    }

    [Fact]
    public void Hard_lateral_manoeuvre_gets_enough_nose_down_to_keep_the_target_in_view()
    {
        // Level target ahead, command purely sideways: a 70 deg roll leaves the uptilted camera's boresight 35 deg
        // above a level target whatever the heading; a forward component (nose down) brings it back into view.
        var target = new Vector3d(800, 0, -300);
        var cmd = new Vector3d(0, 30, 0);
        var free = Make(cmd, target, null).Step(Own);
        var (az0, el0) = Image(free, target - Own.PosNedM);
        Assert.True(Math.Max(Math.Abs(az0) / Fov.HalfHorizontalFovRad, Math.Abs(el0) / Fov.HalfVerticalFovRad) > 1, "on the LOS heading the target is out of view");
        var kept = Make(cmd, target, Fov).Step(Own);
        var (az, el) = Image(kept, target - Own.PosNedM);
        Assert.True(Math.Abs(az) < Fov.HalfHorizontalFovRad && Math.Abs(el) < Fov.HalfVerticalFovRad, $"image ({az}, {el}) rad");
        Assert.True(kept.Setpoint.AccelerationNedMs2.North > 0.5, $"forward {kept.Setpoint.AccelerationNedMs2.North}");
        Assert.True(kept.Setpoint.AccelerationNedMs2.East > 10);                          // still manoeuvring hard sideways
    }

    [Fact]
    public void Target_comfortably_in_view_keeps_the_los_heading()
    {
        var target = new Vector3d(1000, 200, -300);
        var kept = Make(new Vector3d(2, 0, 0), target with { Z = -700 }, Fov).Step(Own);
        Assert.Equal(Math.Atan2(200, 1000), kept.Setpoint.YawRad, 9);
    }
}
