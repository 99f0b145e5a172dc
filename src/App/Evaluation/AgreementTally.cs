namespace AlexNet.Realtime.App.Evaluation;

/// <summary>
/// Frame by frame, how often each pair of models gave the same top-1 class, and how their right
/// answers overlap (both right, only one, neither): two models of one accuracy may still differ
/// on many images, which the accuracies alone don't show.
/// </summary>
internal sealed class AgreementTally
{
    private readonly PairCounts[] _pairs;

    public AgreementTally(int models)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(models, 1);
        Models = models;
        _pairs = new PairCounts[models * models];
    }

    public int Models { get; }

    /// <summary>One image's top-1 class from each model (in model order) and its true class.</summary>
    public void Add(int truth, ReadOnlySpan<int> top1)
    {
        for (var a = 0; a < Models; a++)
        {
            for (var b = a + 1; b < Models; b++)
            {
                ref var pair = ref _pairs[(a * Models) + b];
                pair.Total++;
                var aRight = top1[a] == truth;
                var bRight = top1[b] == truth;
                pair.Agree += top1[a] == top1[b] ? 1 : 0;
                pair.BothRight += aRight && bRight ? 1 : 0;
                pair.OnlyA += aRight && !bRight ? 1 : 0;
                pair.OnlyB += bRight && !aRight ? 1 : 0;
            }
        }
    }

    /// <summary>Every pair, first model before second.</summary>
    public IReadOnlyList<Agreement> Pairs()
    {
        var list = new List<Agreement>();
        for (var a = 0; a < Models; a++)
        {
            for (var b = a + 1; b < Models; b++)
            {
                var p = _pairs[(a * Models) + b];
                list.Add(new Agreement(a, b, new Proportion(p.Agree, p.Total), p.BothRight, p.OnlyA, p.OnlyB, p.Total - p.BothRight - p.OnlyA - p.OnlyB));
            }
        }

        return list;
    }

    private struct PairCounts
    {
        public long Total;
        public long Agree;
        public long BothRight;
        public long OnlyA;
        public long OnlyB;
    }
}

/// <summary>Two models (by their place in the run) compared on the same images.</summary>
internal sealed record Agreement(int A, int B, Proportion Top1, long BothRight, long OnlyARight, long OnlyBRight, long BothWrong);
