using AlexNet.Realtime.TestSupport;
using AlexNet.Realtime.WeightConverter.Weights;
using Xunit;

namespace AlexNet.Realtime.WeightConverter.Tests;

/// <summary>Every checkpoint form holds the same tensors as PyTorch's own tv_mini.pth.</summary>
public sealed class CheckpointFormatTests
{
    private static readonly StateDict Reference = CheckpointReader.Read(Fixtures.Path("tv_mini.pth"));

    [Fact]
    public void ZipStateDict_HasTorchvisionKeysAndShapes()
    {
        Assert.Equal(16, Reference.Count);
        Assert.Equal([16, 3, 11, 11], Reference["features.0.weight"].Shape);
        Assert.Equal([10, 64], Reference["classifier.6.weight"].Shape);
        Assert.Contains(Reference["features.0.weight"].Data, v => v != 0f);
    }

    [Theory]
    [InlineData("tv_mini_legacy.pth")]
    [InlineData("tv_mini_shared_views.pth")]
    [InlineData("tv_mini.safetensors")]
    public void Float32Variant_EqualsZipStateDictExactly(string file)
    {
        var state = CheckpointReader.Read(Fixtures.Generated(file));
        AssertSameTensors(state, v => v);
    }

    [Fact]
    public void Fp16DataParallelCheckpoint_IsUnwrappedAndConvertedFromHalf()
    {
        var state = CheckpointReader.Read(Fixtures.Generated("tv_mini_fp16_dataparallel_checkpoint.pth"));
        Assert.DoesNotContain(state.Names, n => n.StartsWith("module.", StringComparison.Ordinal));
        AssertSameTensors(state, v => (float)(Half)v);
    }

    [Fact]
    public void Bf16LegacyCheckpointUnderModelKey_IsConvertedFromBFloat16()
    {
        var state = CheckpointReader.Read(Fixtures.Generated("tv_mini_bf16_legacy_checkpoint.pth"));
        AssertSameTensors(state, RoundToBFloat16);
    }

    [Fact]
    public void SharedStorageViews_ReadTransposedViewByItsStrides()
    {
        var state = CheckpointReader.Read(Fixtures.Generated("tv_mini_shared_views.pth"));
        var expected = Reference["classifier.6.weight"];
        var actual = state["classifier.6.weight"];
        Assert.Equal(expected.Shape, actual.Shape);
        Assert.Equal(expected.Data[1], actual.Data[1]);
        Assert.Equal(expected.Data[64], actual.Data[64]);
    }

    private static void AssertSameTensors(StateDict state, Func<float, float> expectedValue)
    {
        Assert.Equal(Reference.Names.Order(StringComparer.Ordinal), state.Names.Order(StringComparer.Ordinal));
        foreach (var name in Reference.Names)
        {
            var want = Reference[name];
            var got = state[name];
            Assert.Equal(want.Shape, got.Shape);
            for (var i = 0; i < want.Data.Length; i++)
            {
                if (expectedValue(want.Data[i]) != got.Data[i])
                {
                    Assert.Fail($"{name}[{i}]: expected {expectedValue(want.Data[i])}, got {got.Data[i]}");
                }
            }
        }
    }

    private static float RoundToBFloat16(float value)
    {
        var bits = BitConverter.SingleToUInt32Bits(value);
        var rounded = (bits + 0x7FFFu + ((bits >> 16) & 1u)) & 0xFFFF0000u;
        return BitConverter.UInt32BitsToSingle(rounded);
    }

    [Fact]
    public void WholePickledModel_RefusedWithHowToSaveItsWeights()
    {
        // torch.save(model) of a torchvision AlexNet: data.pkl names the model's class (here the
        // smallest pickle that does: GLOBAL, EMPTY_TUPLE, NEWOBJ, STOP).
        byte[] pickle = [0x80, 0x02, .. System.Text.Encoding.ASCII.GetBytes("ctorchvision.models.alexnet\nAlexNet\n"), (byte)')', 0x81, (byte)'.'];
        using var zipped = new MemoryStream();
        using (var zip = new System.IO.Compression.ZipArchive(zipped, System.IO.Compression.ZipArchiveMode.Create, leaveOpen: true))
        {
            using var entry = zip.CreateEntry("model/data.pkl", System.IO.Compression.CompressionLevel.NoCompression).Open();
            entry.Write(pickle);
        }

        var e = Assert.Throws<ConversionException>(() => CheckpointReader.Read(zipped.ToArray(), "model.pth"));
        Assert.Equal(
            "model.pth: refused to load global 'torchvision.models.alexnet.AlexNet': a weights file may only name tensors and their storages " +
            "(as torch.load(weights_only=True)); nothing from the file was run; this looks like a whole pickled model: save its weights with torch.save(model.state_dict(), path)",
            e.Message);
    }
}
