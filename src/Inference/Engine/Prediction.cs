namespace AlexNet.Realtime.Inference.Engine;

/// <summary>One class of a top-K answer.</summary>
public readonly record struct TopEntry(int Index, string Label, float Probability);

/// <summary>
/// The top-K answer for one frame, highest probability first. Owned and reused by the engine:
/// it holds the answer of the latest call only (copy what must outlive it).
/// </summary>
public sealed class Prediction
{
    private readonly int[] _indices;
    private readonly float[] _probabilities;
    private readonly string[] _labels;

    internal Prediction(int k)
    {
        _indices = new int[k];
        _probabilities = new float[k];
        _labels = new string[k];
        Array.Fill(_labels, "");
    }

    /// <summary>How many classes the answer holds (the model's K).</summary>
    public int Count => _indices.Length;

    public ReadOnlySpan<int> Indices => _indices;

    public ReadOnlySpan<float> Probabilities => _probabilities;

    public ReadOnlySpan<string> Labels => _labels;

    public TopEntry this[int rank] => new(_indices[rank], _labels[rank], _probabilities[rank]);

    /// <summary>Copies this answer into <paramref name="target"/> (same K), e.g. to hand it to another thread.</summary>
    public void CopyTo(Prediction target)
    {
        ArgumentNullException.ThrowIfNull(target);
        _indices.CopyTo(target._indices, 0);
        _probabilities.CopyTo(target._probabilities, 0);
        _labels.CopyTo(target._labels, 0);
    }

    /// <summary>A detached copy with the same K.</summary>
    public Prediction Clone()
    {
        var copy = new Prediction(Count);
        CopyTo(copy);
        return copy;
    }

    /// <summary>An empty answer of K classes, to be filled by <see cref="CopyTo"/>.</summary>
    public static Prediction Create(int k) => new(k);

    internal void Set(int rank, int index, string label, float probability)
    {
        _indices[rank] = index;
        _labels[rank] = label;
        _probabilities[rank] = probability;
    }

    internal void Fill(ReadOnlySpan<long> indices, ReadOnlySpan<float> probabilities, IReadOnlyList<string> labels)
    {
        for (var i = 0; i < _indices.Length; i++)
        {
            var index = (int)indices[i];
            _indices[i] = index;
            _probabilities[i] = probabilities[i];
            _labels[i] = (uint)index < (uint)labels.Count ? labels[index] : "?";
        }
    }
}
