namespace AlexNet.Realtime.WeightConverter.Weights;

/// <summary>The element types PyTorch storages come in, named by their legacy storage class.</summary>
internal enum TorchDtype
{
    Float32,
    Float64,
    Float16,
    BFloat16,
    Int64,
    Int32,
    Int16,
    Int8,
    UInt8,
    Bool,
}

internal static class TorchDtypes
{
    /// <summary>The <c>torch.*Storage</c> classes a state_dict pickle names, by global name.</summary>
    public static readonly IReadOnlyDictionary<string, TorchDtype> ByStorageClass = new Dictionary<string, TorchDtype>(StringComparer.Ordinal)
    {
        ["torch.FloatStorage"] = TorchDtype.Float32,
        ["torch.DoubleStorage"] = TorchDtype.Float64,
        ["torch.HalfStorage"] = TorchDtype.Float16,
        ["torch.BFloat16Storage"] = TorchDtype.BFloat16,
        ["torch.LongStorage"] = TorchDtype.Int64,
        ["torch.IntStorage"] = TorchDtype.Int32,
        ["torch.ShortStorage"] = TorchDtype.Int16,
        ["torch.CharStorage"] = TorchDtype.Int8,
        ["torch.ByteStorage"] = TorchDtype.UInt8,
        ["torch.BoolStorage"] = TorchDtype.Bool,
    };

    /// <summary>safetensors dtype names.</summary>
    public static readonly IReadOnlyDictionary<string, TorchDtype> BySafetensorsName = new Dictionary<string, TorchDtype>(StringComparer.Ordinal)
    {
        ["F32"] = TorchDtype.Float32,
        ["F64"] = TorchDtype.Float64,
        ["F16"] = TorchDtype.Float16,
        ["BF16"] = TorchDtype.BFloat16,
        ["I64"] = TorchDtype.Int64,
        ["I32"] = TorchDtype.Int32,
        ["I16"] = TorchDtype.Int16,
        ["I8"] = TorchDtype.Int8,
        ["U8"] = TorchDtype.UInt8,
        ["BOOL"] = TorchDtype.Bool,
    };

    public static int ElementSize(this TorchDtype dtype) => dtype switch
    {
        TorchDtype.Float64 or TorchDtype.Int64 => 8,
        TorchDtype.Float32 or TorchDtype.Int32 => 4,
        TorchDtype.Float16 or TorchDtype.BFloat16 or TorchDtype.Int16 => 2,
        _ => 1,
    };

    /// <summary>Element <paramref name="index"/> of a little-endian buffer, widened to float32.</summary>
    public static float ReadAsFloat(this TorchDtype dtype, ReadOnlySpan<byte> bytes, long index)
    {
        var size = dtype.ElementSize();
        var at = bytes.Slice(checked((int)(index * size)), size);
        return dtype switch
        {
            TorchDtype.Float32 => BitConverter.ToSingle(at),
            TorchDtype.Float64 => (float)BitConverter.ToDouble(at),
            TorchDtype.Float16 => (float)BitConverter.ToHalf(at),
            TorchDtype.BFloat16 => BitConverter.Int32BitsToSingle(BitConverter.ToUInt16(at) << 16),
            TorchDtype.Int64 => BitConverter.ToInt64(at),
            TorchDtype.Int32 => BitConverter.ToInt32(at),
            TorchDtype.Int16 => BitConverter.ToInt16(at),
            TorchDtype.Int8 => (sbyte)at[0],
            TorchDtype.UInt8 => at[0],
            _ => at[0] != 0 ? 1f : 0f,
        };
    }
}
