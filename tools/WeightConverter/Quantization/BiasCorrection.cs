namespace AlexNet.Realtime.WeightConverter.Quantization;

/// <summary>
/// Bias correction: rounding the weights changes each output by Σ (w_q - w) x, whose mean over
/// inputs, Σ (w_q - w) E[x], is the same offset on every frame (ReLU outputs are all positive, so
/// their rounding errors add up rather than cancel). Subtracting it from the bias removes the
/// systematic part of the weights' error; the random part stays.
/// </summary>
internal static class BiasCorrection
{
    /// <summary>The bias with the mean rounding error taken out, or the bias as it was where the means don't fit the weights.</summary>
    /// <param name="weights">The float weights: [O, C/groups, ...] (channel axis first) or [C, O] (<paramref name="channelAxisLast"/>).</param>
    /// <param name="quantized">The int8 weights, laid out as <paramref name="weights"/>.</param>
    /// <param name="scales">Each output channel's weight scale.</param>
    /// <param name="inputMeans">The mean of each input channel (a convolution's) or feature (a Gemm's).</param>
    public static float[] Apply(float[] bias, float[] weights, sbyte[] quantized, float[] scales, bool channelAxisLast, int groups, double[]? inputMeans)
    {
        var outputs = scales.Length;
        if (inputMeans is null || bias.Length != outputs || weights.Length % outputs != 0)
        {
            return bias;
        }

        var perOutput = weights.Length / outputs;
        var inputsPerGroup = channelAxisLast ? perOutput : inputMeans.Length / groups;
        if ((channelAxisLast && inputMeans.Length != perOutput) || (!channelAxisLast && (inputsPerGroup == 0 || perOutput % inputsPerGroup != 0 || inputMeans.Length % groups != 0)))
        {
            return bias;
        }

        var taps = channelAxisLast ? 1 : perOutput / inputsPerGroup;
        var corrected = (float[])bias.Clone();
        for (var o = 0; o < outputs; o++)
        {
            var firstInput = channelAxisLast ? 0 : o / (outputs / groups) * inputsPerGroup;
            double shift = 0;
            for (var j = 0; j < perOutput; j++)
            {
                var index = channelAxisLast ? (j * outputs) + o : (o * perOutput) + j;
                var error = ((double)quantized[index] * scales[o]) - weights[index];
                shift += error * inputMeans[firstInput + (j / taps)];
            }

            corrected[o] = (float)(bias[o] - shift);
        }

        return corrected;
    }
}
