using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace AlexNet.Realtime.TestSupport;

/// <summary>
/// Reads little-endian float32 C-order .npy files (what the PyTorch fixtures are). Hand-written:
/// the format is a magic, a Python-dict header and raw values, and no served package reads it.
/// </summary>
public sealed class Npy
{
    private Npy(int[] shape, float[] data)
    {
        Shape = shape;
        Data = data;
    }

    public int[] Shape { get; }

    public float[] Data { get; }

    public static Npy ReadFloat32(string path)
    {
        var bytes = File.ReadAllBytes(path);
        if (bytes.Length < 10 || bytes[0] != 0x93 || !bytes.AsSpan(1, 5).SequenceEqual("NUMPY"u8))
        {
            throw new InvalidDataException($"{path}: not an .npy file");
        }

        var major = bytes[6];
        int headerLength, headerStart;
        if (major == 1)
        {
            headerLength = BitConverter.ToUInt16(bytes, 8);
            headerStart = 10;
        }
        else
        {
            headerLength = (int)BitConverter.ToUInt32(bytes, 8);
            headerStart = 12;
        }

        var header = Encoding.ASCII.GetString(bytes, headerStart, headerLength);
        if (!header.Contains("'descr': '<f4'", StringComparison.Ordinal) || header.Contains("'fortran_order': True", StringComparison.Ordinal))
        {
            throw new InvalidDataException($"{path}: expected little-endian float32 in C order, header {header}");
        }

        var shapeText = header[(header.IndexOf("'shape': (", StringComparison.Ordinal) + 10)..];
        shapeText = shapeText[..shapeText.IndexOf(')', StringComparison.Ordinal)];
        var shape = shapeText.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray();
        var data = MemoryMarshal.Cast<byte, float>(bytes.AsSpan(headerStart + headerLength)).ToArray();
        return data.Length == shape.Aggregate(1, (a, b) => a * b)
            ? new Npy(shape, data)
            : throw new InvalidDataException($"{path}: {data.Length} values for shape ({shapeText})");
    }
}
