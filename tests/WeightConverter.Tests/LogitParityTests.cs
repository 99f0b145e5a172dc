using AlexNet.Realtime.Inference.Contract;
using AlexNet.Realtime.TestSupport;
using AlexNet.Realtime.WeightConverter.Graph;
using Xunit;
using Xunit.Abstractions;

namespace AlexNet.Realtime.WeightConverter.Tests;

/// <summary>Converted models reproduce the logits PyTorch computed for the same inputs.</summary>
public sealed class LogitParityTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("tv_mini.pth", "tv_mini_input.npy", "tv_mini_logits.npy", DenseOps.Conv1x1)]
    [InlineData("tv_mini.pth", "tv_mini_input.npy", "tv_mini_logits.npy", DenseOps.Gemm)]
    [InlineData("paper_mini.pth", "paper_mini_input.npy", "paper_mini_logits.npy", DenseOps.Conv1x1)]
    [InlineData("paper_mini.pth", "paper_mini_input.npy", "paper_mini_logits.npy", DenseOps.Gemm)]
    [InlineData("generated/tv_mini_legacy.pth", "tv_mini_input.npy", "tv_mini_logits.npy", DenseOps.Conv1x1)]
    [InlineData("generated/tv_mini_shared_views.pth", "tv_mini_input.npy", "tv_mini_logits.npy", DenseOps.Conv1x1)]
    [InlineData("generated/tv_mini.safetensors", "tv_mini_input.npy", "tv_mini_logits.npy", DenseOps.Conv1x1)]
    public void NchwModel_ReproducesPyTorchLogits(string weights, string inputFile, string logitsFile, DenseOps dense)
    {
        using var dir = new TempDirectory();
        var model = ConvertedModels.Convert(dir, Fixtures.Path(weights), InputLayout.Nchw, dense: dense);
        var input = Npy.ReadFloat32(Fixtures.Path(inputFile));
        var expected = Npy.ReadFloat32(Fixtures.Path(logitsFile));

        using var session = OrtRunner.Open(model);
        var outputs = OrtRunner.RunFloat(session, ModelContract.NchwInputName, input.Data, input.Shape.Select(d => (long)d).ToArray());
        var logits = outputs[ModelContract.LogitsOutputName].Floats!;

        var scale = expected.Data.Max(MathF.Abs);
        var (max, _) = Compare.AbsDiff(logits, expected.Data);
        output.WriteLine($"{weights}, {dense}: max |diff| {max:g3} vs max |logit| {scale:g3} ({max / scale:g3} relative)");
        Assert.True(max <= 1e-4 * scale, $"max |diff| {max} > 1e-4 x {scale}");
    }

    [Theory]
    [InlineData("generated/tv_mini_fp16_dataparallel_checkpoint.pth", 5e-3)]
    [InlineData("generated/tv_mini_bf16_legacy_checkpoint.pth", 2e-2)]
    public void ReducedPrecisionModel_StaysCloseToFloat32Logits(string weights, double relativeTolerance)
    {
        using var dir = new TempDirectory();
        var model = ConvertedModels.Convert(dir, Fixtures.Path(weights), InputLayout.Nchw);
        var input = Npy.ReadFloat32(Fixtures.Path("tv_mini_input.npy"));
        var expected = Npy.ReadFloat32(Fixtures.Path("tv_mini_logits.npy"));

        using var session = OrtRunner.Open(model);
        var logits = OrtRunner.RunFloat(session, ModelContract.NchwInputName, input.Data, [2, 3, 224, 224])[ModelContract.LogitsOutputName].Floats!;
        var scale = expected.Data.Max(MathF.Abs);
        var (max, _) = Compare.AbsDiff(logits, expected.Data);
        output.WriteLine($"{weights}: max |diff| {max:g3} ({max / scale:g3} of max |logit|)");
        Assert.True(max <= relativeTolerance * scale, $"max |diff| {max} > {relativeTolerance} x {scale}");
        Assert.True(max > 0, "reduced precision weights should not reproduce float32 logits bit for bit");
    }

    [Theory]
    [InlineData(DenseOps.Conv1x1, "Conv", 8)]
    [InlineData(DenseOps.Gemm, "Gemm", 3)]
    public void FullyConnectedLayers_WrittenWithTheChosenOperators(DenseOps dense, string op, int count)
    {
        using var dir = new TempDirectory();
        var model = Graph.ModelFile.Read(ConvertedModels.Convert(dir, Fixtures.Path("tv_mini.pth"), InputLayout.Nchw, dense: dense));
        var ops = model.Graph.Node.Select(n => n.OpType).ToList();

        // torchvision's five convolutions, plus fc6, fc7 and fc8 when they are 1x1 convolutions.
        Assert.Equal(count, ops.Count(o => o == op));
        Assert.Equal(dense == DenseOps.Gemm ? 0 : 3, model.Graph.Initializer.Count(t => t.Name.StartsWith("classifier.", StringComparison.Ordinal) && t.Dims.Count == 4));
    }

    [Fact]
    public void NchwModel_TopKOutputsAreSoftmaxOfLogits()
    {
        using var dir = new TempDirectory();
        var model = ConvertedModels.Convert(dir, Fixtures.Path("tv_mini.pth"), InputLayout.Nchw, top: 3);
        var input = Npy.ReadFloat32(Fixtures.Path("tv_mini_input.npy"));
        using var session = OrtRunner.Open(model);
        var outputs = OrtRunner.RunFloat(session, ModelContract.NchwInputName, input.Data, [2, 3, 224, 224]);
        var logits = outputs[ModelContract.LogitsOutputName].Floats!;
        var probs = outputs[ModelContract.ProbsTopOutputName].Floats!;
        var index = outputs[ModelContract.IndexTopOutputName].Longs!;
        Assert.Equal([2L, 3L], outputs[ModelContract.ProbsTopOutputName].Shape);

        for (var n = 0; n < 2; n++)
        {
            var row = logits.AsSpan(n * 10, 10).ToArray();
            var max = row.Max();
            var denominator = row.Sum(v => Math.Exp(v - max));
            var expectedTop = Compare.TopK(row, 3);
            for (var k = 0; k < 3; k++)
            {
                Assert.Equal(expectedTop[k], index[n * 3 + k]);
                Assert.Equal(Math.Exp(row[expectedTop[k]] - max) / denominator, probs[n * 3 + k], 5);
            }
        }
    }
}
