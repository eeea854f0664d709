namespace Interceptor.Sim;

/// <summary>Deterministic pseudo-random stream (xoshiro256**, seeded through SplitMix64). A value type
/// with no global state: the same seed gives the same sequence on every thread, process and platform.
/// Each noise source of a run owns its own stream (<see cref="ForStream"/>) so that adding draws to
/// one source never shifts another.</summary>
public struct SimRandom
{
    private ulong _s0, _s1, _s2, _s3;
    private double _spareGaussian;
    private bool _hasSpare;

    public SimRandom(ulong seed)
    {
        ulong x = seed;
        _s0 = SplitMix(ref x); _s1 = SplitMix(ref x); _s2 = SplitMix(ref x); _s3 = SplitMix(ref x);
        _spareGaussian = 0; _hasSpare = false;
    }

    /// <summary>Independent stream number <paramref name="stream"/> of a run seed.</summary>
    public static SimRandom ForStream(ulong seed, ulong stream)
    {
        ulong x = seed ^ (0xD1B54A32D192ED03UL * (stream + 1));
        return new SimRandom(SplitMix(ref x));
    }

    private static ulong SplitMix(ref ulong x)
    {
        ulong z = x += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    public ulong NextUInt64()
    {
        ulong result = ulong.RotateLeft(_s1 * 5, 7) * 9;
        ulong t = _s1 << 17;
        _s2 ^= _s0; _s3 ^= _s1; _s1 ^= _s2; _s0 ^= _s3;
        _s2 ^= t;
        _s3 = ulong.RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>Uniform in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform in [min, max].</summary>
    public double Uniform(double min, double max) => min + (max - min) * NextDouble();

    /// <summary>Uniform in [-halfWidth, +halfWidth].</summary>
    public double Symmetric(double halfWidth) => halfWidth * (2 * NextDouble() - 1);

    /// <summary>Standard normal (Marsaglia polar method, pairs cached).</summary>
    public double NextGaussian()
    {
        if (_hasSpare) { _hasSpare = false; return _spareGaussian; }
        double u, v, s;
        do
        {
            u = 2 * NextDouble() - 1;
            v = 2 * NextDouble() - 1;
            s = u * u + v * v;
        } while (s >= 1 || s == 0);
        double m = Math.Sqrt(-2 * Math.Log(s) / s);
        _spareGaussian = v * m; _hasSpare = true;
        return u * m;
    }
}
