using AlexNet.Realtime.Inference.Devices;
using AlexNet.Realtime.Inference.Engine;
using BenchmarkDotNet.Attributes;
using Microsoft.ML.OnnxRuntime;
using OpenCvSharp;

namespace AlexNet.Realtime.Bench;

/// <summary>
/// One 640x480 frame to top-5 with the full-size model on the CPU, against ONNX Runtime alone on
/// an already normalized tensor with pre-bound buffers (the floor: the network itself).
/// </summary>
[MemoryDiagnoser]
[Config(typeof(BenchConfig))]
public class EngineBenchmarks
{
    private ClassifierEngine _engine = null!;
    private Mat _frame = null!;
    private InferenceSession _session = null!;
    private OrtIoBinding _binding = null!;
    private RunOptions _runOptions = null!;
    private OrtValue _input = null!;
    private OrtValue _probs = null!;
    private OrtValue _index = null!;

    [Params(2)]
    public int Threads { get; set; }

    /// <summary>false: float resize (the default); true: --exact-resize (uint8, bit-exact with PIL).</summary>
    [Params(false, true)]
    public bool ExactResize { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _frame = Cv2.ImRead(BenchModels.SampleFrame, ImreadModes.Color);
        if (_frame.Empty())
        {
            throw new FileNotFoundException("the sample frame is missing", BenchModels.SampleFrame);
        }

        _engine = ClassifierEngine.Open(ExactResize ? BenchModels.FramesExact : BenchModels.Frames, new EngineOptions { Device = DeviceRequest.Cpu, IntraOpThreads = Threads });

        // The same threading as the engine's (no spinning), so the two differ only by what the engine adds.
        using var options = new SessionOptions { IntraOpNumThreads = Threads, InterOpNumThreads = 1, GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL };
        options.AddSessionConfigEntry("session.intra_op.allow_spinning", "0");
        _session = new InferenceSession(BenchModels.Nchw, options);
        var tensor = new float[3 * 224 * 224];
        for (var i = 0; i < tensor.Length; i++)
        {
            tensor[i] = (i % 255 - 127) / 64f;
        }

        _input = OrtValue.CreateTensorValueFromMemory(tensor, [1, 3, 224, 224]);
        _probs = OrtValue.CreateTensorValueFromMemory(new float[5], [1, 5]);
        _index = OrtValue.CreateTensorValueFromMemory(new long[5], [1, 5]);
        _binding = _session.CreateIoBinding();
        _binding.BindInput("input", _input);
        _binding.BindOutput("probs_top", _probs);
        _binding.BindOutput("index_top", _index);
        _runOptions = new RunOptions();
    }

    [Benchmark(Description = "engine: 640x480 BGR frame -> top-5 (preprocessing in graph)")]
    public int EngineFrameToTop5() => _engine.Classify(_frame).Indices[0];

    [Benchmark(Baseline = true, Description = "ONNX Runtime alone: normalized 224x224 tensor, pre-bound buffers")]
    public float OnnxRuntimeAlone()
    {
        _session.RunWithBinding(_runOptions, _binding);
        return _probs.GetTensorDataAsSpan<float>()[0];
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _engine.Dispose();
        _frame.Dispose();
        _binding.Dispose();
        _session.Dispose();
        _runOptions.Dispose();
        _input.Dispose();
        _probs.Dispose();
        _index.Dispose();
    }
}
