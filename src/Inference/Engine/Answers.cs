using AlexNet.Realtime.Inference.Contract;

namespace AlexNet.Realtime.Inference.Engine;

/// <summary>
/// An engine's answers: one <see cref="Prediction"/> per batch place and a list over the first
/// ones, allocated once and overwritten by each call (no allocation per frame).
/// </summary>
internal sealed class Answers
{
    private readonly ModelContract _contract;
    private readonly Prediction[] _predictions;
    private readonly PredictionList _list;

    public Answers(ModelContract contract, int maxBatch)
    {
        _contract = contract;
        _predictions = new Prediction[maxBatch];
        for (var i = 0; i < maxBatch; i++)
        {
            _predictions[i] = new Prediction(contract.TopK);
        }

        _list = new PredictionList(_predictions);
    }

    /// <summary>The answer of a single frame (place 0).</summary>
    public Prediction Single => _predictions[0];

    /// <summary>The answers of a run's <paramref name="n"/> frames, from <paramref name="outputs"/>, into places <paramref name="start"/> on.</summary>
    public void Fill(OutputSet outputs, int start, int n)
    {
        var k = _contract.TopK;
        for (var i = 0; i < n; i++)
        {
            _predictions[start + i].Fill(outputs.Indices.AsSpan(i * k, k), outputs.Probabilities.AsSpan(i * k, k), _contract.Labels);
        }
    }

    /// <summary>The list over the first <paramref name="count"/> answers (the same list each call).</summary>
    public IReadOnlyList<Prediction> First(int count)
    {
        _list.Count = count;
        return _list;
    }

    /// <summary>A fixed list over the answers whose visible length changes per call (no allocation).</summary>
    private sealed class PredictionList(Prediction[] items) : IReadOnlyList<Prediction>
    {
        public int Count { get; set; }

        public Prediction this[int index] => (uint)index < (uint)Count ? items[index] : throw new ArgumentOutOfRangeException(nameof(index));

        public IEnumerator<Prediction> GetEnumerator() => items.Take(Count).GetEnumerator();

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
