namespace AlexNet.Realtime.WeightConverter.Weights;

/// <summary>
/// A storage named by a checkpoint's persistent id: typed bytes that one or more tensors view.
/// The bytes are resolved after unpickling, when the reader knows where storages live.
/// </summary>
internal sealed class TorchStorage
{
    public TorchStorage(string key, TorchDtype dtype, long numel)
    {
        Key = key;
        Dtype = dtype;
        Numel = numel;
    }

    public string Key { get; }

    public TorchDtype Dtype { get; }

    /// <summary>Element count the pickle declares.</summary>
    public long Numel { get; }

    /// <summary>For legacy views into a root storage: the first element of the view.</summary>
    public long ElementOffset { get; init; }

    /// <summary>The root storage's bytes (set by the reader).</summary>
    public ReadOnlyMemory<byte> Bytes { get; set; }
}

/// <summary>The arguments of <c>torch._utils._rebuild_tensor_v2</c>: a strided view of a storage.</summary>
internal sealed record TorchTensorRef(TorchStorage Storage, long Offset, long[] Size, long[] Stride)
{
    /// <summary>Copies the view into a contiguous float32 tensor, checking it stays inside its storage.</summary>
    public WeightTensor Materialize(string name)
    {
        var shape = new int[Size.Length];
        long count = 1;
        long lastIndex = Storage.ElementOffset + Offset;
        for (var d = 0; d < Size.Length; d++)
        {
            if (Size[d] < 0 || Size[d] > int.MaxValue || Stride[d] < 0)
            {
                throw new ConversionException($"tensor {name}: invalid size or stride ({string.Join(",", Size)} / {string.Join(",", Stride)})");
            }

            shape[d] = (int)Size[d];
            count = checked(count * Size[d]);
            lastIndex += (Size[d] - 1) * Stride[d];
        }

        var elementSize = Storage.Dtype.ElementSize();
        var available = Storage.Bytes.Length / elementSize;
        if (count > 0 && (Storage.ElementOffset + Offset < 0 || lastIndex >= available))
        {
            throw new ConversionException(
                $"tensor {name}: its view reaches element {lastIndex} of storage {Storage.Key}, which holds {available} (truncated or corrupt file)");
        }

        var data = new float[count];
        var bytes = Storage.Bytes.Span;
        var dtype = Storage.Dtype;
        var contiguous = IsContiguous();
        var start = Storage.ElementOffset + Offset;
        if (contiguous)
        {
            for (long i = 0; i < count; i++)
            {
                data[i] = dtype.ReadAsFloat(bytes, start + i);
            }
        }
        else
        {
            var index = new long[Size.Length];
            for (long i = 0; i < count; i++)
            {
                long at = start;
                for (var d = 0; d < Size.Length; d++)
                {
                    at += index[d] * Stride[d];
                }

                data[i] = dtype.ReadAsFloat(bytes, at);
                for (var d = Size.Length - 1; d >= 0; d--)
                {
                    if (++index[d] < Size[d])
                    {
                        break;
                    }

                    index[d] = 0;
                }
            }
        }

        return new WeightTensor(name, shape, data);
    }

    private bool IsContiguous()
    {
        long expected = 1;
        for (var d = Size.Length - 1; d >= 0; d--)
        {
            if (Size[d] != 1 && Stride[d] != expected)
            {
                return false;
            }

            expected *= Size[d];
        }

        return true;
    }
}
