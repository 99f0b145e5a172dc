using AlexNet.Realtime.Inference.Contract;
using AlexNet.Realtime.Inference.Onnx;

namespace AlexNet.Realtime.WeightConverter.Quantization;

/// <summary>A float range [Low, High] an activation is quantized over.</summary>
internal readonly record struct ValueRange(float Low, float High);

/// <summary>How activation ranges are chosen from the calibration frames.</summary>
/// <param name="Name">As the report says it.</param>
/// <param name="Percentile">0 for min-max; else the share of values kept, in percent (the rest clipped).</param>
internal sealed record RangeMethod(string Name, double Percentile)
{
    public static readonly RangeMethod MinMax = new("min-max", 0);

    public static readonly RangeMethod Percentile999 = new("percentile 99.9", 99.9);

    public static readonly RangeMethod Percentile9999 = new("percentile 99.99", 99.99);

    public static readonly RangeMethod Percentile99999 = new("percentile 99.999", 99.999);

    /// <summary>The methods tried; the converter keeps the one that agrees best with float32 on the held-out frames.</summary>
    public static IReadOnlyList<RangeMethod> All { get; } = [MinMax, Percentile999, Percentile9999, Percentile99999];
}

/// <summary>
/// Measures the ranges of chosen tensors of the float32 network over the calibration frames:
/// min and max in one pass, then a histogram of each over its min-max span in a second, from which
/// a percentile range is read.
/// </summary>
internal sealed class ActivationRanges
{
    private const int Bins = 4096;
    private readonly Dictionary<string, (float Min, float Max)> _minMax;
    private readonly Dictionary<string, long[]> _histograms;
    private readonly Dictionary<string, double[]> _channelMeans;

    private ActivationRanges(Dictionary<string, (float Min, float Max)> minMax, Dictionary<string, long[]> histograms, Dictionary<string, double[]> channelMeans)
    {
        _minMax = minMax;
        _histograms = histograms;
        _channelMeans = channelMeans;
    }

    /// <summary>
    /// The mean of each channel (axis 1: a convolution's input channel, a Gemm's input feature) of
    /// <paramref name="tensor"/> over the calibration frames (and positions); null where unmeasured.
    /// </summary>
    public double[]? ChannelMeans(string tensor) => _channelMeans.GetValueOrDefault(tensor);

    public static ActivationRanges Measure(ModelProto network, ModelContract contract, IReadOnlyList<string> tensors, IReadOnlyList<byte[]> frames)
    {
        var probed = network.Clone();
        var outputs = probed.Graph.Output.Select(o => o.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var name in tensors.Where(t => !outputs.Contains(t)))
        {
            probed.Graph.Output.Add(new ValueInfoProto
            {
                Name = name,
                Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float } },
            });
        }

        using var runner = new NetworkRunner(probed, contract);
        var minMax = tensors.ToDictionary(t => t, _ => (Min: float.PositiveInfinity, Max: float.NegativeInfinity), StringComparer.Ordinal);
        var sums = new Dictionary<string, (double[] Sum, long Count)>(StringComparer.Ordinal);
        runner.Run(frames, tensors, (_, values, shapes) =>
        {
            for (var i = 0; i < tensors.Count; i++)
            {
                var (min, max) = minMax[tensors[i]];
                foreach (var v in values[i])
                {
                    min = Math.Min(min, v);
                    max = Math.Max(max, v);
                }

                minMax[tensors[i]] = (min, max);
                AddChannelSums(sums, tensors[i], values[i], shapes[i]);
            }
        });

        var histograms = tensors.ToDictionary(t => t, _ => new long[Bins], StringComparer.Ordinal);
        runner.Run(frames, tensors, (_, values) =>
        {
            for (var i = 0; i < tensors.Count; i++)
            {
                var (min, max) = minMax[tensors[i]];
                var histogram = histograms[tensors[i]];
                var perBin = max > min ? Bins / ((double)max - min) : 0;
                foreach (var v in values[i])
                {
                    histogram[Math.Clamp((int)((v - min) * perBin), 0, Bins - 1)]++;
                }
            }
        });

        return new ActivationRanges(minMax, histograms, sums.ToDictionary(p => p.Key, p => p.Value.Sum.Select(v => v / p.Value.Count).ToArray(), StringComparer.Ordinal));
    }

    /// <summary>Adds a [N, C, ...] tensor's values to per-channel sums.</summary>
    private static void AddChannelSums(Dictionary<string, (double[] Sum, long Count)> sums, string tensor, float[] values, long[] shape)
    {
        if (shape.Length < 2 || shape[1] <= 0)
        {
            return;
        }

        var channels = (int)shape[1];
        var inner = (int)shape.Skip(2).Aggregate(1L, (a, b) => a * b);
        var entry = sums.TryGetValue(tensor, out var known) ? known : (new double[channels], 0L);
        if (entry.Item1.Length != channels)
        {
            return;
        }

        for (var i = 0; i < values.Length; i++)
        {
            entry.Item1[i / inner % channels] += values[i];
        }

        sums[tensor] = (entry.Item1, entry.Item2 + (values.Length / channels));
    }

    /// <summary>The range of <paramref name="tensor"/> by <paramref name="method"/>; always holds 0 (so 0 is exact, as ReLU and padding need).</summary>
    public ValueRange For(string tensor, RangeMethod method)
    {
        var (min, max) = _minMax[tensor];
        if (!float.IsFinite(min) || !float.IsFinite(max))
        {
            throw new ConversionException($"calibration: tensor {tensor} took no finite values; the model answers NaN or infinity on the calibration frames");
        }

        if (method.Percentile > 0 && max > min)
        {
            var histogram = _histograms[tensor];
            var total = histogram.Sum();

            // A tensor on both sides of 0 loses the clipped share half at each end; one that is never negative, all at the top.
            var clipped = total * (100 - method.Percentile) / 100;
            var lowShare = min < 0 ? clipped / 2 : 0;
            var highShare = clipped - lowShare;
            var width = ((double)max - min) / Bins;
            double seen = 0;
            var low = 0;
            while (low < Bins - 1 && seen + histogram[low] <= lowShare)
            {
                seen += histogram[low++];
            }

            seen = 0;
            var high = Bins - 1;
            while (high > low && seen + histogram[high] <= highShare)
            {
                seen += histogram[high--];
            }

            (min, max) = (min < 0 ? (float)(min + (low * width)) : min, (float)(min + ((high + 1) * width)));
        }

        return new ValueRange(Math.Min(min, 0f), Math.Max(max, 0f));
    }
}
