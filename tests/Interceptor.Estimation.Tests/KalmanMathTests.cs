using Interceptor.Core;
using Interceptor.Estimation;

namespace Interceptor.Estimation.Tests;

public class KalmanMathTests
{
    private const int N = Linalg.N;

    /// <summary>Per axis k: position/velocity covariance [[pp, pv], [pv, vv]], everything else zero.</summary>
    private static GaussianState PerAxis(double pp, double pv, double vv)
    {
        var s = new GaussianState();
        for (int k = 0; k < 3; k++)
        {
            s.P[k * N + k] = pp;
            s.P[k * N + 3 + k] = pv;
            s.P[(3 + k) * N + k] = pv;
            s.P[(3 + k) * N + 3 + k] = vv;
        }
        return s;
    }

    [Fact]
    public void Position_update_matches_hand_computed_gain_state_and_covariance()
    {
        // Per axis P = [[4, 2], [2, 3]], R = 1: S = 5, K = [4/5, 2/5],
        // P+ = [[4 - 16/5, 2 - 8/5], [., 3 - 4/5]] = [[0.8, 0.4], [0.4, 2.2]].
        var s = PerAxis(4, 2, 3);
        var z = new Vector3d(1, 2, -3);
        Assert.True(Kalman.UpdatePosition(ref s, z, Covariance3.Isotropic(1), out double nis));

        Assert.Equal((1 + 4 + 9) / 5.0, nis, 12);
        Assert.Equal(z * 0.8, s.PosNed);
        Assert.Equal(z.X * 0.4, s.VelNed.X, 12);
        Assert.Equal(z.Y * 0.4, s.VelNed.Y, 12);
        Assert.Equal(z.Z * 0.4, s.VelNed.Z, 12);
        for (int k = 0; k < 3; k++)
        {
            Assert.Equal(0.8, s.P[k * N + k], 12);
            Assert.Equal(0.4, s.P[k * N + 3 + k], 12);
            Assert.Equal(0.4, s.P[(3 + k) * N + k], 12);
            Assert.Equal(2.2, s.P[(3 + k) * N + 3 + k], 12);
        }
        // Axes stay uncorrelated; acceleration untouched.
        Assert.Equal(0, s.P[0 * N + 1]);
        Assert.Equal(0, s.P[6 * N + 6]);
    }

    [Fact]
    public void Position_update_with_correlated_cue_covariance_matches_closed_form()
    {
        // Position prior 2 I (no velocity coupling), R = [[1, .5, 0], [.5, 1, 0], [0, 0, 2]].
        // S = P + R; K_pos = P S^-1. Per the 2x2 NE block: S = [[3, .5], [.5, 3]], S^-1 = [[3, -.5], [-.5, 3]] / 8.75.
        var s = new GaussianState();
        for (int k = 0; k < 3; k++) s.P[k * N + k] = 2;
        var r = new Covariance3(1, 1, 2, 0.5, 0, 0);
        var z = new Vector3d(3.5, 0, 4);
        Assert.True(Kalman.UpdatePosition(ref s, z, r, out double nis));
        // x_N = 2 (3 * 3.5) / 8.75 = 2.4, x_E = 2 (-.5 * 3.5) / 8.75 = -0.4, x_D = 2/4 * 4 = 2.
        Assert.Equal(2.4, s.PosNed.X, 12);
        Assert.Equal(-0.4, s.PosNed.Y, 12);
        Assert.Equal(2.0, s.PosNed.Z, 12);
        // NIS = y^T S^-1 y = (3 * 3.5^2) / 8.75 + 4^2 / 4 = 4.2 + 4.
        Assert.Equal(8.2, nis, 12);
        // P+ = P - P S^-1 P: NN = 2 - 4 * 3 / 8.75.
        Assert.Equal(2 - 12 / 8.75, s.P[0], 12);
        Assert.Equal(4 * 0.5 / 8.75, s.P[1], 12);
        Assert.Equal(1.0, s.P[2 * N + 2], 12);
    }

