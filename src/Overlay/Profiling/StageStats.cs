namespace AlexNet.Realtime.Overlay.Profiling;

/// <summary>Latency statistics of one stage, in milliseconds.</summary>
public readonly record struct StageStats(int Count, double Min, double P50, double P90, double P99, double P999, double Max, double Mean)
{
    /// <summary>Statistics of <paramref name="sorted"/> (ascending); nearest-rank percentiles.</summary>
    public static StageStats FromSorted(ReadOnlySpan<double> sorted)
    {
        if (sorted.IsEmpty)
        {
            return default;
        }

        double sum = 0;
        foreach (var v in sorted)
        {
            sum += v;
        }

        return new StageStats(sorted.Length, sorted[0], Rank(sorted, 0.50), Rank(sorted, 0.90), Rank(sorted, 0.99), Rank(sorted, 0.999), sorted[^1], sum / sorted.Length);
    }

    private static double Rank(ReadOnlySpan<double> sorted, double p)
    {
        var index = (int)Math.Ceiling(p * sorted.Length) - 1;
        return sorted[Math.Clamp(index, 0, sorted.Length - 1)];
    }
}
