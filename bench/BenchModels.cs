using AlexNet.Realtime.Inference.Contract;
using AlexNet.Realtime.WeightConverter.Architecture;
using AlexNet.Realtime.WeightConverter.Graph;
using AlexNet.Realtime.WeightConverter.Quantization;

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

    public static string Frames => Ensure("alexnet_frames.onnx", new ModelOptions { Input = InputLayout.Frames });

    public static string FramesExact => Ensure("alexnet_frames_exact.onnx", new ModelOptions { Input = InputLayout.Frames, PilExactResize = true });

    /// <summary>The network alone on normalized tensors, written as the engine's models are (fully connected layers as 1x1 convolutions).</summary>
    public static string Nchw => Ensure("alexnet_nchw.onnx", new ModelOptions { Input = InputLayout.Nchw });

    /// <summary>The network alone with Gemm fully connected layers: what torch.onnx.export writes, so what a C# user starts from.</summary>
    public static string NchwGemm => Ensure("alexnet_nchw_gemm.onnx", new ModelOptions { Input = InputLayout.Nchw, Dense = DenseOps.Gemm });

    /// <summary>
    /// <see cref="Frames"/> in int8, calibrated on the bundled clip and photo. Random weights make
    /// top-1 agreement meaningless (one class for nearly every frame), so it is written whatever the
    /// agreement (<c>--force</c>); its fully connected layers are Gemm, as the converter writes int8.
    /// </summary>
    public static string FramesInt8 => Ensure("alexnet_frames_int8.onnx", new ModelOptions { Input = InputLayout.Frames, Dense = DenseOps.Gemm }, "int8");

    /// <summary><see cref="NchwGemm"/> in int8: what a C# user running an int8 model starts from.</summary>
    public static string NchwInt8 => Ensure("alexnet_nchw_int8.onnx", new ModelOptions { Input = InputLayout.Nchw, Dense = DenseOps.Gemm }, "int8");

    /// <summary>The engine as the benchmarks run it: CPU, the given threads, the app's optimized-model cache.</summary>
    /// <param name="hostPreprocessing">The engine's own resize (its default); false: the graph's.</param>
    public static AlexNet.Realtime.Inference.Engine.EngineOptions CpuEngine(int threads, AlexNet.Realtime.Inference.Engine.ThreadSpinning spinning = AlexNet.Realtime.Inference.Engine.ThreadSpinning.Off, bool hostPreprocessing = true) => new()
    {
        Device = AlexNet.Realtime.Inference.Devices.DeviceRequest.Cpu,
        IntraOpThreads = threads,
        Spinning = spinning,
        HostPreprocessing = hostPreprocessing,
        OptimizedModelCache = AlexNet.Realtime.Inference.Devices.OptimizedModelCache.DefaultDirectory(),
    };

    /// <summary>The weights every model here is built from (seed 1), for contenders that load weights themselves.</summary>
    public static AlexNet.Realtime.WeightConverter.Weights.StateDict Weights() =>
        SyntheticWeights.Generate(SyntheticWeights.FullSize(AlexNetArch.Torchvision, 1000), 1);

    /// <summary>Writes the model once; a stamp beside it names the options and converter it was written with, so a change of either rewrites it.</summary>
    private static string Ensure(string name, ModelOptions options, string precision = "fp32")
    {
        var path = Path.Combine(Directory, name);
        var stamp = path + ".options";
        var wanted = $"{options.Input} {(options.PilExactResize ? "exact" : "float")} {options.Dense} {precision} {AlexNet.Realtime.WeightConverter.ConverterInfo.Version}";
        if (!File.Exists(path) || !File.Exists(stamp) || File.ReadAllText(stamp) != wanted)
        {
            var model = SyntheticWeights.Model(options: options);
            if (precision != "fp32")
            {
                Console.Error.WriteLine($"making {name}: calibrating on the bundled clip (a few minutes, once)");
                model = PrecisionConversion.Apply(model, new PrecisionRequest { Precision = precision, Force = true }, new AlexNet.Realtime.WeightConverter.Cli.Steps(quiet: true));
            }

            ModelFile.Write(model, path);
            File.WriteAllText(stamp, wanted);
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
