namespace AlexNet.Realtime.App.Evaluation;

/// <summary>
/// How often each true class was taken for each other class (top-1). Only the pairs that occur
/// are kept: at most the classes squared, whatever the dataset's size.
/// </summary>
internal sealed class ConfusionCounter(int classes)
{
    private readonly Dictionary<long, long> _counts = [];

    /// <summary>One image of class <paramref name="truth"/> answered as <paramref name="predicted"/>, another class.</summary>
    public void Add(int truth, int predicted)
    {
        var key = ((long)truth * classes) + predicted;
        _counts[key] = _counts.GetValueOrDefault(key) + 1;
    }

    /// <summary>The <paramref name="count"/> most frequent pairs, most first (ties by true, then predicted class).</summary>
    public IReadOnlyList<ConfusedPair> Top(int count) =>
        _counts.Select(p => new ConfusedPair((int)(p.Key / classes), (int)(p.Key % classes), p.Value))
            .OrderByDescending(p => p.Count).ThenBy(p => p.True).ThenBy(p => p.Predicted)
            .Take(count)
            .ToList();
}

/// <summary>Images of class <paramref name="True"/> answered as <paramref name="Predicted"/>.</summary>
internal readonly record struct ConfusedPair(int True, int Predicted, long Count);
