using AlexNet.Realtime.Inference.Engine;
using Xunit;

namespace AlexNet.Realtime.Inference.Tests;

/// <summary>The moving average of top-K answers, against numbers worked out by hand.</summary>
public sealed class PredictionSmootherTests
{
    private static readonly string[] Labels = ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j"];

    [Fact]
    public void KnownSequence_HalfHistory_GivesTheHandWorkedAverages()
    {
        // history 0.5 and probabilities that are sums of powers of two: every step is exact.
        var smoother = new PredictionSmoother(numClasses: 4, k: 2, history: 0.5);

        // 1: the first answer is taken as it is.
        AssertTop(smoother.Update(Answer((0, 0.5f), (1, 0.25f))), (0, 0.5f), (1, 0.25f));

        // 2: a = 0.5*0.5 = 0.25; b = 0.5*0.25 + 0.5*0.75 = 0.5; c = 0.5*0.125 = 0.0625.
        AssertTop(smoother.Update(Answer((1, 0.75f), (2, 0.125f))), (1, 0.5f), (0, 0.25f));
        Assert.Equal(0.0625, smoother.Smoothed(2));

        // 3: a = 0.125 + 0.125 = 0.25; b = 0.25 (not in the answer: counted as 0);
        //    c = 0.03125 + 0.25 = 0.28125. a and b are equal: the lower class index first.
        AssertTop(smoother.Update(Answer((2, 0.5f), (0, 0.25f))), (2, 0.28125f), (0, 0.25f));
        Assert.Equal(0.25, smoother.Smoothed(1));

        // 4: a = 0.125, b = 0.125, c = 0.140625 + 0.125 = 0.265625, d = 0.25.
        AssertTop(smoother.Update(Answer((3, 0.5f), (2, 0.25f))), (2, 0.265625f), (3, 0.25f));
        Assert.Equal(4, smoother.Tracked);
    }

    [Fact]
    public void FlickeringTopOne_EightTenthsHistory_ChangesOverGradually()
    {
        var smoother = new PredictionSmoother(numClasses: 10, k: 2, history: 0.8);
        AssertTop(smoother.Update(Answer((0, 0.6f), (1, 0.4f))), (0, 0.6f), (1, 0.4f));

        // The raw answer flips to b at 90%; the average: a = 0.48 + 0.02, b = 0.32 + 0.18, a tie.
        AssertTop(smoother.Update(Answer((1, 0.9f), (0, 0.1f))), (0, 0.5f), (1, 0.5f), tolerance: 1e-6f);

        // a = 0.4 + 0.02 = 0.42, b = 0.4 + 0.18 = 0.58.
        AssertTop(smoother.Update(Answer((1, 0.9f), (0, 0.1f))), (1, 0.58f), (0, 0.42f), tolerance: 1e-6f);
    }

    [Fact]
    public void ClassThatLeaves_FadesAndIsDroppedBelowEpsilonThenStartsFromZero()
    {
        var smoother = new PredictionSmoother(numClasses: 10, k: 1, history: 0.5);
        smoother.Update(Answer((0, 1f)));

        // a halves each answer it is not in: 2^-13 = 1.2e-4 is kept, 2^-14 = 6.1e-5 is under 1e-4.
        for (var i = 0; i < 13; i++)
        {
            smoother.Update(Answer((1, 1f)));
        }

        Assert.Equal(2, smoother.Tracked);
        Assert.Equal(Math.Pow(2, -13), smoother.Smoothed(0));
        smoother.Update(Answer((1, 1f)));
        Assert.Equal(1, smoother.Tracked);
        Assert.Equal(0, smoother.Smoothed(0));

        // Back again: from nothing, 0.5 * 1, not 0.5 * 1 plus what it had.
        var top = smoother.Update(Answer((0, 1f)))[0];
        Assert.Equal(0, top.Index);
        Assert.Equal(0.5f, top.Probability);
    }

