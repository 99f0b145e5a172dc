using AlexNet.Realtime.Inference.Contract;
using Microsoft.ML.OnnxRuntime;

namespace AlexNet.Realtime.Inference.Engine;

/// <summary>
/// The graph's top-K outputs for one batch size, in managed arrays allocated once. On the CPU and
/// DirectML ONNX Runtime writes into them directly, through OrtValues over the arrays (each value
/// owns its pin) made when the set is first bound; with CUDA's device buffers the set is never
/// bound (the slot binds device memory and downloads the K numbers per frame into the arrays), so
/// no values are made.
/// </summary>
internal sealed class OutputSet : IDisposable
{
    private OrtValue? _probabilitiesValue;
    private OrtValue? _indicesValue;

    public OutputSet(int batch, int k)
    {
        Batch = batch;
        K = k;
        Probabilities = new float[batch * k];
        Indices = new long[batch * k];
    }

    public int Batch { get; }

    public int K { get; }

    public float[] Probabilities { get; }

    public long[] Indices { get; }

    /// <summary>Whether OrtValues over the arrays exist (made by the first <see cref="BindTo"/>).</summary>
    internal bool HasValues => _probabilitiesValue is not null;

    public void BindTo(OrtIoBinding binding)
    {
        _probabilitiesValue ??= OrtValue.CreateTensorValueFromMemory(Probabilities, [Batch, K]);
        _indicesValue ??= OrtValue.CreateTensorValueFromMemory(Indices, [Batch, K]);
        binding.BindOutput(ModelContract.ProbsTopOutputName, _probabilitiesValue);
        binding.BindOutput(ModelContract.IndexTopOutputName, _indicesValue);
    }

    public void Dispose()
    {
        _probabilitiesValue?.Dispose();
        _indicesValue?.Dispose();
        _probabilitiesValue = null;
        _indicesValue = null;
    }
}
