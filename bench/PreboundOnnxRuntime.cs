using Microsoft.ML.OnnxRuntime;

namespace AlexNet.Realtime.Bench;

/// <summary>
/// ONNX Runtime alone at its fastest: the nchw model on one already normalized tensor, inputs and
/// outputs bound once, the engine's session settings (no spinning, weights not prepacked). The
/// floor the benchmarks compare with.
/// </summary>
internal sealed class PreboundOnnxRuntime : IDisposable
{
    private readonly InferenceSession _session;
    private readonly OrtIoBinding _binding;
    private readonly RunOptions _runOptions = new();
    private readonly OrtValue _input;
    private readonly OrtValue _probs;
    private readonly OrtValue _index;
    private readonly long[] _indices = new long[5];

    /// <param name="prepackWeights">ONNX Runtime's default; the engine turns it off for one-frame runs (see EngineOptions.PrepackWeights).</param>
    /// <param name="spinning">The workers' spinning, set as the engine sets it (off by default, as the engine's default).</param>
    public PreboundOnnxRuntime(string nchwModel, int threads, bool prepackWeights = false, AlexNet.Realtime.Inference.Engine.ThreadSpinning spinning = AlexNet.Realtime.Inference.Engine.ThreadSpinning.Off)
    {
        using var options = new SessionOptions { IntraOpNumThreads = threads, InterOpNumThreads = 1, GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL };
        AlexNet.Realtime.Inference.Engine.ThreadSpinningSettings.ApplyTo(spinning, options);
        options.AddSessionConfigEntry("session.disable_prepacking", prepackWeights ? "0" : "1");
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

    /// <summary>One run; returns the top-1 class.</summary>
    public int Run()
    {
        _session.RunWithBinding(_runOptions, _binding);
        return (int)_indices[0];
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
