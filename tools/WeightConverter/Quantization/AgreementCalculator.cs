using AlexNet.Realtime.Inference.Contract;

namespace AlexNet.Realtime.WeightConverter.Quantization;

/// <summary>
/// Compares a reduced-precision model's logits with float32's, frame by frame, into a
/// <see cref="PrecisionAgreement"/>: top-1 agreement, mean top-5 overlap, the largest softmax
/// probability difference, and the mean relative logit error ‖z - z32‖₂ / ‖z32‖₂.
/// </summary>
internal sealed class AgreementCalculator
{
    private readonly int _classes;
    private readonly int _k;
    private readonly float[] _p32;
    private readonly float[] _p;
    private int _frames;
    private int _top1;
    private double _overlap;
    private double _maxProbability;
    private double _relativeError;

    public AgreementCalculator(int classes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(classes, 1);
        _classes = classes;
        _k = Math.Min(5, classes);
        _p32 = new float[classes];
        _p = new float[classes];
    }

    public int Frames => _frames;

    /// <summary>Adds frames: <paramref name="reference"/> and <paramref name="reduced"/> are [frames, classes] logits, row-major.</summary>
    public void Add(ReadOnlySpan<float> reference, ReadOnlySpan<float> reduced)
    {
        if (reference.Length != reduced.Length || reference.Length % _classes != 0)
        {
            throw new ArgumentException($"logits of {reference.Length} and {reduced.Length} values are not both whole frames of {_classes} classes");
        }

        for (var offset = 0; offset < reference.Length; offset += _classes)
        {
            AddFrame(reference.Slice(offset, _classes), reduced.Slice(offset, _classes));
        }
    }

    public PrecisionAgreement Result(string frameset, string? method, bool forced = false) => new(
        _frames,
        frameset,
        _frames == 0 ? 0 : (double)_top1 / _frames,
        _frames == 0 ? 0 : _overlap / _frames,
        _maxProbability,
        _frames == 0 ? 0 : _relativeError / _frames,
        method,
        forced);

    private void AddFrame(ReadOnlySpan<float> z32, ReadOnlySpan<float> z)
    {
        _frames++;
        var top32 = TopK(z32, _k);
        var top = TopK(z, _k);
        if (top32[0] == top[0])
        {
            _top1++;
        }

        _overlap += (double)top32.Intersect(top).Count() / _k;
        Softmax(z32, _p32);
        Softmax(z, _p);
        double difference = 0, norm = 0;
        for (var c = 0; c < _classes; c++)
        {
            _maxProbability = Math.Max(_maxProbability, Math.Abs((double)_p[c] - _p32[c]));
            var d = (double)z[c] - z32[c];
            difference += d * d;
            norm += (double)z32[c] * z32[c];
        }

        // All-zero reference logits: any difference is all of it (and none is none).
        _relativeError += norm > 0 ? Math.Sqrt(difference / norm) : difference > 0 ? 1 : 0;
    }

    /// <summary>The indices of the k largest values, largest first; ties to the lower index, as ONNX TopK.</summary>
    internal static int[] TopK(ReadOnlySpan<float> values, int k)
    {
        var indices = new int[values.Length];
        for (var i = 0; i < indices.Length; i++)
        {
            indices[i] = i;
        }

        var copy = values.ToArray();
        Array.Sort(indices, (a, b) => copy[b].CompareTo(copy[a]) is var order && order != 0 ? order : a.CompareTo(b));
        return indices[..k];
    }

    private static void Softmax(ReadOnlySpan<float> logits, float[] probabilities)
    {
        var max = float.NegativeInfinity;
        foreach (var z in logits)
        {
            max = Math.Max(max, z);
        }

        double sum = 0;
        for (var i = 0; i < logits.Length; i++)
        {
            var e = Math.Exp(logits[i] - max);
            probabilities[i] = (float)e;
            sum += e;
        }

        for (var i = 0; i < logits.Length; i++)
        {
            probabilities[i] = (float)(probabilities[i] / sum);
        }
    }
}