    [Fact]
    public void Cv_prediction_matches_closed_form_transition_and_white_acceleration_noise()
    {
        var s = PerAxis(4, 2, 3);
        Linalg.SetBlock(ref s.X, 0, new Vector3d(1, 0, -1));
        Linalg.SetBlock(ref s.X, 1, new Vector3d(2, -1, 0.5));
        Linalg.SetBlock(ref s.X, 2, new Vector3d(7, 7, 7)); // CV ignores and clears acceleration
        var model = new MotionModel(MotionModelKind.ConstantVelocity, 0.5);
        Kalman.Predict(ref s, model, 2.0);

        Assert.Equal(new Vector3d(5, -2, 0), s.PosNed);
        Assert.Equal(new Vector3d(2, -1, 0.5), s.VelNed);
        Assert.Equal(Vector3d.Zero, s.AccNed);
        // pp = 4 + 2 T pv + T^2 vv + q T^3 / 3; pv = pv + T vv + q T^2 / 2; vv = vv + q T.
        for (int k = 0; k < 3; k++)
        {
            Assert.Equal(4 + 8 + 12 + 0.5 * 8 / 3, s.P[k * N + k], 12);
            Assert.Equal(2 + 6 + 1, s.P[k * N + 3 + k], 12);
            Assert.Equal(3 + 1, s.P[(3 + k) * N + 3 + k], 12);
        }
    }

    [Fact]
    public void Ca_prediction_of_zero_covariance_equals_white_jerk_noise_matrix()
    {
        var s = new GaussianState();
        Linalg.SetBlock(ref s.X, 0, new Vector3d(10, 0, 0));
        Linalg.SetBlock(ref s.X, 1, new Vector3d(1, 2, 0));
        Linalg.SetBlock(ref s.X, 2, new Vector3d(2, 0, -4));
        Kalman.Predict(ref s, new MotionModel(MotionModelKind.ConstantAcceleration, 2.0), 1.0);

        Assert.Equal(new Vector3d(12, 2, -2), s.PosNed); // p + v T + a T^2 / 2
        Assert.Equal(new Vector3d(3, 2, -4), s.VelNed);
        Assert.Equal(new Vector3d(2, 0, -4), s.AccNed);
        double[,] q = { { 2.0 / 20, 2.0 / 8, 2.0 / 6 }, { 2.0 / 8, 2.0 / 3, 2.0 / 2 }, { 2.0 / 6, 2.0 / 2, 2.0 } };
        for (int k = 0; k < 3; k++)
            for (int a = 0; a < 3; a++)
                for (int b = 0; b < 3; b++)
                    Assert.Equal(q[a, b], s.P[(3 * a + k) * N + 3 * b + k], 12);
        Assert.Equal(0, s.P[0 * N + 1]);
    }

    [Fact]
    public void Predictions_compose_exactly_one_long_step_equals_two_short_steps()
    {
        foreach (var kind in new[] { MotionModelKind.ConstantVelocity, MotionModelKind.ConstantAcceleration })
        {
            var model = new MotionModel(kind, 3.0);
            var a = PerAxis(9, 1, 4);
            for (int k = 0; k < 3; k++) a.P[(6 + k) * N + 6 + k] = kind == MotionModelKind.ConstantAcceleration ? 2 : 0;
            Linalg.SetBlock(ref a.X, 1, new Vector3d(40, -3, 1));
            var b = a;
            Kalman.Predict(ref a, model, 1.5);
            Kalman.Predict(ref b, model, 0.5);
            Kalman.Predict(ref b, model, 1.0);
            for (int i = 0; i < N; i++) Assert.Equal(a.X[i], b.X[i], 10);
            for (int i = 0; i < N * N; i++) Assert.Equal(a.P[i], b.P[i], 9);
        }
    }

