using System.Buffers.Binary;

namespace AlexNet.Realtime.TestSupport;

/// <summary>
/// A screenshot in X's own dump format (xwd), read without any image library: a big-endian
/// header of 25 fields, the window's name, a colour map, then the pixels as the server holds
/// them. Only the true-colour 24/32-bit ZPixmap form that Xvfb's 24-bit screen gives is read.
/// </summary>
public sealed class XwdImage
{
    private XwdImage(int width, int height, byte[] bgr)
    {
        Width = width;
        Height = height;
        Bgr = bgr;
    }

    public int Width { get; }

    public int Height { get; }

    /// <summary>Width x Height x 3 bytes, blue first, row after row.</summary>
    public byte[] Bgr { get; }

    public static XwdImage Read(byte[] file)
    {
        uint Field(int index) => BinaryPrimitives.ReadUInt32BigEndian(file.AsSpan(index * 4, 4));
        var headerSize = (int)Field(0);
        var version = Field(1);
        var format = Field(2);
        var width = (int)Field(4);
        var height = (int)Field(5);
        var byteOrder = Field(7);
        var bitsPerPixel = (int)Field(11);
        var bytesPerLine = (int)Field(12);
        var (red, green, blue) = (Field(14), Field(15), Field(16));
        var colours = (int)Field(19);
        if (version != 7 || format != 2 || bitsPerPixel != 32)
        {
            throw new InvalidDataException($"xwd: version {version}, format {format}, {bitsPerPixel} bits a pixel: only 32-bit ZPixmap dumps are read");
        }

        var pixels = headerSize + (colours * 12);
        if (file.Length < pixels + ((long)bytesPerLine * height))
        {
            throw new InvalidDataException("xwd: the file is shorter than its header says");
        }

        var bgr = new byte[width * height * 3];
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                var at = file.AsSpan(pixels + (y * bytesPerLine) + (x * 4), 4);
                var value = byteOrder == 0 ? BinaryPrimitives.ReadUInt32LittleEndian(at) : BinaryPrimitives.ReadUInt32BigEndian(at);
                var o = ((y * width) + x) * 3;
                bgr[o] = Channel(value, blue);
                bgr[o + 1] = Channel(value, green);
                bgr[o + 2] = Channel(value, red);
            }
        }

        return new XwdImage(width, height, bgr);
    }

    private static byte Channel(uint value, uint mask) =>
        mask == 0 ? (byte)0 : (byte)((value & mask) >> System.Numerics.BitOperations.TrailingZeroCount(mask));
}
