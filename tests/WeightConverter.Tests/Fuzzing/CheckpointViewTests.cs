using System.Globalization;
using AlexNet.Realtime.TestSupport;
using AlexNet.Realtime.WeightConverter.Weights;
using CsCheck;
using Xunit;

namespace AlexNet.Realtime.WeightConverter.Tests.Fuzzing;

/// <summary>
/// What a checkpoint's tensor views may expand to (<see cref="CheckpointLimits"/>): a view of a
/// small storage may claim a huge tensor (strides of 0), an offset past its storage or a shape
/// whose product overflows. Each is read exactly as PyTorch would read it, or refused with one
/// <see cref="ConversionException"/> naming the file and tensor, before anything is allocated.
/// </summary>
public sealed class CheckpointViewTests
{
    private static readonly CheckpointLimits Small = new() { MaxElements = 1 << 16 };

    // The same cases in CI every time; ALEXNET_RT_FUZZ=N samples N fresh ones. A find goes into
    // tests/fixtures/fuzz/checkpoint-views.txt with its fix.
    private const string CiSeed = "0N5vLcpyUMq6";
    private const int CiCases = 3000;

    [Fact]
    public void HandMadeCheckpoint_ReadsAsPyTorchLaysItOut()
    {
        // A 2x3 view, its transpose (strides swapped), and one row repeated by a stride of 0.
        var state = CheckpointReader.Read(HandMadeCheckpoint.Write(
        [
            new TensorView("a", 6, 0, [2, 3], [3, 1]),
            new TensorView("b", 6, 0, [3, 2], [1, 3]),
            new TensorView("c", 6, 3, [2, 3], [0, 1]),
        ]), "model.pth", Small);

        Assert.Equal([1f, 2, 3, 4, 5, 6], state["a"].Data);
        Assert.Equal([1f, 4, 2, 5, 3, 6], state["b"].Data);
        Assert.Equal([4f, 5, 6, 4, 5, 6], state["c"].Data);
        Assert.Equal([3, 2], state["b"].Shape);
    }

