using AlexNet.Realtime.Inference.Contract;
using AlexNet.Realtime.Inference.Onnx;
using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;

namespace AlexNet.Realtime.WeightConverter.Quantization;

/// <summary>
/// Runs a model's network on the CPU with ONNX Runtime: from its <c>crop_levels</c> tensor (the
/// engine's CPU path) or, for an nchw model, from its normalized input, a batch of frames at a
/// time, returning the outputs asked for.
/// </summary>
internal sealed class NetworkRunner : IDisposable
{
    private const int Batch = 8;
    private readonly InferenceSession _session;
    private readonly string _input;
    private readonly bool _normalize;
    private readonly int _crop;
    private readonly float[] _scale = new float[3];
    private readonly float[] _shift = new float[3];

    /// <param name="network">The network alone: the model cut at crop_levels, or an nchw model.</param>
    public NetworkRunner(ModelProto network, ModelContract contract)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(contract);
        _crop = contract.CropSize;
        _normalize = contract.InputLayout == InputLayout.Nchw;
        _input = _normalize ? ModelContract.NchwInputName : contract.CropLevels ?? throw new ConversionException("the model names no crop_levels tensor to calibrate from");
        for (var c = 0; c < 3; c++)
        {
            _scale[c] = 1f / (255f * contract.Std[c]);
            _shift[c] = contract.Mean[c] / contract.Std[c];
        }

        using var options = new SessionOptions { IntraOpNumThreads = Math.Min(Environment.ProcessorCount, 8), LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR };
        try
        {
            _session = new InferenceSession(network.ToByteArray(), options);
        }
        catch (OnnxRuntimeException e)
        {
            throw new ConversionException($"ONNX Runtime can't load the network to calibrate it ({Inference.ErrorText.OneLine(e.Message)})", e);
        }
    }

    /// <summary>Runs every frame, a batch at a time; <paramref name="take"/> gets the batch's frame count and each named output's values, [frames, ...] row-major.</summary>
    public void Run(IReadOnlyList<byte[]> frames, IReadOnlyList<string> outputs, Action<int, IReadOnlyList<float[]>> take) =>
        Run(frames, outputs, (count, values, _) => take(count, values));

    /// <summary>As the other overload; <paramref name="take"/> also gets each output's shape.</summary>
    public void Run(IReadOnlyList<byte[]> frames, IReadOnlyList<string> outputs, Action<int, IReadOnlyList<float[]>, IReadOnlyList<long[]>> take)
    {
        var planeSize = _crop * _crop;
        var input = new float[Batch * 3 * planeSize];
        using var runOptions = new RunOptions();
        for (var start = 0; start < frames.Count; start += Batch)
        {
            var count = Math.Min(Batch, frames.Count - start);
            for (var f = 0; f < count; f++)
            {
                Fill(frames[start + f], input.AsSpan(f * 3 * planeSize, 3 * planeSize), planeSize);
            }

            using var value = OrtValue.CreateTensorValueFromMemory(input.AsMemory(0, count * 3 * planeSize).ToArray(), [count, 3, _crop, _crop]);
            using var results = _session.Run(runOptions, [_input], [value], outputs);
            take(count, results.Select(r => r.GetTensorDataAsSpan<float>().ToArray()).ToList(), results.Select(r => r.GetTensorTypeAndShape().Shape).ToList());
        }
    }

    /// <summary>The logits of every frame, [frames, classes] row-major.</summary>
    public float[] Logits(IReadOnlyList<byte[]> frames)
    {
        var logits = new List<float>();
        Run(frames, [ModelContract.LogitsOutputName], (_, values) => logits.AddRange(values[0]));
        return [.. logits];
    }

    private void Fill(byte[] levels, Span<float> output, int planeSize)
    {
        if (!_normalize)
        {
            for (var i = 0; i < levels.Length; i++)
            {
                output[i] = levels[i];
            }

            return;
        }

        // crop_levels holds B, G, R planes of levels; an nchw model takes normalized R, G, B.
        for (var c = 0; c < 3; c++)
        {
            var from = levels.AsSpan((2 - c) * planeSize, planeSize);
            var to = output.Slice(c * planeSize, planeSize);
            for (var i = 0; i < planeSize; i++)
            {
                to[i] = (from[i] * _scale[c]) - _shift[c];
            }
        }
    }

    public void Dispose() => _session.Dispose();
}
