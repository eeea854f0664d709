namespace Interceptor.Sim.Campaign;

/// <summary>Order statistics used in summaries.</summary>
public static class Statistics
{
    /// <summary>Quantile q in [0, 1] of an ascending-sorted sample with linear interpolation between
    /// order statistics (Hyndman-Fan type 7, the default of R and NumPy). Empty sample -> NaN is never
    /// returned: callers must not pass an empty span.</summary>
    public static double Quantile(ReadOnlySpan<double> sorted, double q)
    {
        if (sorted.IsEmpty) throw new ArgumentException("empty sample", nameof(sorted));
        if (sorted.Length == 1) return sorted[0];
        double h = (sorted.Length - 1) * Math.Clamp(q, 0, 1);
        int lo = (int)Math.Floor(h);
        int hi = Math.Min(lo + 1, sorted.Length - 1);
        return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
    }

    /// <summary>Fraction of the sample at or below <paramref name="radius"/>.</summary>
    public static double FractionAtOrBelow(ReadOnlySpan<double> sorted, double radius)
    {
        if (sorted.IsEmpty) return 0;
        int lo = 0, hi = sorted.Length; // first index with value > radius
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] <= radius) lo = mid + 1; else hi = mid;
        }
        return lo / (double)sorted.Length;
    }
}
