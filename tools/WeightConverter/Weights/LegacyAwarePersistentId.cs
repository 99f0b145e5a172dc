namespace AlexNet.Realtime.WeightConverter.Weights;

/// <summary>
/// Parses a storage persistent id: <c>('storage', storage_class, key, location, numel)</c> in zip
/// checkpoints, with a sixth element <c>view_metadata</c> in legacy ones (None, or
/// <c>(view_key, offset, size)</c> for pre-1.0 storage views).
/// </summary>
internal static class LegacyAwarePersistentId
{
    public static TorchStorage Parse(object[] pid, string what)
    {
        if (pid.Length < 5 || pid[0] is not string tag || tag != "storage")
        {
            throw new ConversionException($"{what}: unexpected persistent id (not a storage reference)");
        }

        if (pid[1] is not TorchUnpickler.StorageClass storageClass)
        {
            throw new ConversionException($"{what}: a storage of unknown type");
        }

        var key = pid[2] as string ?? throw new ConversionException($"{what}: a storage without a key");
        var numel = TorchUnpickler.ToInt64(pid[4], "storage size");
        if (pid.Length >= 6 && pid[5] is object[] view && view.Length == 3)
        {
            // A view into a root storage: its key and element range, over the root's bytes.
            return new TorchStorage(key, storageClass.Dtype, numel)
            {
                ElementOffset = TorchUnpickler.ToInt64(view[1], "storage view offset"),
            };
        }

        return new TorchStorage(key, storageClass.Dtype, numel);
    }
}
