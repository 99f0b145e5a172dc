using AlexNet.Realtime.WeightConverter.Quantization;
using Xunit;

namespace AlexNet.Realtime.WeightConverter.Tests;

/// <summary>Bias correction: on the mean input, the int8 layer's output equals the float layer's.</summary>
public sealed class BiasCorrectionTests
{
    [Fact]
    public void DenseLayer_OnTheMeanInput_AnswersAsTheFloatLayer()
    {
        // 2 outputs x 3 features ([O, K], Gemm with transB).
        float[] weights = [0.5f, 0.26f, -0.013f, 0.1f, -0.333f, 0.07f];
        float[] bias = [0.1f, -0.2f];
        double[] means = [1.5, 2.0, 0.25];
        var (quantized, scales) = QuantTensors.Weights(weights, 2, channelAxisLast: false);

        var corrected = BiasCorrection.Apply(bias, weights, quantized, scales, channelAxisLast: false, groups: 1, means);

        for (var o = 0; o < 2; o++)
        {
            double exact = bias[o], rounded = corrected[o];
            for (var k = 0; k < 3; k++)
            {
                exact += weights[(o * 3) + k] * means[k];
                rounded += quantized[(o * 3) + k] * scales[o] * means[k];
            }

            Assert.Equal(exact, rounded, 5);
            Assert.NotEqual(bias[o], corrected[o]);
        }
    }

    [Fact]
    public void GroupedConvolution_OnTheMeanInput_AnswersAsTheFloatLayer()
    {
        // 4 outputs, 4 input channels in 2 groups (2 per group), 1x2 kernels: [4, 2, 1, 2].
        var random = new Random(7);
        var weights = Enumerable.Range(0, 16).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();
        float[] bias = [0, 0.5f, -0.5f, 1];
        double[] means = [0.3, 1.7, 2.9, 0.05];
        var (quantized, scales) = QuantTensors.Weights(weights, 4, channelAxisLast: false);

        var corrected = BiasCorrection.Apply(bias, weights, quantized, scales, channelAxisLast: false, groups: 2, means);

        for (var o = 0; o < 4; o++)
        {
            double exact = bias[o], rounded = corrected[o];
            for (var j = 0; j < 4; j++)
            {
                var channel = (o / 2 * 2) + (j / 2);
                exact += weights[(o * 4) + j] * means[channel];
                rounded += quantized[(o * 4) + j] * scales[o] * means[channel];
            }

            Assert.Equal(exact, rounded, 5);
        }
    }

    [Fact]
    public void MeansThatDoNotFitTheWeights_LeaveTheBiasAsItWas()
    {
        float[] weights = [0.5f, 0.25f];
        float[] bias = [0.1f];
        var (quantized, scales) = QuantTensors.Weights(weights, 1, channelAxisLast: false);

        Assert.Same(bias, BiasCorrection.Apply(bias, weights, quantized, scales, channelAxisLast: false, groups: 1, [1.0, 2.0, 3.0]));
    }
}
