using AlexNet.Realtime.Inference.Contract;
using AlexNet.Realtime.WeightConverter.Architecture;
using AlexNet.Realtime.WeightConverter.Graph;

namespace AlexNet.Realtime.Bench;

/// <summary>
/// The full-size synthetic models and sample frame the benchmarks use, under the repository's
/// models/bench/ (found from the running binary, since BenchmarkDotNet runs from its own folder).
/// </summary>
internal static class BenchModels
{
    public static string RepositoryRoot { get; } = FindRoot();

    public static string Directory { get; } = Path.Combine(RepositoryRoot, "models", "bench");

    public static string SampleFrame => Path.Combine(RepositoryRoot, "samples", "frame-640x480.jpg");

    public static string DemoClip => Path.Combine(RepositoryRoot, "samples", "demo-640x480.mp4");

    public static string Frames => Ensure("alexnet_frames.onnx", InputLayout.Frames, exact: false);

    public static string FramesExact => Ensure("alexnet_frames_exact.onnx", InputLayout.Frames, exact: true);

    public static string Nchw => Ensure("alexnet_nchw.onnx", InputLayout.Nchw, exact: false);

    /// <summary>The weights every model here is built from (seed 1), for contenders that load weights themselves.</summary>
    public static AlexNet.Realtime.WeightConverter.Weights.StateDict Weights() =>
        SyntheticWeights.Generate(SyntheticWeights.FullSize(AlexNetArch.Torchvision, 1000), 1);

    private static string Ensure(string name, InputLayout layout, bool exact)
    {
        var path = Path.Combine(Directory, name);
        if (!File.Exists(path))
        {
            ModelFile.Write(SyntheticWeights.Model(options: new ModelOptions { Input = layout, PilExactResize = exact }), path);
        }

        return path;
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "AlexNet.Realtime.sln")))
            {
                return dir.FullName;
            }
        }

        return Environment.CurrentDirectory;
    }
}
