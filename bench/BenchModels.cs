using AlexNet.Realtime.Inference.Contract;
using AlexNet.Realtime.WeightConverter.Architecture;
using AlexNet.Realtime.WeightConverter.Graph;

namespace AlexNet.Realtime.Bench;

/// <summary>The full-size synthetic models the benchmarks run, written once under models/bench/.</summary>
internal static class BenchModels
{
    public static string Directory { get; } = Path.GetFullPath(Environment.GetEnvironmentVariable("ALEXNET_BENCH_MODELS") ?? Path.Combine("models", "bench"));

    public static string Frames => Ensure("alexnet_frames.onnx", InputLayout.Frames);

    public static string Nchw => Ensure("alexnet_nchw.onnx", InputLayout.Nchw);

    private static string Ensure(string name, InputLayout layout)
    {
        var path = Path.Combine(Directory, name);
        if (!File.Exists(path))
        {
            var spec = SyntheticWeights.FullSize(AlexNetArch.Torchvision, 1000);
            var model = AlexNetModelBuilder.Build(spec, SyntheticWeights.Generate(spec, 1), new ModelOptions
            {
                Input = layout,
                Weights = WeightsKind.Synthetic,
                SourceFile = "synthetic:torchvision:seed=1",
            });
            ModelFile.Write(model, path);
        }

        return path;
    }
}
