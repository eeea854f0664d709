using Interceptor.Core;

namespace Interceptor.Core.Tests;

public class VectorQuaternionTests
{
    private const double Tol = 1e-12;

    private static void Near(Vector3d expected, Vector3d actual, double tol = Tol)
    {
        Assert.True((expected - actual).Length <= tol, $"expected {expected}, got {actual}");
    }

    [Fact]
    public void CrossAndDotFollowTheRightHandRule()
    {
        Assert.Equal(Vector3d.UnitZ, Vector3d.Cross(Vector3d.UnitX, Vector3d.UnitY));
        Assert.Equal(0.0, Vector3d.Dot(Vector3d.UnitX, Vector3d.UnitY));
        Assert.Equal(32.0, Vector3d.Dot(new(1, 2, 3), new(4, 5, 6)));
        Assert.Equal(5.0, new Vector3d(3, 4, 0).Length);
    }

    [Fact]
    public void NormalizedOrFallsBackOnZeroAndNaN()
    {
        Assert.Equal(Vector3d.UnitX, Vector3d.Zero.NormalizedOr(Vector3d.UnitX));
        Assert.Equal(Vector3d.UnitY, new Vector3d(double.NaN, 0, 0).NormalizedOr(Vector3d.UnitY));
        Near(new(0.6, 0.8, 0), new Vector3d(3, 4, 0).NormalizedOr(Vector3d.UnitX));
    }

    [Fact]
    public void ClampLengthKeepsDirection()
    {
        Near(new(3, 4, 0), new Vector3d(6, 8, 0).ClampLength(5));
        Assert.Equal(new Vector3d(1, 0, 0), new Vector3d(1, 0, 0).ClampLength(5));
    }

    [Fact]
    public void YawOf90DegreesTurnsNorthIntoEast()
    {
        var q = Quaterniond.FromEuler(0, 0, Math.PI / 2);
        Near(new(0, 1, 0), q.Rotate(new(1, 0, 0)));
        Near(new(1, 0, 0), q.RotateInverse(new(0, 1, 0)));
    }

    [Fact]
    public void PitchUpTiltsTheNoseAboveTheHorizon()
    {
        // Body x (nose) pitched up by 30 deg points north and up (negative down).
        var q = Quaterniond.FromEuler(0, Angles.ToRad(30), 0);
        Near(new(Math.Cos(Math.PI / 6), 0, -0.5), q.Rotate(Vector3d.UnitX));
    }

    [Fact]
    public void RollRightPutsTheRightWingDown()
    {
        var q = Quaterniond.FromEuler(Angles.ToRad(90), 0, 0);
        Near(new(0, 0, 1), q.Rotate(Vector3d.UnitY));
    }

    [Theory]
    [InlineData(0.1, -0.2, 0.3)]
    [InlineData(-1.2, 1.0, -3.0)]
    [InlineData(0.0, 1.5, 2.9)]
    public void EulerRoundTrips(double roll, double pitch, double yaw)
    {
        var (r, p, y) = Quaterniond.FromEuler(roll, pitch, yaw).ToEuler();
        Assert.Equal(roll, r, 12);
        Assert.Equal(pitch, p, 12);
        Assert.Equal(Angles.WrapPi(yaw), y, 12);
    }

    [Fact]
    public void QuaternionProductComposesRotations()
    {
        var a = Quaterniond.FromEuler(0.2, -0.1, 0.7);
        var b = Quaterniond.FromEuler(-0.4, 0.3, -1.1);
        var v = new Vector3d(1.5, -2, 0.25);
        Near(a.Rotate(b.Rotate(v)), (a * b).Rotate(v));
    }

    [Fact]
    public void FromTwoVectorsMapsFromOntoTo()
    {
        var from = new Vector3d(1, 2, 3).NormalizedOr(Vector3d.UnitX);
        var to = new Vector3d(-2, 0.5, 1).NormalizedOr(Vector3d.UnitX);
        Near(to, Quaterniond.FromTwoVectors(from, to).Rotate(from));
        // Antiparallel: any 180 deg rotation that maps from onto -from.
        Near(-from, Quaterniond.FromTwoVectors(from, -from).Rotate(from));
    }

    [Fact]
    public void ForwardCameraOpticalAxisIsBodyForward()
    {
        var camToBody = Frames.CameraToBody();
        Near(Vector3d.UnitX, Frames.CameraToBody(camToBody, Vector3d.UnitZ));   // optical axis -> nose
        Near(Vector3d.UnitY, Frames.CameraToBody(camToBody, Vector3d.UnitX));   // image right -> right
        Near(Vector3d.UnitZ, Frames.CameraToBody(camToBody, Vector3d.UnitY));   // image down -> down
        // A camera pitched up by 20 deg looks above the nose.
        var up = Frames.CameraToBody(Angles.ToRad(20));
        Near(new(Math.Cos(Angles.ToRad(20)), 0, -Math.Sin(Angles.ToRad(20))), Frames.CameraToBody(up, Vector3d.UnitZ));
    }

    [Theory]
    [InlineData(3 * Math.PI, -Math.PI)]
    [InlineData(-3 * Math.PI / 2, Math.PI / 2)]
    [InlineData(0.5, 0.5)]
    [InlineData(Math.PI, -Math.PI)]
    public void WrapPiIsHalfOpen(double input, double expected) => Assert.Equal(expected, Angles.WrapPi(input), 12);

    [Fact]
    public void AngleBetweenVectors()
    {
        Assert.Equal(Math.PI / 2, Angles.Between(Vector3d.UnitX, Vector3d.UnitZ), 12);
        Assert.Equal(Math.PI, Angles.Between(Vector3d.UnitX, -Vector3d.UnitX), 12);
    }
}
