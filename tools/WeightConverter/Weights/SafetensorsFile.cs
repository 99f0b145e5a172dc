using System.Text.Json;

namespace AlexNet.Realtime.WeightConverter.Weights;

/// <summary>
/// The safetensors format: a little-endian u64 header length, a JSON header mapping each tensor
/// name to its dtype, shape and byte range, then the data. Parsed with System.Text.Json; no
/// served .NET package reads safetensors, and the format is three fields.
/// </summary>
internal static class SafetensorsFile
{
    private const long MaxHeader = 100_000_000;

    /// <summary>A safetensors file starts with a plausible header length and then '{'.</summary>
    public static bool LooksLike(ReadOnlySpan<byte> head) =>
        head.Length >= 9 && BitConverter.ToUInt64(head) is > 1 and < MaxHeader && head[8] == (byte)'{';

    public static IEnumerable<WeightTensor> Load(byte[] file, string what, CheckpointLimits limits)
    {
        var headerLength = (long)BitConverter.ToUInt64(file, 0);
        if (8 + headerLength > file.Length)
        {
            throw new ConversionException($"{what}: the safetensors header runs past the end of the file (truncated file)");
        }

        var headerBytes = new ReadOnlyMemory<byte>(file, 8, (int)headerLength);

        // JsonDocument checks a string's UTF-8 only when the string is read, as an
        // InvalidOperationException from wherever that happens; check the whole header up front.
        if (!System.Text.Unicode.Utf8.IsValid(headerBytes.Span))
        {
            throw new ConversionException($"{what}: the safetensors header is not valid UTF-8 (damaged file?)");
        }

        JsonDocument header;
        try
        {
            header = JsonDocument.Parse(headerBytes);
        }
        catch (JsonException e)
        {
            throw new ConversionException($"{what}: the safetensors header is not valid JSON ({e.Message})", e);
        }

        var dataStart = 8 + (int)headerLength;
        var dataLength = file.Length - dataStart;
        var tensors = new List<WeightTensor>();
        long total = 0;
        using (header)
        {
            if (header.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new ConversionException($"{what}: the safetensors header is not a JSON object");
            }

            foreach (var property in header.RootElement.EnumerateObject())
            {
                if (property.Name == "__metadata__")
                {
                    continue;
                }

                var tensor = ReadTensor(property, file, dataStart, dataLength, what, limits);
                total += tensor.Data.Length;
                limits.CheckTotal(total, tensors.Count + 1, soFar: true);
                tensors.Add(tensor);
            }
        }

        return tensors;
    }

    // Each tensor's bytes are its own (count x element size, checked against its byte range), so
    // a tensor holds no more values than the file holds bytes: the total is checked as they come.
    private static WeightTensor ReadTensor(JsonProperty property, byte[] file, int dataStart, int dataLength, string what, CheckpointLimits limits)
    {
        var name = property.Name;
        try
        {
            var entry = property.Value;
            var dtypeName = entry.GetProperty("dtype").GetString() ?? "";
            if (!TorchDtypes.BySafetensorsName.TryGetValue(dtypeName, out var dtype))
            {
                throw new ConversionException($"{what}: tensor {name} has dtype {dtypeName}, which is not a number type this converter reads");
            }

            var shape = entry.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()).ToArray();
            var offsets = entry.GetProperty("data_offsets").EnumerateArray().Select(d => d.GetInt64()).ToArray();
            if (offsets.Length != 2 || offsets[0] < 0 || offsets[1] < offsets[0] || offsets[1] > dataLength)
            {
                throw new ConversionException($"{what}: tensor {name} has data offsets outside the file (truncated file?)");
            }

            long count = 1;
            foreach (var d in shape)
            {
                count = checked(count * d);
            }

            if (count * dtype.ElementSize() != offsets[1] - offsets[0])
            {
                throw new ConversionException($"{what}: tensor {name} has {offsets[1] - offsets[0]} bytes for shape [{string.Join(", ", shape)}] of {dtypeName}");
            }

            var storage = new TorchStorage(name, dtype, count)
            {
                Bytes = new ReadOnlyMemory<byte>(file, dataStart + (int)offsets[0], (int)(offsets[1] - offsets[0])),
            };
            var strides = new long[shape.Length];
            long acc = 1;
            for (var d = shape.Length - 1; d >= 0; d--)
            {
                strides[d] = acc;
                acc *= shape[d];
            }

            return new TorchTensorRef(storage, 0, shape, strides).Materialize(name, limits);
        }
        catch (Exception e) when (e is KeyNotFoundException or InvalidOperationException or FormatException or OverflowException)
        {
            throw new ConversionException($"{what}: tensor {name} has a malformed safetensors entry ({e.Message})", e);
        }
    }
}
