namespace AlexNet.Realtime.App.Evaluation;

/// <summary>How many of how many (right answers of images, agreeing frames of frames), with its share and 95% interval.</summary>
internal readonly record struct Proportion(long Count, long Of)
{
    /// <summary>The share, NaN when <see cref="Of"/> is 0.</summary>
    public double Rate => Of > 0 ? (double)Count / Of : double.NaN;

    public WilsonInterval Interval => WilsonInterval.Of(Count, Of);
}
