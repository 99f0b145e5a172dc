using System.Collections;

namespace AlexNet.Realtime.WeightConverter.Weights;

/// <summary>
/// Reads trained weights from any file a user is likely to have: a PyTorch zip or legacy
/// checkpoint (a bare state_dict or a training checkpoint holding one under <c>state_dict</c> or
/// <c>model</c>, with or without DataParallel's <c>module.</c> prefix) or a safetensors file.
/// The format is told by content, not by extension.
/// </summary>
public static class CheckpointReader
{
    /// <param name="limits">How many values the checkpoint may expand to; null: <see cref="CheckpointLimits.FromEnvironment"/>.</param>
    public static StateDict Read(string path, CheckpointLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        var what = Path.GetFileName(path);
        limits ??= CheckpointLimits.FromEnvironment();

        // A device, FIFO or socket is never read: /dev/zero would fill memory, a FIFO would block.
        if (Inference.InputFiles.NotARegularFile(path) is { } problem)
        {
            throw new ConversionException($"{path}: {problem}");
        }

        byte[] file;
        try
        {
            file = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ConversionException($"{path}: cannot be read ({e.Message})", e);
        }

        return Read(file, what, limits);
    }

    /// <summary>Reads weights from a file's bytes; <paramref name="what"/> starts every error's message.</summary>
    /// <param name="limits">How many values the checkpoint may expand to; null: <see cref="CheckpointLimits.FromEnvironment"/>.</param>
    public static StateDict Read(byte[] file, string what, CheckpointLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(file);
        limits ??= CheckpointLimits.FromEnvironment();
        try
        {
            return ReadFormat(file, what, limits);
        }
        catch (ConversionException e) when (!e.Message.StartsWith(what + ":", StringComparison.Ordinal))
        {
            // What fails below the readers (a tensor's view, a pickled integer, a repeated name)
            // knows the tensor but not the file.
            throw new ConversionException($"{what}: {e.Message}", e);
        }
    }

    private static StateDict ReadFormat(byte[] file, string what, CheckpointLimits limits)
    {
        if (file.Length == 0)
        {
            throw new ConversionException($"{what}: the file is empty");
        }

        var head = file.AsSpan(0, Math.Min(file.Length, 16));
        if (head.StartsWith("PK\x03\x04"u8) || head.StartsWith("PK\x05\x06"u8))
        {
            return FromPickled(TorchZipCheckpoint.Load(file, what, limits), what, limits);
        }

        if (TorchLegacyCheckpoint.LooksLike(head))
        {
            return FromPickled(TorchLegacyCheckpoint.Load(file, what), what, limits);
        }

        if (SafetensorsFile.LooksLike(head))
        {
            return Normalize(SafetensorsFile.Load(file, what, limits).ToList(), what);
        }

        if (file.Length > 262 && file.AsSpan(257, 5).SequenceEqual("ustar"u8))
        {
            throw new ConversionException($"{what}: a tar-format checkpoint from PyTorch before 0.4; load and re-save it with a current PyTorch");
        }

        if (head.StartsWith("PK"u8))
        {
            throw new ConversionException($"{what}: a damaged zip file (truncated or corrupt)");
        }

        throw new ConversionException($"{what}: not a PyTorch checkpoint (.pth/.pt, zip or legacy format) or a safetensors file");
    }

    private static StateDict FromPickled(object root, string what, CheckpointLimits limits)
    {
        var dict = FindStateDict(root, what, depth: 0);
        var views = new List<(string Name, TorchTensorRef View)>();
        var keys = dict is TorchUnpickler.PickledOrderedDict ordered ? ordered.OrderedKeys : dict.Keys.Cast<object>().ToList();
        foreach (var key in keys)
        {
            var name = key as string ?? throw new ConversionException($"{what}: the state_dict has a key that is not a string ({key})");
            views.Add(dict[key] switch
            {
                TorchTensorRef t => (name, t),
                var other => throw new ConversionException($"{what}: state_dict entry {name} is a {Describe(other)}, not a tensor"),
            });
        }

        // What the views expand to is counted, each and all together, before any is copied out:
        // views may share and repeat their storages' values, so the file's size bounds nothing.
        long total = 0;
        foreach (var (name, view) in views)
        {
            var count = view.ElementCount(name);
            limits.CheckTensor(name, count, "[" + string.Join(", ", view.Size) + "]");

            // Each count is at most the ceiling, so the sum only saturates past any ceiling.
            total = total > long.MaxValue - count ? long.MaxValue : total + count;
        }

        limits.CheckTotal(total, views.Count);

        return Normalize(views.Select(v => v.View.Materialize(v.Name, limits)).ToList(), what);
    }

    private static IDictionary FindStateDict(object root, string what, int depth)
    {
        if (root is not IDictionary dict)
        {
            throw new ConversionException($"{what}: the checkpoint holds a {Describe(root)}, not a state_dict");
        }

        if (dict.Count > 0 && dict.Values.Cast<object?>().All(v => v is TorchTensorRef))
        {
            return dict;
        }

        foreach (var key in new[] { "state_dict", "model", "model_state_dict", "net" })
        {
            if (dict.Contains(key) && depth < 2)
            {
                return FindStateDict(dict[key]!, what, depth + 1);
            }
        }

        var names = string.Join(", ", dict.Keys.Cast<object>().Select(k => k.ToString()).Order(StringComparer.Ordinal).Take(12));
        throw new ConversionException(
            $"{what}: no state_dict found: the checkpoint is a dict with keys [{names}]; expected tensors, or a dict holding them under 'state_dict' or 'model'");
    }

    /// <summary>Removes a prefix every key shares before the network's own names (DataParallel's <c>module.</c>, Lightning's <c>model.</c>).</summary>
    private static StateDict Normalize(List<WeightTensor> tensors, string what)
    {
        if (tensors.Count == 0)
        {
            throw new ConversionException($"{what}: the checkpoint holds no tensors");
        }

        foreach (var prefix in new[] { "module.", "model.", "_orig_mod." })
        {
            while (tensors.All(t => t.Name.StartsWith(prefix, StringComparison.Ordinal)))
            {
                tensors = tensors.Select(t => new WeightTensor(t.Name[prefix.Length..], [.. t.Shape], t.Data)).ToList();
            }
        }

        return new StateDict(tensors);
    }

    private static string Describe(object? value) => value switch
    {
        null => "None",
        string => "string",
        int or long => "integer",
        double => "float",
        IDictionary => "dict",
        object[] => "tuple",
        ICollection => "list",
        _ => value.GetType().Name,
    };
}
