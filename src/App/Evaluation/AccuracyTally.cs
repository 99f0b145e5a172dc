using AlexNet.Realtime.Inference.Engine;

namespace AlexNet.Realtime.App.Evaluation;

/// <summary>
/// One model's answers against the ground truth: right at top-1 and top-K, in all and per class,
/// and the classes it confused. Counts only: its size is set by the classes, not the images.
/// </summary>
internal sealed class AccuracyTally
{
    private readonly long[] _images;
    private readonly long[] _top1;
    private readonly long[] _topK;
    private long _total;
    private long _top1Total;
    private long _topKTotal;

    /// <param name="k">The K of top-K: 5, or fewer when the model returns fewer.</param>
    public AccuracyTally(int classes, int k)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(classes, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        K = k;
        _images = new long[classes];
        _top1 = new long[classes];
        _topK = new long[classes];
        Confusions = new ConfusionCounter(classes);
    }

    public int K { get; }

    public int Classes => _images.Length;

    public ConfusionCounter Confusions { get; }

    /// <summary>Answers whose probabilities were not numbers (NaN weights): counted as given, and told.</summary>
    public long NonFinite { get; private set; }

    public Proportion Top1 => new(_top1Total, _total);

    public Proportion TopK => new(_topKTotal, _total);

    /// <summary>Images of the class evaluated.</summary>
    public long ImagesOf(int cls) => _images[cls];

    public Proportion Top1Of(int cls) => new(_top1[cls], _images[cls]);

    public Proportion TopKOf(int cls) => new(_topK[cls], _images[cls]);

    /// <summary>Counts one answer for an image of class <paramref name="truth"/>.</summary>
    public void Add(int truth, Prediction prediction) => Add(truth, prediction.Indices, !float.IsFinite(prediction.Probabilities[0]));

    /// <param name="ranked">The classes answered, most likely first (at least <see cref="K"/>).</param>
    /// <param name="nonFinite">The answer's probabilities were not numbers.</param>
    public void Add(int truth, ReadOnlySpan<int> ranked, bool nonFinite = false)
    {
        _total++;
        _images[truth]++;
        if (nonFinite)
        {
            NonFinite++;
        }

        if (ranked[0] == truth)
        {
            _top1Total++;
            _top1[truth]++;
        }
        else
        {
            Confusions.Add(truth, ranked[0]);
        }

        if (ranked[..K].Contains(truth))
        {
            _topKTotal++;
            _topK[truth]++;
        }
    }
}
