using System.Text;

namespace Interceptor.Sim.Campaign;

/// <summary>Per-run seeds derived from (base seed, scenario name, run index) only, so a run's random
/// draws do not depend on thread scheduling, sharding, the other scenarios in the campaign or the law
/// (every law meets the same dispersed engagements: common random numbers make law comparisons fair).
/// Stable across processes and platforms (FNV-1a over UTF-8 plus SplitMix64 finalisers; never
/// string.GetHashCode, which is randomised per process).</summary>
public static class RunSeeds
{
    public static ulong For(ulong baseSeed, string scenarioName, int runIndex)
    {
        ArgumentNullException.ThrowIfNull(scenarioName);
        ulong h = 14695981039346656037UL; // FNV-1a 64 offset basis
        Span<byte> buffer = stackalloc byte[256];
        int n = Encoding.UTF8.GetMaxByteCount(scenarioName.Length) <= buffer.Length
            ? Encoding.UTF8.GetBytes(scenarioName, buffer)
            : -1;
        ReadOnlySpan<byte> bytes = n >= 0 ? buffer[..n] : Encoding.UTF8.GetBytes(scenarioName);
        foreach (byte b in bytes)
        {
            h ^= b;
            h *= 1099511628211UL;
        }
        ulong x = Mix(baseSeed ^ Mix(h));
        return Mix(x + 0x9E3779B97F4A7C15UL * (ulong)(uint)runIndex + 1);
    }

    /// <summary>SplitMix64 finaliser: a bijection on 64-bit values with good avalanche.</summary>
    public static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
