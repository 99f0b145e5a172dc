namespace AlexNet.Realtime.Bench.Compare;

/// <summary>
/// The floor, not a contender: ONNX Runtime alone on one already normalized tensor with
/// pre-bound buffers (no decoding, no preprocessing): ONNX Runtime's own time for the network,
/// which every ONNX Runtime pipeline here adds its decoding and preprocessing to.
/// </summary>
/// <param name="graph">Which network graph, in words, for the row's name.</param>
/// <param name="prepackWeights">An int8 graph's integer kernels need their weights prepacked (as the engine does for them).</param>
internal sealed class OrtFloorContender(string nchwModel, int threads, string graph, bool prepackWeights = false) : IContender
{
    private readonly PreboundOnnxRuntime _runtime = new(nchwModel, threads, prepackWeights);

    public string Name => $"floor: ONNX Runtime alone, {graph} (normalized tensor, pre-bound, no decoding)";

    public (double[] Milliseconds, int[] Top1) Run(int frames, int warmup) => TimedLoop.Run(frames, warmup, () =>
    {
        _runtime.Run();
        return -1;
    });

    public void Dispose() => _runtime.Dispose();
}
