using System.IO.Compression;

namespace AlexNet.Realtime.WeightConverter.Weights;

/// <summary>
/// PyTorch's zip checkpoint (torch.save since 1.6): <c>&lt;archive&gt;/data.pkl</c> holds the
/// pickle, whose persistent ids <c>('storage', type, key, location, numel)</c> name the entries
/// <c>&lt;archive&gt;/data/&lt;key&gt;</c> that hold each storage's little-endian bytes.
/// </summary>
internal static class TorchZipCheckpoint
{
    public static object Load(byte[] file, string what, CheckpointLimits limits)
    {
        ZipArchive zip;
        try
        {
            zip = new ZipArchive(new MemoryStream(file, writable: false), ZipArchiveMode.Read);
        }
        catch (InvalidDataException e)
        {
            throw Damaged(what, e);
        }

        using (zip)
        {
            try
            {
                return Load(zip, file.Length, what, limits);
            }
            catch (InvalidDataException e)
            {
                // The central directory is read lazily, on the first look at the entries.
                throw Damaged(what, e);
            }
        }
    }

    private static ConversionException Damaged(string what, InvalidDataException e) =>
        new($"{what}: a damaged zip file (truncated or corrupt): {e.Message}", e);

    private static object Load(ZipArchive zip, long archiveLength, string what, CheckpointLimits limits)
    {
        var pickles = zip.Entries.Where(e => e.FullName.EndsWith("data.pkl", StringComparison.Ordinal)
                                             && e.FullName.Count(c => c == '/') == 1).ToList();
        if (pickles.Count != 1)
        {
            throw new ConversionException(
                $"{what}: a zip file, but not a PyTorch checkpoint ({(pickles.Count == 0 ? "no" : "more than one")} <archive>/data.pkl inside)");
        }

        var prefix = pickles[0].FullName[..^"data.pkl".Length];
        var byteOrder = zip.GetEntry(prefix + "byteorder");
        if (byteOrder is not null && ReadEntry(byteOrder, archiveLength, what).AsSpan().SequenceEqual("big"u8))
        {
            throw new ConversionException($"{what}: a big-endian checkpoint; re-save it on a little-endian machine");
        }

        var storages = new Dictionary<string, TorchStorage>(StringComparer.Ordinal);
        var root = TorchUnpickler.LoadChecked(ReadEntry(pickles[0], archiveLength, what), what, pid =>
        {
            var storage = LegacyAwarePersistentId.Parse(pid, what);
            if (!storages.TryGetValue(storage.Key, out var known))
            {
                storages[storage.Key] = known = storage;
            }

            return known;
        });

        long storageBytes = 0;
        foreach (var storage in storages.Values)
        {
            var entry = zip.GetEntry(prefix + "data/" + storage.Key)
                        ?? throw new ConversionException($"{what}: storage {storage.Key} is named in data.pkl but missing from the archive (truncated file?)");
            // A compressed entry may expand far beyond the archive (PyTorch stores them uncompressed):
            // the storages together may hold no more than the values the limits allow, at 8 bytes each.
            storageBytes += entry.Length;
            if (storageBytes > limits.MaxStorageBytes)
            {
                throw new ConversionException(
                    $"{what}: its storages declare more than {limits.MaxStorageBytes} bytes, over the limit of {limits.MaxElements} values a checkpoint may hold (set {CheckpointLimits.EnvironmentVariable} to raise it)");
            }

            var bytes = ReadEntry(entry, archiveLength, what);
            var needed = storage.Numel * storage.Dtype.ElementSize();
            if (bytes.Length < needed)
            {
                throw new ConversionException($"{what}: storage {storage.Key} holds {bytes.Length} bytes, {needed} expected (truncated file?)");
            }

            storage.Bytes = bytes;
        }

        return root;
    }

    private static byte[] ReadEntry(ZipArchiveEntry entry, long archiveLength, string what)
    {
        if (entry.Length > Array.MaxLength)
        {
            throw new ConversionException($"{what}: zip entry {entry.FullName} claims {entry.Length} bytes, more than one array holds (damaged file?)");
        }

        try
        {
            using var stream = entry.Open();

            // The declared length is only a hint: a damaged header may claim far more than the
            // archive holds (PyTorch stores entries uncompressed), so the buffer grows as it fills.
            // Nor is more read than it declares: a damaged deflate stream could go on for gigabytes.
            using var buffer = new MemoryStream((int)Math.Min(entry.Length, archiveLength));
            var chunk = new byte[1 << 16];
            int read;
            while ((read = stream.Read(chunk, 0, chunk.Length)) > 0)
            {
                if (buffer.Length + read > entry.Length)
                {
                    throw new ConversionException($"{what}: zip entry {entry.FullName} holds more than the {entry.Length} bytes it declares (damaged file)");
                }

                buffer.Write(chunk, 0, read);
            }

            return buffer.ToArray();
        }
        catch (InvalidDataException e)
        {
            throw new ConversionException($"{what}: zip entry {entry.FullName} is damaged: {e.Message}", e);
        }
    }
}
