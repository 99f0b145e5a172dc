using AlexNet.Realtime.Inference.Contract;
using AlexNet.Realtime.TestSupport;
using AlexNet.Realtime.WeightConverter.Architecture;
using AlexNet.Realtime.WeightConverter.Graph;
using AlexNet.Realtime.WeightConverter.Weights;
using Xunit;

namespace AlexNet.Realtime.App.Tests;

/// <summary>The PyTorch-written mini model as a frames model, for app runs that must be quick.</summary>
public sealed class AppModels : IDisposable
{
    private readonly TempDirectory _dir = new();

    public AppModels()
    {
        var state = CheckpointReader.Read(Fixtures.Path("tv_mini.pth"));
        var spec = ArchitectureDetector.Detect(state, null);
        MiniFrames = _dir.File("tv_mini.onnx");
        ModelFile.Write(AlexNetModelBuilder.Build(spec, state, new ModelOptions { SourceFile = "tv_mini.pth" }), MiniFrames);
        MiniSynthetic = _dir.File("tv_mini_synthetic.onnx");
        ModelFile.Write(AlexNetModelBuilder.Build(spec, state, new ModelOptions { SourceFile = "tv_mini.pth", Weights = WeightsKind.Synthetic }), MiniSynthetic);
    }

    public string MiniFrames { get; }

    /// <summary>The mini model marked as having synthetic weights, as the first run's fallback is.</summary>
    public string MiniSynthetic { get; }

    public static string DemoClip => Path.Combine(Fixtures.RepositoryRoot, "samples", "demo-640x480.mp4");

    public void Dispose() => _dir.Dispose();
}

[CollectionDefinition("App", DisableParallelization = true)]
public sealed class AppGroup : ICollectionFixture<AppModels>;
