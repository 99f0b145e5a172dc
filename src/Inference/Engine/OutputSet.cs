using AlexNet.Realtime.Inference.Contract;
using Microsoft.ML.OnnxRuntime;

namespace AlexNet.Realtime.Inference.Engine;

/// <summary>
/// The graph's top-K outputs for one batch size, in managed arrays pinned by their OrtValues
/// (each value owns its pin), allocated once. ONNX Runtime writes into them directly; on a GPU
/// only these K numbers per frame come back.
/// </summary>
internal sealed class OutputSet : IDisposable
{
    public OutputSet(int batch, int k)
    {
        Batch = batch;
        K = k;
        Probabilities = new float[batch * k];
        Indices = new long[batch * k];
        ProbabilitiesValue = OrtValue.CreateTensorValueFromMemory(Probabilities, [batch, k]);
        IndicesValue = OrtValue.CreateTensorValueFromMemory(Indices, [batch, k]);
    }

    public int Batch { get; }

    public int K { get; }

    public float[] Probabilities { get; }

    public long[] Indices { get; }

    public OrtValue ProbabilitiesValue { get; }

    public OrtValue IndicesValue { get; }

    public void BindTo(OrtIoBinding binding)
    {
        binding.BindOutput(ModelContract.ProbsTopOutputName, ProbabilitiesValue);
        binding.BindOutput(ModelContract.IndexTopOutputName, IndicesValue);
    }

    public void Dispose()
    {
        ProbabilitiesValue.Dispose();
        IndicesValue.Dispose();
    }
}
