using System.CommandLine;
using System.Globalization;

namespace AlexNet.Realtime.App.Commands;

/// <summary><c>--smoothing</c> and <c>--threshold</c>, the same in every command that has them.</summary>
internal static class SteadyLabelOptions
{
    public static Option<double> Smoothing(double defaultValue, string whatFor) => new("--smoothing")
    {
        Description = $"Weight of the past in a moving average of the labels' probabilities across frames, 0 (off) to below 1 {whatFor}; started over at each new file and after a reconnect.",
        DefaultValueFactory = _ => defaultValue,
    };

    public static Option<double> Threshold() => new("--threshold")
    {
        Description = "Show only labels at or above this probability, 0 to 1 (e.g. 0.3 for 30%); when none is, the overlay says so (default: 0, all of the top K).",
    };

    /// <summary>The value, or the one-line refusal: at least 0 and below 1 (1 would never change).</summary>
    public static double CheckSmoothing(double value) => value is >= 0 and < 1 ? value
        : throw new AppException($"--smoothing must be at least 0 and below 1 (the weight of the past frames; 0 is off), got {Number(value)}");

    public static double CheckThreshold(double value) => value is >= 0 and <= 1 ? value
        : throw new AppException($"--threshold must be from 0 to 1 (a probability: 0.3 is 30%), got {Number(value)}");

    private static string Number(double value) => value.ToString(CultureInfo.InvariantCulture);
}
