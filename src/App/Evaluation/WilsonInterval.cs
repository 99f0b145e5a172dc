namespace AlexNet.Realtime.App.Evaluation;

/// <summary>
/// The Wilson score interval of a proportion: unlike the normal approximation it stays inside
/// [0, 1] and keeps its coverage near 0% and 100% and for small counts, where an accuracy measured
/// on a few labeled images usually lies.
/// </summary>
internal readonly record struct WilsonInterval(double Low, double High)
{
    /// <summary>The normal quantile for a two-sided 95% interval.</summary>
    public const double Z95 = 1.959963984540054;

    /// <summary>The interval of <paramref name="successes"/> in <paramref name="trials"/>; NaN bounds when there were none.</summary>
    public static WilsonInterval Of(long successes, long trials, double z = Z95)
    {
        if (trials < 0 || successes < 0 || successes > trials)
        {
            throw new ArgumentOutOfRangeException(nameof(successes), $"{successes} successes in {trials} trials");
        }

        if (trials == 0)
        {
            return new WilsonInterval(double.NaN, double.NaN);
        }

        double n = trials;
        var p = successes / n;
        var z2 = z * z;
        var denominator = 1 + (z2 / n);
        var centre = (p + (z2 / (2 * n))) / denominator;
        var half = z / denominator * Math.Sqrt((p * (1 - p) / n) + (z2 / (4 * n * n)));

        // At 0 or all successes the bound is exactly 0 or 1; rounding must not put it a hair off.
        return new WilsonInterval(successes == 0 ? 0 : Math.Max(0, centre - half), successes == trials ? 1 : Math.Min(1, centre + half));
    }
}
