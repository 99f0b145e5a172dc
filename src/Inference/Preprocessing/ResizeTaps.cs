namespace AlexNet.Realtime.Inference.Preprocessing;

/// <summary>
/// One axis of torchvision's antialiased bilinear resize, for the crop's outputs only: where each
/// output's filter taps start in the frame, how many there are, and their weights.
/// </summary>
/// <remarks>
/// Pillow's <c>precompute_coeffs</c> (which torchvision's <c>Resize</c> runs on a PIL image, and
/// its antialiased tensor resize copies): output i of the full resize is centred at
/// <c>(i + 0.5) * L/R</c> in the frame; when shrinking the triangle filter is widened to L/R
/// pixels either side; taps outside the frame are dropped, not extrapolated, and the weights are
/// normalized to sum to one. Computed in double with Pillow's very operations, kept as float for
/// the float resize and as Pillow's 22-bit fixed point for its integer one (<see cref="FixedPoint"/>).
/// </remarks>
internal sealed class ResizeTaps
{
    private readonly double[] _exact;

    /// <param name="size">The frame's size on this axis, L.</param>
    /// <param name="resized">The full resize's size, R.</param>
    /// <param name="offset">The crop's first output in the full resize.</param>
    /// <param name="crop">The outputs wanted, S.</param>
    public ResizeTaps(int size, int resized, int offset, int crop)
    {
        var scale = (double)size / resized;
        var filterScale = Math.Max(scale, 1.0);
        var support = filterScale;
        MaxTaps = ((int)Math.Ceiling(support) * 2) + 1;
        Start = new int[crop];
        Count = new int[crop];
        Weights = new float[crop * MaxTaps];
        _exact = new double[crop * MaxTaps];
        var taps = new double[MaxTaps];
        var ss = 1.0 / filterScale;
        WindowStart = int.MaxValue;
        for (var i = 0; i < crop; i++)
        {
            var center = (i + offset + 0.5) * scale;
            var first = Math.Max((int)(center - support + 0.5), 0);
            var count = Math.Min((int)(center + support + 0.5), size) - first;
            var total = 0.0;
            for (var k = 0; k < count; k++)
            {
                // Pillow multiplies by the reciprocal (ss); dividing can differ in the last bit.
                var t = Math.Abs((k + first - center + 0.5) * ss);
                taps[k] = t < 1.0 ? 1.0 - t : 0.0;
                total += taps[k];
            }

            for (var k = 0; k < count; k++)
            {
                var weight = total != 0 ? taps[k] / total : taps[k];
                _exact[(i * MaxTaps) + k] = weight;
                Weights[(i * MaxTaps) + k] = (float)weight;
            }

            Start[i] = first;
            Count[i] = count;
            WindowStart = Math.Min(WindowStart, first);
            WindowEnd = Math.Max(WindowEnd, first + count);
        }
    }

    /// <summary>Stride of <see cref="Weights"/>: the most taps an output can have.</summary>
    public int MaxTaps { get; }

    /// <summary>Each output's first tap, in frame pixels.</summary>
    public int[] Start { get; }

    public int[] Count { get; }

    /// <summary>Output i's weights at <c>[i * MaxTaps, i * MaxTaps + Count[i])</c>.</summary>
    public float[] Weights { get; }

    /// <summary>
    /// The weights in Pillow's fixed point for 8-bit images (<c>normalize_coeffs_8bpc</c>):
    /// <paramref name="bits"/> fraction bits, rounded half away from zero.
    /// </summary>
    public int[] FixedPoint(int bits)
    {
        var scale = (double)(1 << bits);
        var result = new int[_exact.Length];
        for (var i = 0; i < _exact.Length; i++)
        {
            result[i] = _exact[i] < 0 ? (int)(-0.5 + (_exact[i] * scale)) : (int)(0.5 + (_exact[i] * scale));
        }

        return result;
    }

    /// <summary>The frame pixels any output reads: <c>[WindowStart, WindowEnd)</c>.</summary>
    public int WindowStart { get; }

    public int WindowEnd { get; }
}