    [Fact]
    public void Bearing_update_moves_the_state_across_the_line_of_sight_by_the_tangent_plane_gain()
    {
        // Target predicted at 100 m north, position variance 100 m^2 per axis; measured LOS 0.01 (tangent) east.
        // e1 = east, H = e1^T / 100, S = 100 / 100^2 + 1e-6 = 0.010001, K_E = 100 * 0.01 / S.
        var s = new GaussianState();
        Linalg.SetBlock(ref s.X, 0, new Vector3d(100, 0, 0));
        for (int k = 0; k < 3; k++) s.P[k * N + k] = 100;
        var m = new Vector3d(1, 0.01, 0);
        Assert.True(Kalman.UpdateBearing(ref s, Vector3d.Zero, m / m.Length, 1e-3, 1.0, out double nis));

        double sInn = 0.010001, gain = 1.0 / sInn;
        Assert.Equal(0.01 * 0.01 / sInn, nis, 12);
        Assert.Equal(100, s.PosNed.X, 12);
        Assert.Equal(gain * 0.01, s.PosNed.Y, 12);
        Assert.Equal(0, s.PosNed.Z, 12);
        Assert.Equal(100 * (1 - gain * 0.01), s.P[1 * N + 1], 12);
        Assert.Equal(100, s.P[0], 12);   // range unobservable from one bearing
        Assert.Equal(100 * (1 - gain * 0.01), s.P[2 * N + 2], 12); // down is the second tangent axis
    }

    [Fact]
    public void Bearing_update_looking_straight_up_has_no_elevation_singularity()
    {
        // Target overhead (NED down = -100): an az/el residual is singular here, the tangent plane is not.
        var s = new GaussianState();
        Linalg.SetBlock(ref s.X, 0, new Vector3d(0, 0, -100));
        for (int k = 0; k < 3; k++) s.P[k * N + k] = 100;
        var m = new Vector3d(0.01, 0, -1);
        Assert.True(Kalman.UpdateBearing(ref s, Vector3d.Zero, m / m.Length, 1e-3, 1.0, out double nis));
        double sInn = 0.010001;
        Assert.Equal(0.01 * 0.01 / sInn, nis, 12);
        Assert.Equal(0.01 / sInn, s.PosNed.X, 12);
        Assert.Equal(0, s.PosNed.Y, 12);
        Assert.Equal(-100, s.PosNed.Z, 12);
    }

    [Fact]
    public void Bearing_update_refuses_degenerate_range_and_reversed_los()
    {
        var s = new GaussianState();
        Linalg.SetBlock(ref s.X, 0, new Vector3d(0.5, 0, 0));
        for (int k = 0; k < 3; k++) s.P[k * N + k] = 1;
        var before = s;
        Assert.False(Kalman.UpdateBearing(ref s, Vector3d.Zero, Vector3d.UnitX, 1e-3, 1.0, out _));
        Linalg.SetBlock(ref s.X, 0, new Vector3d(50, 0, 0));
        Assert.False(Kalman.UpdateBearing(ref s, Vector3d.Zero, -Vector3d.UnitX, 1e-3, 1.0, out _));
        Assert.Equal(50, s.PosNed.X);
        for (int i = 0; i < N * N; i++) Assert.Equal(before.P[i], s.P[i]);
    }

    [Fact]
    public void Covariance3_positive_definiteness_follows_sylvester()
    {
        Assert.True(Covariance3.Isotropic(2).IsPositiveDefinite);
        Assert.True(new Covariance3(1, 1, 2, 0.5, 0, 0).IsPositiveDefinite);
        Assert.False(new Covariance3(1, 1, 1, 1, 0, 0).IsPositiveDefinite);          // singular NE block
        Assert.False(new Covariance3(1, 1, 1, 0.9, 0.9, -0.9).IsPositiveDefinite);  // det < 0
        Assert.False(new Covariance3(double.NaN, 1, 1, 0, 0, 0).IsPositiveDefinite);
        Assert.False(Covariance3.Isotropic(0).IsPositiveDefinite);
    }
}
