using Xunit;
using AlexNet.Realtime.Inference.Contract;
using AlexNet.Realtime.TestSupport;
using AlexNet.Realtime.WeightConverter.Architecture;
using AlexNet.Realtime.WeightConverter.Graph;
using AlexNet.Realtime.WeightConverter.Weights;

namespace AlexNet.Realtime.Inference.Tests;

/// <summary>Models the engine tests run: the PyTorch-written mini network and a full-size synthetic one.</summary>
public sealed class TestModels : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly Lazy<string> _fullSize;
    private readonly Lazy<string> _miniFramesExact;

    public TestModels()
    {
        MiniFrames = Write("tv_mini_frames.onnx", Fixtures.Path("tv_mini.pth"), InputLayout.Frames);
        MiniNchw = Write("tv_mini_nchw.onnx", Fixtures.Path("tv_mini.pth"), InputLayout.Nchw);
        _miniFramesExact = new Lazy<string>(() => Write("tv_mini_frames_exact.onnx", Fixtures.Path("tv_mini.pth"), InputLayout.Frames, exactResize: true));
        _fullSize = new Lazy<string>(() =>
        {
            var path = _dir.File("synthetic_full.onnx");
            ModelFile.Write(SyntheticWeights.Model(seed: 3), path);
            return path;
        });
    }

    /// <summary>tv_mini.pth (PyTorch's) as a frames model, top 5 of 10 classes.</summary>
    public string MiniFrames { get; }

    public string MiniNchw { get; }

    /// <summary>The same network with the uint8 (PIL-exact) resize: another graph over the same weights.</summary>
    public string MiniFramesExact => _miniFramesExact.Value;

    public string FullSize => _fullSize.Value;

    public void Dispose() => _dir.Dispose();

    private string Write(string name, string weights, InputLayout layout, bool exactResize = false)
    {
        var state = CheckpointReader.Read(weights);
        var spec = ArchitectureDetector.Detect(state, null);
        var path = _dir.File(name);
        ModelFile.Write(AlexNetModelBuilder.Build(spec, state, new ModelOptions { Input = layout, SourceFile = Path.GetFileName(weights), PilExactResize = exactResize }), path);
        return path;
    }
}

[CollectionDefinition("Models")]
public sealed class ModelsGroup : ICollectionFixture<TestModels>;
