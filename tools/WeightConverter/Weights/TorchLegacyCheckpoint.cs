using System.Collections;
using System.Numerics;

namespace AlexNet.Realtime.WeightConverter.Weights;

/// <summary>
/// PyTorch's legacy checkpoint (torch.save before 1.6, or _use_new_zipfile_serialization=False):
/// five consecutive pickles and raw data: the magic number, the protocol version, sys_info, the
/// object, the sorted storage keys; then each storage as an int64 element count and its bytes.
/// </summary>
internal static class TorchLegacyCheckpoint
{
    public static readonly BigInteger MagicNumber = BigInteger.Parse("119547037146038801333356", System.Globalization.CultureInfo.InvariantCulture);
    private const long ProtocolVersion = 1001;

    /// <summary>A legacy file starts with the pickled magic number: PROTO 2, LONG1 10 bytes.</summary>
    public static bool LooksLike(ReadOnlySpan<byte> head) =>
        head.Length >= 4 && head[0] == 0x80 && head[1] == 0x02 && head[2] == 0x8a && head[3] == 0x0a;

    public static object Load(byte[] file, string what)
    {
        var pos = 0;
        var magic = NextPickle(file, ref pos, what, "magic number", _ => throw new ConversionException($"{what}: unexpected storage in header"));
        if (magic is not BigInteger m || m != MagicNumber)
        {
            throw new ConversionException($"{what}: not a PyTorch checkpoint (wrong magic number)");
        }

        var protocol = NextPickle(file, ref pos, what, "protocol version", _ => throw new ConversionException($"{what}: unexpected storage in header"));
        if (TorchUnpickler.ToInt64(protocol, "protocol version") != ProtocolVersion)
        {
            throw new ConversionException($"{what}: unsupported legacy protocol version {protocol}");
        }

        var sysInfo = NextPickle(file, ref pos, what, "sys_info", _ => throw new ConversionException($"{what}: unexpected storage in header"));
        if (sysInfo is Hashtable info && info["little_endian"] is false)
        {
            throw new ConversionException($"{what}: a big-endian checkpoint; re-save it on a little-endian machine");
        }

        var storages = new Dictionary<string, TorchStorage>(StringComparer.Ordinal);
        var views = new List<TorchStorage>();
        var root = NextPickle(file, ref pos, what, "checkpoint", pid =>
        {
            var storage = LegacyAwarePersistentId.Parse(pid, what);
            if (storage.ElementOffset != 0 || (pid.Length >= 6 && pid[5] is object[]))
            {
                views.Add(storage);
                return storage;
            }

            if (!storages.TryGetValue(storage.Key, out var known))
            {
                storages[storage.Key] = known = storage;
            }

            return known;
        });

        var keys = NextPickle(file, ref pos, what, "storage keys", _ => throw new ConversionException($"{what}: unexpected storage in key list"));
        if (keys is not ArrayList keyList)
        {
            throw new ConversionException($"{what}: the storage key list is missing (truncated file?)");
        }

        var data = new Dictionary<string, ReadOnlyMemory<byte>>(StringComparer.Ordinal);
        foreach (var keyObject in keyList)
        {
            var key = keyObject as string ?? throw new ConversionException($"{what}: a storage key that is not a string");
            if (pos + 8 > file.Length)
            {
                throw new ConversionException($"{what}: storage {key} is missing (truncated file)");
            }

            var numel = BitConverter.ToInt64(file, pos);
            pos += 8;
            var elementSize = storages.TryGetValue(key, out var s) ? s.Dtype.ElementSize()
                : views.FirstOrDefault(v => v.Key == key)?.Dtype.ElementSize() ?? 1;
            if (numel < 0 || numel > (file.Length - pos) / elementSize)
            {
                throw new ConversionException($"{what}: storage {key} ends past the end of the file (truncated file)");
            }

            var length = numel * elementSize;

            data[key] = new ReadOnlyMemory<byte>(file, pos, (int)length);
            pos += (int)length;
        }

        foreach (var storage in storages.Values.Concat(views))
        {
            storage.Bytes = data.TryGetValue(storage.Key, out var bytes)
                ? bytes
                : throw new ConversionException($"{what}: storage {storage.Key} is referenced but not stored (truncated file?)");
        }

        return root;
    }

    private static object NextPickle(byte[] file, ref int pos, string what, string part, Func<object[], object> persistentLoad)
    {
        if (pos >= file.Length)
        {
            throw new ConversionException($"{what}: the file ends before its {part} (truncated file)");
        }

        var (end, globals) = PickleScanner.Scan(file, pos, what);
        var value = TorchUnpickler.LoadChecked(new ReadOnlyMemory<byte>(file, pos, end - pos), what, persistentLoad, globals);
        pos = end;
        return value;
    }
}