    /// <summary>With the default ceiling: a 4-byte storage declared as 400 million values was copied out (1.6 GB).</summary>
    [Fact]
    public void StrideZeroViewOverTheDefaultLimit_RefusedBeforeAllocating()
    {
        var file = HandMadeCheckpoint.Write([new TensorView("features.0.weight", 1, 0, [20000, 20000], [0, 0])]);
        var allocated = GC.GetAllocatedBytesForCurrentThread();

        var e = Assert.Throws<ConversionException>(() => CheckpointReader.Read(file, "model.pth"));

        Assert.Equal(
            "model.pth: tensor features.0.weight: shape [20000, 20000] holds 400000000 values, over the limit of 268435456 a checkpoint may hold (set ALEXNET_CONVERT_MAX_ELEMENTS to raise it)",
            e.Message);
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - allocated < 64 << 20, "refused after allocating the tensor");
    }

    [Fact]
    public void ViewsEachUnderTheLimitButNotTogether_Refused()
    {
        var file = HandMadeCheckpoint.Write([.. Enumerable.Range(0, 3).Select(i => new TensorView($"t{i}", 1, 0, [200, 200], [0, 0]))]);

        var e = Assert.Throws<ConversionException>(() => CheckpointReader.Read(file, "model.pth", Small));

        Assert.Equal("model.pth: its 3 tensors hold 120000 values together, over the limit of 65536 a checkpoint may hold (set ALEXNET_CONVERT_MAX_ELEMENTS to raise it)", e.Message);
    }

    public static TheoryData<string, string> KeptViews()
    {
        var data = new TheoryData<string, string>();
        foreach (var line in File.ReadLines(Fixtures.Path("fuzz", "checkpoint-views.txt")))
        {
            var text = line.Split('#')[0].Trim();
            if (text.Length > 0)
            {
                var parts = text.Split(' ', 5, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                data.Add(string.Join(' ', parts[..4]), parts[4]);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(KeptViews))]
    public void KeptHostileView_RefusedWithOneLineNamingTheTensor(string view, string says)
    {
        var parts = view.Split(' ');
        long[] Longs(string s) => s == "-" ? [] : s.Split(',').Select(v => long.Parse(v, CultureInfo.InvariantCulture)).ToArray();
        var file = HandMadeCheckpoint.Write([new TensorView("w", long.Parse(parts[0], CultureInfo.InvariantCulture), long.Parse(parts[1], CultureInfo.InvariantCulture), Longs(parts[2]), Longs(parts[3]))]);

        var e = Assert.Throws<ConversionException>(() => CheckpointReader.Read(file, "model.pth", Small));

        Assert.StartsWith("model.pth: tensor w: ", e.Message, StringComparison.Ordinal);
        Assert.Contains(says, e.Message, StringComparison.Ordinal);
    }

    /// <summary>Any sizes, strides and offsets: read as PyTorch indexes them and within the ceiling, or refused with one clear error.</summary>
    [Fact]
    public void AnyView_ReadAsIndexedOrRefusedWithOneClearError()
    {
        long[] specials = [-1L, 1L << 16, int.MaxValue, (long)int.MaxValue + 1, long.MaxValue / 2 + 1, long.MaxValue - 1, long.MaxValue, long.MinValue];
        var special = Gen.Int[0, specials.Length - 1].Select(i => specials[i]);
        var size = Gen.Frequency((6, Gen.Long[0, 9]), (1, special));
        var stride = Gen.Frequency((6, Gen.Long[0, 12]), (1, special));
        var offset = Gen.Frequency((6, Gen.Long[0, 40]), (1, special));
        var view = from storage in Gen.Long[0, 48]
                   from at in offset
                   from dims in Gen.Int[0, 4]
                   from sizes in size.Array[dims]
                   from strides in stride.Array[dims]
                   select (storage, at, sizes, strides);
        var cases = from count in Gen.Int[1, 3]
                    from views in view.Array[count]
                    select views.Select((v, i) => new TensorView($"t{i}", v.storage, v.at, v.sizes, v.strides)).ToArray();

        var exploring = DamageRun.Exploring;
        cases.Sample(Check, seed: exploring is null ? CiSeed : null, iter: exploring is null ? CiCases : long.Parse(exploring, CultureInfo.InvariantCulture),
            threads: exploring is null ? 1 : -1, print: views => string.Join("; ", views.Select(v => v.ToString())));
    }

    private static void Check(TensorView[] views)
    {
        StateDict state;
        try
        {
            state = CheckpointReader.Read(HandMadeCheckpoint.Write(views), "fuzz.pth", Small);
        }
        catch (ConversionException e)
        {
            Assert.StartsWith("fuzz.pth: ", e.Message, StringComparison.Ordinal);
            Assert.DoesNotContain('\n', e.Message);
            return;
        }

        Assert.True(views.Sum(v => state[v.Name].Data.LongLength) <= Small.MaxElements, "read more than the ceiling");
        foreach (var v in views)
        {
            Assert.Equal(Expected(v), state[v.Name].Data);
        }
    }

    /// <summary>The view's values as PyTorch indexes them: storage[offset + sum(index x stride)], where storage[i] = i + 1.</summary>
    private static float[] Expected(TensorView v)
    {
        var count = v.Size.Aggregate(1L, (a, s) => a * s);
        var values = new float[count];
        var index = new long[v.Size.Length];
        for (long i = 0; i < count; i++)
        {
            var at = v.Offset;
            for (var d = 0; d < index.Length; d++)
            {
                at += index[d] * v.Stride[d];
            }

            values[i] = at + 1;
            for (var d = index.Length - 1; d >= 0 && ++index[d] == v.Size[d]; d--)
            {
                index[d] = 0;
            }
        }

        return values;
    }
}
