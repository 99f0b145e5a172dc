namespace AlexNet.Realtime.TestSupport;

/// <summary>Comparisons used by the parity tests.</summary>
public static class Compare
{
    public static (double Max, double Mean) AbsDiff(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        if (a.Length != b.Length)
        {
            throw new ArgumentException($"lengths differ: {a.Length} vs {b.Length}");
        }

        double max = 0, sum = 0;
        for (var i = 0; i < a.Length; i++)
        {
            var d = Math.Abs((double)a[i] - b[i]);
            max = Math.Max(max, d);
            sum += d;
        }

        return (max, a.Length == 0 ? 0 : sum / a.Length);
    }

    public static int[] TopK(ReadOnlySpan<float> values, int k)
    {
        var copy = values.ToArray();
        return Enumerable.Range(0, copy.Length).OrderByDescending(i => copy[i]).ThenBy(i => i).Take(k).ToArray();
    }
}
