using System.Buffers.Binary;

namespace AlexNet.Realtime.Capture;

/// <summary>
/// An image's width and height read from its header, without decoding a pixel: PNG (IHDR), JPEG
/// (the SOFn segment, found by walking the segments before it), BMP, GIF, WebP (VP8, VP8L, VP8X),
/// TIFF (the first IFD, from a file) and binary PNM (P4-P6). A decoder allocates the whole picture before it
/// looks at what it holds, so a small file that declares 60,000 x 60,000 pixels is caught here.
/// </summary>
public static class ImageHeader
{
    /// <summary>Bytes read from the file's start: every format above keeps its size there, JPEG aside.</summary>
    public const int HeadLength = 64;

    // A JPEG's SOFn follows its APPn segments (EXIF, ICC profiles: each at most 64 KB); beyond
    // this many, the header is left to the decoder.
    private const int MaxJpegSegments = 64;

    private static ReadOnlySpan<byte> PngSignature => [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>The size an image file declares, or null when its format is none of the above or its header is damaged.</summary>
    public static (long Width, long Height)? Read(Stream file)
    {
        ArgumentNullException.ThrowIfNull(file);
        return Read(new StreamBytes(file));
    }

    /// <summary>As <see cref="Read(Stream)"/>, over any positional reader (a struct: nothing is allocated).</summary>
    internal static (long Width, long Height)? Read<TFile>(TFile file)
        where TFile : struct, IFileBytes
    {
        Span<byte> head = stackalloc byte[HeadLength];
        head = head[..ReadFully(file, 0, head)];
        if (head.Length >= 4 && head[0] == 0xFF && head[1] == 0xD8 && head[2] == 0xFF)
        {
            return ReadJpeg(file, 2);
        }

        if (head.Length >= 8 && (head.StartsWith("II*\0"u8) || head.StartsWith("MM\0*"u8)))
        {
            var little = head[0] == (byte)'I';
            return ReadTiff(file, little, little ? BinaryPrimitives.ReadUInt32LittleEndian(head[4..]) : BinaryPrimitives.ReadUInt32BigEndian(head[4..]));
        }

        return Read(head);
    }

    /// <summary>The size declared by a header's first bytes (at least <see cref="HeadLength"/> where there are); JPEG only when its frame header is among them.</summary>
    public static (long Width, long Height)? Read(ReadOnlySpan<byte> head)
    {
        if (head.Length >= 24 && head.StartsWith(PngSignature) && head[12..16].SequenceEqual("IHDR"u8))
        {
            return (BinaryPrimitives.ReadUInt32BigEndian(head[16..]), BinaryPrimitives.ReadUInt32BigEndian(head[20..]));
        }

        if (head.Length >= 10 && (head.StartsWith("GIF87a"u8) || head.StartsWith("GIF89a"u8)))
        {
            return (BinaryPrimitives.ReadUInt16LittleEndian(head[6..]), BinaryPrimitives.ReadUInt16LittleEndian(head[8..]));
        }

        if (head.Length >= 26 && head.StartsWith("BM"u8))
        {
            // BITMAPCOREHEADER (12 bytes) has 16-bit sides; the later headers 32-bit, height negative for top-down.
            return BinaryPrimitives.ReadUInt32LittleEndian(head[14..]) == 12
                ? (BinaryPrimitives.ReadUInt16LittleEndian(head[18..]), BinaryPrimitives.ReadUInt16LittleEndian(head[20..]))
                : (Math.Abs((long)BinaryPrimitives.ReadInt32LittleEndian(head[18..])), Math.Abs((long)BinaryPrimitives.ReadInt32LittleEndian(head[22..])));
        }

        if (head.Length >= 30 && head.StartsWith("RIFF"u8) && head[8..12].SequenceEqual("WEBP"u8))
        {
            return ReadWebP(head);
        }

        if (head.Length >= 2 && head[0] == (byte)'P' && head[1] is (byte)'4' or (byte)'5' or (byte)'6')
        {
            return ReadPnm(head);
        }

        return head.Length >= 4 && head[0] == 0xFF && head[1] == 0xD8 ? ReadJpeg(head) : null;
    }

    private static (long, long)? ReadWebP(ReadOnlySpan<byte> head)
    {
        var chunk = head[12..16];
        if (chunk.SequenceEqual("VP8 "u8) && head[23] == 0x9D && head[24] == 0x01 && head[25] == 0x2A)
        {
            return (BinaryPrimitives.ReadUInt16LittleEndian(head[26..]) & 0x3FFF, BinaryPrimitives.ReadUInt16LittleEndian(head[28..]) & 0x3FFF);
        }

        if (chunk.SequenceEqual("VP8L"u8) && head[20] == 0x2F)
        {
            var bits = BinaryPrimitives.ReadUInt32LittleEndian(head[21..]);
            return ((bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1);
        }

        if (chunk.SequenceEqual("VP8X"u8))
        {
            return ((head[24] | (head[25] << 8) | (head[26] << 16)) + 1L, (head[27] | (head[28] << 8) | (head[29] << 16)) + 1L);
        }

        return null;
    }

    // "P6 <width> <height> <maxval>" in ASCII, with # comments between.
    private static (long, long)? ReadPnm(ReadOnlySpan<byte> head)
    {
        Span<long> numbers = stackalloc long[2];
        var found = 0;
        var i = 2;
        while (found < 2 && i < head.Length)
        {
            var c = head[i];
            if (c == (byte)'#')
            {
                while (i < head.Length && head[i] != (byte)'\n')
                {
                    i++;
                }
            }
            else if (char.IsAsciiDigit((char)c))
            {
                long value = 0;
                while (i < head.Length && char.IsAsciiDigit((char)head[i]) && value < int.MaxValue)
                {
                    value = (value * 10) + (head[i++] - '0');
                }

                numbers[found++] = value;
                continue;
            }
            else if (c is not ((byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n'))
            {
                return null;
            }

            i++;
        }

        return found == 2 ? (numbers[0], numbers[1]) : null;
    }

    // JPEG within a buffer (an MJPEG frame): the segments from SOI on.
    private static (long, long)? ReadJpeg(ReadOnlySpan<byte> data)
    {
        var at = 2;
        for (var segment = 0; segment < MaxJpegSegments && at + 9 <= data.Length; segment++)
        {
            if (data[at] != 0xFF)
            {
                return null;
            }

            var marker = data[at + 1];
            if (IsStartOfFrame(marker))
            {
                return (BinaryPrimitives.ReadUInt16BigEndian(data[(at + 7)..]), BinaryPrimitives.ReadUInt16BigEndian(data[(at + 5)..]));
            }

            at += 2 + BinaryPrimitives.ReadUInt16BigEndian(data[(at + 2)..]);
        }

        return null;
    }

    // JPEG in a file: segment headers read one by one, their bodies skipped.
    private static (long, long)? ReadJpeg<TFile>(TFile file, long at)
        where TFile : struct, IFileBytes
    {
        Span<byte> segment = stackalloc byte[9];
        for (var count = 0; count < MaxJpegSegments && at < file.Length; count++)
        {
            if (ReadFully(file, at, segment) < 9 || segment[0] != 0xFF)
            {
                return null;
            }

            if (IsStartOfFrame(segment[1]))
            {
                return (BinaryPrimitives.ReadUInt16BigEndian(segment[7..]), BinaryPrimitives.ReadUInt16BigEndian(segment[5..]));
            }

            at += 2 + BinaryPrimitives.ReadUInt16BigEndian(segment[2..]);
        }

        return null;
    }

    // TIFF: the first IFD's ImageWidth (256) and ImageLength (257), SHORT or LONG.
    private static (long, long)? ReadTiff<TFile>(TFile file, bool littleEndian, long at)
        where TFile : struct, IFileBytes
    {
        Span<byte> entry = stackalloc byte[12];
        if (at >= file.Length || ReadFully(file, at, entry[..2]) < 2)
        {
            return null;
        }

        at += 2;
        var entries = littleEndian ? BinaryPrimitives.ReadUInt16LittleEndian(entry) : BinaryPrimitives.ReadUInt16BigEndian(entry);
        long width = -1, height = -1;
        for (var i = 0; i < Math.Min((int)entries, 512) && (width < 0 || height < 0); i++)
        {
            if (ReadFully(file, at, entry) < 12)
            {
                return null;
            }

            at += 12;
            var tag = littleEndian ? BinaryPrimitives.ReadUInt16LittleEndian(entry) : BinaryPrimitives.ReadUInt16BigEndian(entry);
            var type = littleEndian ? BinaryPrimitives.ReadUInt16LittleEndian(entry[2..]) : BinaryPrimitives.ReadUInt16BigEndian(entry[2..]);
            long value = type switch
            {
                3 => littleEndian ? BinaryPrimitives.ReadUInt16LittleEndian(entry[8..]) : BinaryPrimitives.ReadUInt16BigEndian(entry[8..]),
                4 => littleEndian ? BinaryPrimitives.ReadUInt32LittleEndian(entry[8..]) : BinaryPrimitives.ReadUInt32BigEndian(entry[8..]),
                _ => -1,
            };
            if (tag == 256)
            {
                width = value;
            }
            else if (tag == 257)
            {
                height = value;
            }
        }

        return width >= 0 && height >= 0 ? (width, height) : null;
    }

    /// <summary>SOF0-SOF15 but DHT (C4), JPG (C8) and DAC (CC).</summary>
    private static bool IsStartOfFrame(byte marker) => marker is >= 0xC0 and <= 0xCF and not 0xC4 and not 0xC8 and not 0xCC;

    private static int ReadFully<TFile>(TFile file, long offset, Span<byte> buffer)
        where TFile : struct, IFileBytes
    {
        var total = 0;
        int read;
        while (total < buffer.Length && (read = file.ReadAt(offset + total, buffer[total..])) > 0)
        {
            total += read;
        }

        return total;
    }

    private readonly struct StreamBytes(Stream stream) : IFileBytes
    {
        public long Length => stream.Length;

        public int ReadAt(long offset, Span<byte> buffer)
        {
            stream.Position = offset;
            return stream.Read(buffer);
        }
    }
}

/// <summary>A file's bytes read at a position (a stream, a file descriptor): what <see cref="ImageHeader"/> reads from.</summary>
internal interface IFileBytes
{
    long Length { get; }

    /// <summary>Up to <c>buffer.Length</c> bytes from <paramref name="offset"/>; 0 at the end (or on a read error).</summary>
    int ReadAt(long offset, Span<byte> buffer);
}
