using AlexNet.Realtime.WeightConverter.Architecture;

namespace AlexNet.Realtime.WeightConverter.Graph;

/// <summary>
/// Folds the BGR-to-RGB swap and <c>(x/255 - mean)/std</c> into conv1, so frames go from uint8 to
/// conv1 with one Cast (and one Sub at most). The channel swap and the per-channel scale are exact
/// for any padding (zero padding stays zero). The mean is folded into the bias only without
/// padding: with padding, border windows would see (0 - mean) in torchvision and 0 here, so
/// there the mean stays a Sub before the conv.
/// </summary>
internal static class Conv1Folding
{
    public sealed record Result(float[] Weight, float[] Bias, float[]? SubtractBgr255);

    public static Result Fold(float[] weightRgb, float[] bias, ConvLayer conv1, IReadOnlyList<float> meanRgb, IReadOnlyList<float> stdRgb)
    {
        var outChannels = conv1.OutChannels;
        var taps = conv1.Kernel * conv1.Kernel;
        var weight = new float[weightRgb.Length];
        for (var o = 0; o < outChannels; o++)
        {
            for (var bgr = 0; bgr < 3; bgr++)
            {
                var rgb = 2 - bgr;
                var scale = 1.0 / (255.0 * stdRgb[rgb]);
                var src = (o * 3 + rgb) * taps;
                var dst = (o * 3 + bgr) * taps;
                for (var t = 0; t < taps; t++)
                {
                    weight[dst + t] = (float)(weightRgb[src + t] * scale);
                }
            }
        }

        var meanBgr255 = new[] { 255f * meanRgb[2], 255f * meanRgb[1], 255f * meanRgb[0] };
        if (conv1.Pad > 0)
        {
            return new Result(weight, (float[])bias.Clone(), meanBgr255);
        }

        var folded = new float[outChannels];
        for (var o = 0; o < outChannels; o++)
        {
            double sum = bias[o];
            for (var bgr = 0; bgr < 3; bgr++)
            {
                var start = (o * 3 + bgr) * taps;
                double tapSum = 0;
                for (var t = 0; t < taps; t++)
                {
                    tapSum += weight[start + t];
                }

                sum -= tapSum * meanBgr255[bgr];
            }

            folded[o] = (float)sum;
        }

        return new Result(weight, folded, null);
    }
}
