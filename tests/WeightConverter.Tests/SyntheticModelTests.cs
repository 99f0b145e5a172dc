using AlexNet.Realtime.Inference.Contract;
using AlexNet.Realtime.TestSupport;
using AlexNet.Realtime.WeightConverter.Architecture;
using AlexNet.Realtime.WeightConverter.Graph;
using Microsoft.ML.OnnxRuntime;
using OpenCvSharp;
using Xunit;

namespace AlexNet.Realtime.WeightConverter.Tests;

/// <summary>One full-size synthetic model, shared by the tests of this class.</summary>
public sealed class FullSizeSyntheticModel : IDisposable
{
    private readonly TempDirectory _dir = new();

    public FullSizeSyntheticModel()
    {
        Path = _dir.File("synthetic.onnx");
        ModelFile.Write(SyntheticWeights.Model(seed: 7), Path);
        Session = OrtRunner.Open(Path);
    }

    public string Path { get; }

    public InferenceSession Session { get; }

    public void Dispose()
    {
        Session.Dispose();
        _dir.Dispose();
    }
}

public sealed class SyntheticModelTests(FullSizeSyntheticModel model) : IClassFixture<FullSizeSyntheticModel>
{
    [Theory]
    [InlineData(640, 480)]
    [InlineData(1920, 1080)]
    public void FullSizeModel_ReturnsDescendingTopKWithContractLabels(int width, int height)
    {
        using var frame = new Mat(height, width, MatType.CV_8UC3);
        Cv2.Randu(frame, new Scalar(0, 0, 0), new Scalar(255, 255, 255));
        var outputs = OrtRunner.RunFrame(model.Session, frame);
        var probs = outputs[ModelContract.ProbsTopOutputName].Floats!;
        var index = outputs[ModelContract.IndexTopOutputName].Longs!;
        var contract = ModelContract.FromMetadata(model.Session.ModelMetadata.CustomMetadataMap);

        Assert.Equal(5, probs.Length);
        Assert.All(probs, p => Assert.InRange(p, float.Epsilon, 1f));
        for (var k = 1; k < probs.Length; k++)
        {
            Assert.True(probs[k - 1] >= probs[k], $"probabilities not descending: {string.Join(", ", probs)}");
        }

        Assert.All(index, i => Assert.InRange(i, 0, contract.NumClasses - 1));
        Assert.Equal(WeightsKind.Synthetic, contract.Weights);
        Assert.Equal(Labels.ImageNet, contract.Labels);
        Assert.Equal(224, contract.CropSize);
        Assert.Equal(5, index.Distinct().Count());
        Assert.False(string.IsNullOrWhiteSpace(contract.Labels[(int)index[0]]));
    }

    [Fact]
    public void FullSizeModel_IsDeterministicForItsSeed()
    {
        var spec = SyntheticWeights.FullSize(AlexNetArch.Torchvision, 1000);
        var a = SyntheticWeights.Generate(spec, 7);
        var b = SyntheticWeights.Generate(spec, 7);
        var c = SyntheticWeights.Generate(spec, 8);
        Assert.Equal(a["classifier.6.weight"].Data, b["classifier.6.weight"].Data);
        Assert.NotEqual(a["classifier.6.weight"].Data, c["classifier.6.weight"].Data);
        Assert.Equal(61_100_840, spec.Convs.Sum(l => (long)l.OutChannels * (l.InChannels / l.Groups) * l.Kernel * l.Kernel + l.OutChannels)
                                 + spec.Linears.Sum(l => (long)l.OutFeatures * l.InFeatures + l.OutFeatures));
    }
}
