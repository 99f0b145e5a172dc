using System.Buffers.Binary;
using System.Text;

namespace AlexNet.Realtime.Capture.Tests;

/// <summary>
/// The first bytes of an image file that declares a size, as each format lays its header out, with
/// no pixels after it: a hostile file claims a size its few bytes can't hold.
/// </summary>
internal static class HeaderOnlyImage
{
    public static readonly string[] Formats = ["png", "jpeg", "bmp", "gif", "webp", "tiff", "ppm"];

    public static string Extension(string format) => format switch
    {
        "jpeg" => ".jpg",
        "gif" => ".png", // OpenCV reads GIF by content; label lists it by a known extension
        _ => "." + format,
    };

    public static byte[] Write(string format, long width, long height)
    {
        var bytes = new List<byte>();
        void Add(params byte[] b) => bytes.AddRange(b);
        void Be32(long v) { var b = new byte[4]; BinaryPrimitives.WriteUInt32BigEndian(b, (uint)v); Add(b); }
        void Le32(long v) { var b = new byte[4]; BinaryPrimitives.WriteUInt32LittleEndian(b, (uint)v); Add(b); }
        void Be16(long v) { var b = new byte[2]; BinaryPrimitives.WriteUInt16BigEndian(b, (ushort)v); Add(b); }
        void Le16(long v) { var b = new byte[2]; BinaryPrimitives.WriteUInt16LittleEndian(b, (ushort)v); Add(b); }
        switch (format)
        {
            case "png":
                Add(0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A);
                Be32(13);
                var ihdr = new List<byte>(Encoding.ASCII.GetBytes("IHDR"));
                var dims = new byte[8];
                BinaryPrimitives.WriteUInt32BigEndian(dims, (uint)width);
                BinaryPrimitives.WriteUInt32BigEndian(dims.AsSpan(4), (uint)height);
                ihdr.AddRange(dims);
                ihdr.AddRange([8, 2, 0, 0, 0]);
                Add([.. ihdr]);
                Be32(System.IO.Hashing.Crc32.HashToUInt32([.. ihdr]));
                break;
            case "jpeg":
                Add(0xFF, 0xD8, 0xFF, 0xE0);
                Be16(16);
                Add([.. Encoding.ASCII.GetBytes("JFIF\0"), 1, 1, 0, 0, 1, 0, 1, 0, 0]);
                Add(0xFF, 0xC0);
                Be16(17);
                Add(8);
                Be16(height);
                Be16(width);
                Add(3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1);
                break;
            case "bmp":
                Add((byte)'B', (byte)'M');
                Le32(54);
                Le32(0);
                Le32(54);
                Le32(40);
                Le32(width);
                Le32(height);
                Le16(1);
                Le16(24);
                Add(new byte[24]);
                break;
            case "gif":
                Add(Encoding.ASCII.GetBytes("GIF89a"));
                Le16(width);
                Le16(height);
                Add(0, 0, 0);
                break;
            case "webp":
                Add(Encoding.ASCII.GetBytes("RIFF"));
                Le32(30);
                Add(Encoding.ASCII.GetBytes("WEBPVP8X"));
                Le32(10);
                Add(0, 0, 0, 0);
                Add((byte)(width - 1), (byte)((width - 1) >> 8), (byte)((width - 1) >> 16));
                Add((byte)(height - 1), (byte)((height - 1) >> 8), (byte)((height - 1) >> 16));
                break;
            case "tiff":
                Add((byte)'I', (byte)'I', 42, 0);
                Le32(8);
                Le16(2);
                Le16(256); Le16(4); Le32(1); Le32(width);
                Le16(257); Le16(4); Le32(1); Le32(height);
                Le32(0);
                break;
            case "ppm":
                Add(Encoding.ASCII.GetBytes($"P6\n# made by a test\n{width} {height}\n255\n"));
                break;
            default:
                throw new ArgumentException(format, nameof(format));
        }

        return [.. bytes];
    }
}