    [Fact]
    public void FullSet_NewClassTakesTheSmallestPlace()
    {
        var smoother = new PredictionSmoother(numClasses: 200, k: 1, history: 0.99);
        Assert.Equal(64, smoother.Capacity);
        for (var c = 0; c < 64; c++)
        {
            smoother.Update(Answer((c, 1f)));
        }

        // a started at 1 (the first answer); class 1 got 0.01 and has faded longest of the rest.
        Assert.Equal(64, smoother.Tracked);
        Assert.True(smoother.Smoothed(1) > 0);
        smoother.Update(Answer((64, 1f)));
        Assert.Equal(64, smoother.Tracked);
        Assert.Equal(0, smoother.Smoothed(1));
        Assert.True(smoother.Smoothed(0) > 0.5);
        Assert.True(smoother.Smoothed(2) > 0);
        Assert.Equal(0.01, smoother.Smoothed(64), 12);
    }

    [Fact]
    public void Reset_TakesTheNextAnswerAsItIs()
    {
        var smoother = new PredictionSmoother(numClasses: 10, k: 2, history: 0.9);
        smoother.Update(Answer((0, 0.9f), (1, 0.1f)));
        smoother.Update(Answer((0, 0.9f), (1, 0.1f)));
        smoother.Reset();
        Assert.Equal(0, smoother.Tracked);
        AssertTop(smoother.Update(Answer((5, 0.7f), (6, 0.2f))), (5, 0.7f), (6, 0.2f));
        Assert.Equal(0, smoother.Smoothed(0));
    }

    [Fact]
    public void NoHistory_GivesTheAnswerItself()
    {
        var smoother = new PredictionSmoother(numClasses: 10, k: 2, history: 0);
        var raw = Answer((3, 0.7f), (4, 0.2f));
        Assert.Same(raw, smoother.Update(raw));
    }

    [Theory]
    [InlineData(1.0)]
    [InlineData(-0.1)]
    [InlineData(double.NaN)]
    public void HistoryOutsideZeroToOne_Refused(double history) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new PredictionSmoother(10, 2, history));

    [Fact]
    public void SteadyState_AllocatesNothing()
    {
        var smoother = new PredictionSmoother(numClasses: 1000, k: 5, history: 0.8);
        // 50 answers of five classes each, new classes every answer: the set fills, fades and
        // evicts (both ways) while measured.
        var answers = Enumerable.Range(0, 50).Select(i => (i * 37) % 990).Select(c => Answer(
            (c, 0.5f), (c + 1, 0.2f), (c + 2, 0.1f), (c + 3, 0.05f), (c + 4, 0.01f))).ToArray();
        foreach (var answer in answers)
        {
            smoother.Update(answer);
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        var checksum = 0;
        for (var i = 0; i < 1000; i++)
        {
            checksum += smoother.Update(answers[i % answers.Length]).Indices[0];
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.True(checksum > 0);
    }

    private static Prediction Answer(params (int Index, float P)[] entries)
    {
        var prediction = Prediction.Create(entries.Length);
        var names = Enumerable.Range(0, 1000).Select(i => i < Labels.Length ? Labels[i] : $"class {i}").ToArray();
        prediction.Fill(entries.Select(e => (long)e.Index).ToArray(), entries.Select(e => e.P).ToArray(), names);
        return prediction;
    }

    private static void AssertTop(Prediction got, (int Index, float P) first, (int Index, float P) second, float tolerance = 0)
    {
        Assert.Equal(2, got.Count);
        Assert.Equal(first.Index, got[0].Index);
        Assert.Equal(second.Index, got[1].Index);
        Assert.Equal(Labels[first.Index], got[0].Label);
        Assert.Equal(Labels[second.Index], got[1].Label);
        Assert.InRange(got[0].Probability, first.P - tolerance, first.P + tolerance);
        Assert.InRange(got[1].Probability, second.P - tolerance, second.P + tolerance);
    }
}
