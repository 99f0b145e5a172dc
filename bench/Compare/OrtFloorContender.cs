using System.Diagnostics;
using Microsoft.ML.OnnxRuntime;

namespace AlexNet.Realtime.Bench.Compare;

/// <summary>
/// The floor, not a contender: ONNX Runtime alone on one already normalized tensor with
/// pre-bound buffers (no decoding, no preprocessing). Nothing that runs this network can be faster.
/// </summary>
internal sealed class OrtFloorContender : IContender
{
    private readonly InferenceSession _session;
    private readonly OrtIoBinding _binding;
    private readonly RunOptions _runOptions = new();
    private readonly OrtValue _input;
    private readonly OrtValue _probs;
    private readonly OrtValue _index;
    private readonly long[] _indices = new long[5];

    public OrtFloorContender(string nchwModel, int threads)
    {
        using var options = new SessionOptions { IntraOpNumThreads = threads, InterOpNumThreads = 1 };
        _session = new InferenceSession(nchwModel, options);
        var tensor = new float[3 * 224 * 224];
        for (var i = 0; i < tensor.Length; i++)
        {
            tensor[i] = ((i % 255) - 127) / 64f;
        }

        _input = OrtValue.CreateTensorValueFromMemory(tensor, [1, 3, 224, 224]);
        _probs = OrtValue.CreateTensorValueFromMemory(new float[5], [1, 5]);
        _index = OrtValue.CreateTensorValueFromMemory(_indices, [1, 5]);
        _binding = _session.CreateIoBinding();
        _binding.BindInput("input", _input);
        _binding.BindOutput("probs_top", _probs);
        _binding.BindOutput("index_top", _index);
    }

    public string Name => "floor: ONNX Runtime alone (normalized tensor, pre-bound, no decoding)";

    public (double[] Milliseconds, int[] Top1) Run(int frames, int warmup)
    {
        var times = new double[frames];
        var top1 = new int[frames];
        for (var i = -warmup; i < frames; i++)
        {
            var start = Stopwatch.GetTimestamp();
            _session.RunWithBinding(_runOptions, _binding);
            if (i >= 0)
            {
                times[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                top1[i] = -1;
            }
        }

        return (times, top1);
    }

    public void Dispose()
    {
        _binding.Dispose();
        _session.Dispose();
        _runOptions.Dispose();
        _input.Dispose();
        _probs.Dispose();
        _index.Dispose();
    }
}
