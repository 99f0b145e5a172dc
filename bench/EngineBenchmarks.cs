using AlexNet.Realtime.Inference.Devices;
using AlexNet.Realtime.Inference.Engine;
using BenchmarkDotNet.Attributes;
using OpenCvSharp;

namespace AlexNet.Realtime.Bench;

/// <summary>
/// One 640x480 frame to top-5 with the full-size model on the CPU, against ONNX Runtime alone on
/// an already normalized tensor with pre-bound buffers: on this project's network graph (the
/// floor: the network itself) and on the graph torch.onnx.export writes (fully connected layers as
/// Gemm), which is what ONNX Runtime alone runs for a user who exported AlexNet themselves.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(BenchConfig))]
public class EngineBenchmarks
{
    private ClassifierEngine _engine = null!;
    private Mat _frame = null!;
    private PreboundOnnxRuntime _runtime = null!;
    private PreboundOnnxRuntime _runtimeOnExport = null!;

    [Params(2)]
    public int Threads { get; set; }

    /// <summary>
    /// <c>own</c>: the engine resizes frames itself and runs the network alone (the CPU's default);
    /// <c>graph</c>: the graph's float resize; <c>exact</c>: an --exact-resize model, which the engine
    /// resizes itself with Pillow's integer arithmetic (bit-exact with PIL).
    /// </summary>
    [ParamsSource(nameof(Resizes))]
    public string Resize { get; set; } = "own";

    /// <summary>own, graph and exact; <c>ALEXNET_BENCH_RESIZE</c> (comma-separated) runs only those named, for repeated runs of one.</summary>
    public static IEnumerable<string> Resizes() =>
        Environment.GetEnvironmentVariable("ALEXNET_BENCH_RESIZE") is { Length: > 0 } named
            ? named.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            : ["own", "graph", "exact"];

    [GlobalSetup]
    public void Setup()
    {
        _frame = Cv2.ImRead(BenchModels.SampleFrame, ImreadModes.Color);
        if (_frame.Empty())
        {
            throw new FileNotFoundException("the sample frame is missing", BenchModels.SampleFrame);
        }

        _engine = ClassifierEngine.Open(Resize == "exact" ? BenchModels.FramesExact : BenchModels.Frames, BenchModels.CpuEngine(Threads, hostPreprocessing: Resize != "graph"));

        _runtime = new PreboundOnnxRuntime(BenchModels.Nchw, Threads);
        _runtimeOnExport = new PreboundOnnxRuntime(BenchModels.NchwGemm, Threads);
    }

    [Benchmark(Description = "engine: 640x480 BGR frame -> top-5")]
    public int EngineFrameToTop5() => _engine.Classify(_frame).Indices[0];

    [Benchmark(Baseline = true, Description = "ONNX Runtime alone: normalized 224x224 tensor, pre-bound buffers")]
    public int OnnxRuntimeAlone() => _runtime.Run();

    [Benchmark(Description = "ONNX Runtime alone on torch.onnx.export's graph (Gemm): normalized tensor, pre-bound buffers")]
    public int OnnxRuntimeAloneOnExportedGraph() => _runtimeOnExport.Run();

    [GlobalCleanup]
    public void Cleanup()
    {
        _engine.Dispose();
        _frame.Dispose();
        _runtime.Dispose();
        _runtimeOnExport.Dispose();
    }
}
