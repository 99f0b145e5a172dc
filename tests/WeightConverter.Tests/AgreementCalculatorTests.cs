using AlexNet.Realtime.WeightConverter.Quantization;
using Xunit;

namespace AlexNet.Realtime.WeightConverter.Tests;

/// <summary>The agreement report's figures on hand-made logits whose answers are worked out by hand.</summary>
public sealed class AgreementCalculatorTests
{
    [Fact]
    public void HandMadeLogits_GiveTheKnownAgreement()
    {
        // Frame 1: the top two swap (top-1 differs, the same top-5 set).
        // Frame 2: identical.
        // Frame 3: reversed (top-1 differs; top-5 {0..4} against {5..1}: 4 shared).
        float[] reference = [3, 2, 1, 0, -1, -2, 0, 1, 2, 3, 4, 5, 5, 4, 3, 2, 1, 0];
        float[] reduced = [2, 3, 1, 0, -1, -2, 0, 1, 2, 3, 4, 5, 0, 1, 2, 3, 4, 5];
        var calculator = new AgreementCalculator(classes: 6);

        calculator.Add(reference, reduced);
        var result = calculator.Result("three frames", "min-max");

        Assert.Equal(3, result.Frames);
        Assert.Equal(1.0 / 3, result.Top1, 12);
        Assert.Equal((1 + 1 + 0.8) / 3, result.Top5Overlap, 12);

        // The largest probability difference is frame 3's class 0 (or 5): (e^5 - e^0) / sum of e^0..e^5.
        var sum = Enumerable.Range(0, 6).Sum(i => Math.Exp(i));
        Assert.Equal((Math.Exp(5) - 1) / sum, result.MaxProbabilityDifference, 6);

        // Relative logit error, mean over frames of |z - z32| / |z32|:
        // frame 1 sqrt(2) / sqrt(19); frame 2 0; frame 3 sqrt(25+9+1+1+9+25) / sqrt(55).
        var expected = (Math.Sqrt(2.0 / 19) + 0 + Math.Sqrt(70.0 / 55)) / 3;
        Assert.Equal(expected, result.RelativeLogitError, 6);
        Assert.Equal("min-max", result.Method);
        Assert.False(result.Forced);
    }

    [Fact]
    public void FewerThanFiveClasses_ComparesTopKOfAllClasses()
    {
        var calculator = new AgreementCalculator(classes: 2);

        calculator.Add([1, 0], [0, 1]);

        Assert.Equal(0, calculator.Result("one", null).Top1);
        Assert.Equal(1, calculator.Result("one", null).Top5Overlap);
    }

    [Fact]
    public void LogitsNotWholeFrames_AreRefused() =>
        Assert.Throws<ArgumentException>(() => new AgreementCalculator(classes: 3).Add([1, 2, 3, 4], [1, 2, 3, 4]));
}
