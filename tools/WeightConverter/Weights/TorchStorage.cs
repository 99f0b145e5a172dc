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
    /// <summary>
    /// The values the view holds (the product of its sizes), after checking its sizes and strides
    /// and that it stays inside its storage; overflow-checked, so a view that claims more than a
    /// long can count is refused like one that reaches past its storage.
    /// </summary>
    public long ElementCount(string name)
    {
        long count = 1;
        for (var d = 0; d < Size.Length; d++)
        {
            if (Size[d] < 0 || Size[d] > int.MaxValue || Stride[d] < 0)
            {
                throw new ConversionException($"tensor {name}: invalid size or stride ({string.Join(",", Size)} / {string.Join(",", Stride)})");
            }

            if (Size[d] != 0 && count > long.MaxValue / Size[d])
            {
                throw new ConversionException($"tensor {name}: shape [{string.Join(", ", Size)}] holds more values than can be counted (damaged or hostile file)");
            }

            count *= Size[d];
        }

        if (count == 0)
        {
            return 0;
        }

        // The last element the view reads, in elements from the storage's start; beyond a long is beyond any storage.
        var elementSize = Storage.Dtype.ElementSize();
        var available = Storage.Bytes.Length / elementSize;
        long lastIndex;
        try
        {
            lastIndex = checked(Storage.ElementOffset + Offset);
            for (var d = 0; d < Size.Length; d++)
            {
                lastIndex = checked(lastIndex + ((Size[d] - 1) * Stride[d]));
            }
        }
        catch (OverflowException)
        {
            lastIndex = long.MaxValue;
        }

        if (Storage.ElementOffset < 0 || Offset < 0 || lastIndex >= available)
        {
            throw new ConversionException(
                $"tensor {name}: its view reaches element {lastIndex} of storage {Storage.Key}, which holds {available} (truncated or corrupt file)");
        }

        return count;
    }

    /// <summary>Copies the view into a contiguous float32 tensor, checking it stays inside its storage and under <paramref name="limits"/>.</summary>
    public WeightTensor Materialize(string name, CheckpointLimits limits)
    {
        var count = ElementCount(name);
        limits.CheckTensor(name, count, "[" + string.Join(", ", Size) + "]");
        if (count > Array.MaxLength)
        {
            throw new ConversionException($"tensor {name}: {count} values, more than one array holds");
        }

        var shape = Size.Select(s => (int)s).ToArray();
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
