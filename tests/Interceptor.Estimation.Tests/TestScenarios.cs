using Interceptor.Core;
using Interceptor.Estimation;

namespace Interceptor.Estimation.Tests;

/// <summary>Closed-form target and observer trajectories plus seeded Gaussian noise for the tests.</summary>
internal static class TestScenarios
{
    /// <summary>Shahed-class target flying north at <paramref name="speedMps"/> with a sinusoidal east weave of
    /// lateral acceleration amplitude <paramref name="weaveAccMps2"/> and period <paramref name="periodS"/>.</summary>
    public sealed record WeavingTarget(Vector3d StartNed, double SpeedMps, double WeaveAccMps2, double PeriodS)
    {
        private double Omega => 2 * Math.PI / PeriodS;
        private double Amp => WeaveAccMps2 / (Omega * Omega);

        public Vector3d Pos(double t) => StartNed + new Vector3d(SpeedMps * t, Amp * Math.Sin(Omega * t), 0);
        public Vector3d Vel(double t) => new(SpeedMps, Amp * Omega * Math.Cos(Omega * t), 0);
        public Vector3d Acc(double t) => new(0, -WeaveAccMps2 * Math.Sin(Omega * t), 0);
    }

    public sealed record CvTarget(Vector3d StartNed, Vector3d VelNed)
    {
        public Vector3d Pos(double t) => StartNed + VelNed * t;
    }

    /// <summary>Standard normal sample (Box-Muller) from a seeded generator.</summary>
    public static double Gauss(Random rng)
    {
        double u1 = 1.0 - rng.NextDouble(), u2 = rng.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }

    public static Vector3d GaussVec(Random rng, double sigma) => new(Gauss(rng) * sigma, Gauss(rng) * sigma, Gauss(rng) * sigma);

    /// <summary>Unit vector <paramref name="los"/> perturbed by independent angular noise of 1-sigma
    /// <paramref name="sigmaRad"/> about two axes perpendicular to it.</summary>
    public static Vector3d NoisyLos(Random rng, Vector3d los, double sigmaRad)
    {
        Vector3d u = los / los.Length;
        Vector3d pick = Math.Abs(u.X) < 0.9 ? Vector3d.UnitX : Vector3d.UnitY;
        Vector3d e1 = pick.RejectFrom(u);
        e1 /= e1.Length;
        Vector3d e2 = Vector3d.Cross(u, e1);
        Vector3d m = u + e1 * (Gauss(rng) * sigmaRad) + e2 * (Gauss(rng) * sigmaRad);
        return m / m.Length;
    }
}
