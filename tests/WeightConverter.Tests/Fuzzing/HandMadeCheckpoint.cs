using System.IO.Compression;
using System.Numerics;
using System.Text;

namespace AlexNet.Realtime.WeightConverter.Tests.Fuzzing;

/// <summary>One tensor of a <see cref="HandMadeCheckpoint"/>: a view (offset, sizes, strides) of a float32 storage of <paramref name="StorageValues"/> values.</summary>
public sealed record TensorView(string Name, long StorageValues, long Offset, long[] Size, long[] Stride)
{
    public override string ToString() =>
        $"{Name}: storage {StorageValues}, offset {Offset}, size [{string.Join(",", Size)}], stride [{string.Join(",", Stride)}]";
}

/// <summary>
/// A PyTorch zip checkpoint written by hand, as <c>torch.save(state_dict)</c> lays it out: its
/// pickle calls <c>torch._utils._rebuild_tensor_v2(storage, offset, size, stride, ...)</c> with
/// whatever numbers the test gives, which PyTorch itself would never write (strides of 0 over a
/// huge size, offsets past the storage, sizes whose product overflows).
/// </summary>
public static class HandMadeCheckpoint
{
    public static byte[] Write(IReadOnlyList<TensorView> tensors)
    {
        using var pickle = new MemoryStream();
        void Op(params byte[] bytes) => pickle.Write(bytes);
        void Global(string module, string name) => pickle.Write(Encoding.ASCII.GetBytes($"c{module}\n{name}\n"));
        void Text(string s)
        {
            var utf8 = Encoding.UTF8.GetBytes(s);
            Op((byte)'X');
            pickle.Write(BitConverter.GetBytes((uint)utf8.Length));
            pickle.Write(utf8);
        }

        void Long(long value)
        {
            // LONG1: little-endian two's complement of any length, so every long is written as is.
            var bytes = new BigInteger(value).ToByteArray();
            Op(0x8a, (byte)bytes.Length);
            pickle.Write(bytes);
        }

        void Tuple(long[] values)
        {
            Op((byte)'(');
            foreach (var v in values)
            {
                Long(v);
            }

            Op((byte)'t');
        }

        Op(0x80, 0x02);
        Global("collections", "OrderedDict");
        Op((byte)')', (byte)'R', (byte)'(');
        for (var i = 0; i < tensors.Count; i++)
        {
            var t = tensors[i];
            Text(t.Name);
            Global("torch._utils", "_rebuild_tensor_v2");
            Op((byte)'(', (byte)'(');
            Text("storage");
            Global("torch", "FloatStorage");
            Text(i.ToString(System.Globalization.CultureInfo.InvariantCulture));
            Text("cpu");
            Long(t.StorageValues);
            Op((byte)'t', (byte)'Q');
            Long(t.Offset);
            Tuple(t.Size);
            Tuple(t.Stride);
            Op(0x89);
            Global("collections", "OrderedDict");
            Op((byte)')', (byte)'R', (byte)'t', (byte)'R');
        }

        Op((byte)'u', (byte)'.');

        using var file = new MemoryStream();
        using (var zip = new ZipArchive(file, ZipArchiveMode.Create, leaveOpen: true))
        {
            Add(zip, "archive/data.pkl", pickle.ToArray());
            for (var i = 0; i < tensors.Count; i++)
            {
                // Values 1, 2, 3, ...: a view that reads the wrong element reads the wrong number.
                var values = new byte[tensors[i].StorageValues * 4];
                for (var v = 0; v < tensors[i].StorageValues; v++)
                {
                    BitConverter.TryWriteBytes(values.AsSpan(v * 4), v + 1f);
                }

                Add(zip, $"archive/data/{i}", values);
            }
        }

        return file.ToArray();
    }

    private static void Add(ZipArchive zip, string name, byte[] bytes)
    {
        using var stream = zip.CreateEntry(name, CompressionLevel.NoCompression).Open();
        stream.Write(bytes);
    }
}
