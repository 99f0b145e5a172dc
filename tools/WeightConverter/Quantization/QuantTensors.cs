using System.Runtime.InteropServices;
using AlexNet.Realtime.Inference.Onnx;
using Google.Protobuf;

namespace AlexNet.Realtime.WeightConverter.Quantization;

/// <summary>Quantization parameters of one activation tensor: q = saturate(round(x / Scale) + ZeroPoint).</summary>
internal readonly record struct ActivationQuant(float Scale, int ZeroPoint);

/// <summary>The arithmetic of int8 quantization, and the initializers it writes.</summary>
internal static class QuantTensors
{
    /// <summary>
    /// Parameters for an activation over <paramref name="range"/> (which holds 0): 256 levels from
    /// the range's low end, so 0 is a level; uint8 (0..255) or int8 (-128..127).
    /// </summary>
    public static ActivationQuant Activation(ValueRange range, bool unsigned)
    {
        var span = (double)range.High - range.Low;
        if (span <= 0)
        {
            return new ActivationQuant(1f, unsigned ? 0 : -128);
        }

        var scale = (float)(span / 255);
        var lowest = unsigned ? 0 : -128;
        var zero = (int)Math.Round(lowest - (range.Low / scale), MidpointRounding.ToEven);
        return new ActivationQuant(scale, Math.Clamp(zero, lowest, lowest + 255));
    }

    /// <summary>
    /// Symmetric int8 per output channel: each channel's scale is its largest |w| / 127 (1 for an
    /// all-zero channel), values rounded to -127..127 and zero points 0.
    /// </summary>
    /// <param name="channelAxisLast">The channels are the last axis ([K, N], MatMul and Gemm without transB); else the first ([O, ...]).</param>
    public static (sbyte[] Values, float[] Scales) Weights(ReadOnlySpan<float> weights, int channels, bool channelAxisLast)
    {
        var perChannel = weights.Length / channels;
        var scales = new float[channels];
        for (var i = 0; i < weights.Length; i++)
        {
            var c = channelAxisLast ? i % channels : i / perChannel;
            scales[c] = Math.Max(scales[c], Math.Abs(weights[i]));
        }

        for (var c = 0; c < channels; c++)
        {
            scales[c] = scales[c] > 0 ? scales[c] / 127f : 1f;
        }

        var values = new sbyte[weights.Length];
        for (var i = 0; i < weights.Length; i++)
        {
            var c = channelAxisLast ? i % channels : i / perChannel;
            values[i] = (sbyte)Math.Clamp(Math.Round(weights[i] / scales[c], MidpointRounding.ToEven), -127, 127);
        }

        return (values, scales);
    }

    /// <summary>A bias as int32 in the product's scale (activation scale times each channel's weight scale), as the integer kernels add it.</summary>
    public static (int[] Values, float[] Scales) Bias(ReadOnlySpan<float> bias, float activationScale, float[] weightScales)
    {
        var values = new int[bias.Length];
        var scales = new float[bias.Length];
        for (var c = 0; c < bias.Length; c++)
        {
            scales[c] = activationScale * weightScales[c];
            values[c] = (int)Math.Clamp(Math.Round(bias[c] / (double)scales[c], MidpointRounding.ToEven), int.MinValue, int.MaxValue);
        }

        return (values, scales);
    }

    public static TensorProto Tensor<T>(string name, TensorProto.Types.DataType type, ReadOnlySpan<T> values, params long[] dims)
        where T : unmanaged
    {
        var tensor = new TensorProto { Name = name, DataType = (int)type, RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(values)) };
        tensor.Dims.AddRange(dims);
        return tensor;
    }

    /// <summary>The float values of an initializer (raw data or float_data).</summary>
    public static float[] Floats(TensorProto tensor) =>
        tensor.RawData.Length > 0 ? MemoryMarshal.Cast<byte, float>(tensor.RawData.Span).ToArray() : [.. tensor.FloatData];
}
