using System.Globalization;
using AlexNet.Realtime.Capture.Readers;
using AlexNet.Realtime.TestSupport;
using CsCheck;
using OpenCvSharp;
using Xunit;

namespace AlexNet.Realtime.Capture.Tests;

/// <summary>
/// Image sizes read from headers before decoding (<see cref="ImageHeader"/>, <see cref="ImageFiles"/>):
/// agreeing with what the encoders wrote, never throwing on damage, and refusing an image that
/// claims too many pixels, by name, before a decoder allocates them.
/// </summary>
public sealed class ImageHeaderTests
{
    // The same cases in CI every time; ALEXNET_RT_FUZZ=N samples N fresh ones. A find goes into
    // tests/fixtures/fuzz/image-headers.txt with its fix.
    private const string CiSeed = "0aR4xMlbS3Pe";

    public static TheoryData<string, long, long, string> KeptHeaders()
    {
        var data = new TheoryData<string, long, long, string>();
        foreach (var line in File.ReadLines(Fixtures.Path("fuzz", "image-headers.txt")))
        {
            var text = line.Split('#')[0].Trim();
            if (text.Length > 0)
            {
                var parts = text.Split(' ', 4, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                data.Add(parts[0], long.Parse(parts[1], CultureInfo.InvariantCulture), long.Parse(parts[2], CultureInfo.InvariantCulture), parts[3]);
            }
        }

        return data;
    }

    /// <summary>A 875 KB PNG of 30,000 x 30,000 pixels was decoded whole (5.7 GB); 60,000 x 60,000 was an internal OpenCVException.</summary>
    [Theory]
    [MemberData(nameof(KeptHeaders))]
    public void ImageDeclaringTooManyPixels_RefusedBeforeDecodingNamingTheFile(string format, long width, long height, string says)
    {
        using var dir = new TempDirectory();
        var path = dir.File("huge" + HeaderOnlyImage.Extension(format));
        File.WriteAllBytes(path, HeaderOnlyImage.Write(format, width, height));
        using var target = new Mat();

        var e = Assert.Throws<CaptureException>(() => NativeImage.ReadInto(path, target));

        Assert.StartsWith($"{path}: {width}x{height} pixels, ", e.Message, StringComparison.Ordinal);
        Assert.Contains(says, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ImageList_TooLargeOrFifo_ReportedAndSkipped_TheNextRead()
    {
        using var dir = new TempDirectory();
        var huge = dir.File("huge.png");
        File.WriteAllBytes(huge, HeaderOnlyImage.Write("png", 60000, 60000));
        var good = dir.File("good.png");
        using (var image = new Mat(48, 64, MatType.CV_8UC3, Scalar.All(90)))
        {
            Cv2.ImWrite(good, image);
        }

        var files = new List<string> { huge };
        if (SpecialFiles.Unavailable is null)
        {
            files.Add(SpecialFiles.Fifo(dir.File("fifo.png")));
        }

        files.Add(good);
        var unreadable = new List<string>();
        using var reader = new ImageSequenceReader(files, (file, why) => unreadable.Add($"{Path.GetFileName(file)}: {why}"));
        using var frame = new CapturedFrame();

        Assert.True(SpecialFiles.Within(60, () => reader.Read(frame)));

        Assert.Equal(good, frame.Origin);
        Assert.Equal(64, frame.Image.Cols);
        Assert.Equal("huge.png: 60000x60000 pixels, over the limit of 32767 pixels a side", unreadable[0]);
        if (files.Count == 3)
        {
            Assert.Equal("fifo.png: the file is empty, or not a regular file (a device, FIFO or socket)", unreadable[1]);
        }
    }

    [Fact]
    public void ImageListNoneReadable_FailsWithWhyNotAsAnEmptyList()
    {
        using var dir = new TempDirectory();
        var huge = dir.File("huge.png");
        File.WriteAllBytes(huge, HeaderOnlyImage.Write("png", 60000, 60000));
        using var frame = new CapturedFrame();

        using var one = new ImageSequenceReader([huge]);
        one.Open();
        Assert.Equal($"{huge}: 60000x60000 pixels, over the limit of 32767 pixels a side", Assert.Throws<CaptureException>(() => one.Read(frame)).Message);

        using var two = new ImageSequenceReader([huge, dir.File("gone.png")]);
        two.Open();
        Assert.Equal($"none of the 2 images could be read (the last: {dir.File("gone.png")}: no such file)", Assert.Throws<CaptureException>(() => two.Read(frame)).Message);
    }

    [Fact]
    public void ImageListWithOneReadable_EndsAfterItWithoutFailing()
    {
        using var dir = new TempDirectory();
        var huge = dir.File("huge.png");
        File.WriteAllBytes(huge, HeaderOnlyImage.Write("png", 60000, 60000));
        using var reader = new ImageSequenceReader([huge, Fixtures.Image("coffee.png")]);
        using var frame = new CapturedFrame();
        reader.Open();

        Assert.True(reader.Read(frame));
        Assert.False(reader.Read(frame));
    }

    [Theory]
    [InlineData(null, ImageFiles.DefaultMaxPixels)]
    [InlineData(" ", ImageFiles.DefaultMaxPixels)]
    [InlineData("1000", 1000L)]
    [InlineData(" 1000 ", 1000L)]
    public void MaxPixelsVariable_UnsetOrAPositiveInteger_Honoured(string? text, long max)
    {
        Assert.Equal(max, ImageFiles.MaxPixelsFrom(text));
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("-5")]
    [InlineData("0")]
    [InlineData("1e9")]
    [InlineData("99999999999999999999")]
    public void MaxPixelsVariable_NotAPositiveInteger_RefusedNamingIt(string text)
    {
        var e = Assert.Throws<CaptureException>(() => ImageFiles.MaxPixelsFrom(text));
        Assert.Equal($"ALEXNET_RT_MAX_IMAGE_PIXELS={text}: give the most pixels an image may have, a positive integer (default 100000000)", e.Message);
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(0, 48)]
    [InlineData(64, 0)]
    public void PngWhoseHeaderDeclaresNoPixels_RefusedBeforeDecoding(int width, int height)
    {
        using var dir = new TempDirectory();
        var path = dir.File("empty.png");
        using (var picture = new Mat(48, 64, MatType.CV_8UC3, Scalar.All(7)))
        {
            Cv2.ImWrite(path, picture);
        }

        // The IHDR's width and height, at bytes 16 and 20 (big-endian); its CRC is left stale, as a
        // damaged file's would be.
        var bytes = File.ReadAllBytes(path);
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(16), width);
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(20), height);
        File.WriteAllBytes(path, bytes);

        Assert.Equal($"its header declares {width}x{height} pixels (a damaged image)", ImageFiles.Problem(path));
    }

    [SkippableFact]
    public void SourceThatIsAFifo_RefusedWhenParsed()
    {
        Skip.If(SpecialFiles.Unavailable is not null, SpecialFiles.Unavailable);
        using var dir = new TempDirectory();
        var fifo = SpecialFiles.Fifo(dir.File("clip.mp4"));

        var e = Assert.Throws<CaptureException>(() => SourceSpec.Parse(fifo));

        Assert.Equal($"{fifo}: the file is empty, or not a regular file (a device, FIFO or socket)", e.Message);
    }

    /// <summary>label builds its video specs itself: a FIFO fails the source (its error row) instead of blocking the reader's open.</summary>
    [SkippableFact]
    public void VideoSourceThatIsAFifo_FailsWithItsReason()
    {
        Skip.If(SpecialFiles.Unavailable is not null, SpecialFiles.Unavailable);
        using var dir = new TempDirectory();
        var fifo = SpecialFiles.Fifo(dir.File("clip.mp4"));
        using var source = new FrameSource(new SourceSpec(SourceKind.VideoFile, fifo));
        source.Start();

        var finished = SpecialFiles.Within(60, () =>
        {
            while (source.State != SourceState.Failed)
            {
                Thread.Sleep(10);
            }

            return source.Problem;
        });

        Assert.Equal($"{fifo}: the file is empty, or not a regular file (a device, FIFO or socket)", finished);
    }

    /// <summary>Images as OpenCV's encoders write them: the header says the size the decoder finds.</summary>
    [Fact]
    public void EncodedImage_HeaderSaysItsSize()
    {
        string[] extensions = [".png", ".jpg", ".bmp", ".webp", ".tiff", ".ppm"];
        var cases = from extension in Gen.Int[0, extensions.Length - 1].Select(i => extensions[i])
                    from width in Gen.Int[1, 300]
                    from height in Gen.Int[1, 300]
                    select (extension, width, height);
        Sample(cases, 300, c =>
        {
            using var image = new Mat(c.height, c.width, MatType.CV_8UC3, Scalar.All(128));
            Cv2.ImEncode(c.extension, image, out var encoded);
            using var stream = new MemoryStream(encoded);
            Assert.Equal((c.width, c.height), ImageHeader.Read(stream));
        }, c => $"{c.extension} {c.width}x{c.height}");
    }

    /// <summary>Hand-written headers of every format, any size: read back as written.</summary>
    [Fact]
    public void HeaderOfAnySize_ReadAsWritten()
    {
        var cases = from format in Gen.Int[0, HeaderOnlyImage.Formats.Length - 1].Select(i => HeaderOnlyImage.Formats[i])
                    from width in Gen.Long[1, MaxSideOf(format)]
                    from height in Gen.Long[1, MaxSideOf(format)]
                    select (format, width, height);
        Sample(cases, 2000, c =>
        {
            using var stream = new MemoryStream(HeaderOnlyImage.Write(c.format, c.width, c.height));
            Assert.Equal((c.width, c.height), ImageHeader.Read(stream));
        }, c => $"{c.format} {c.width}x{c.height}");
    }

    /// <summary>Headers damaged anywhere: a size or nothing, never an exception (a file, and an MJPEG frame's buffer).</summary>
    [Fact]
    public void DamagedHeader_NeverThrows()
    {
        var headers = HeaderOnlyImage.Formats.Select(f => HeaderOnlyImage.Write(f, 640, 480)).ToArray();
        var cases = from index in Gen.Int[0, headers.Length - 1]
                    from mutation in Mutation.For(headers[index].Length)
                    select (index, mutation);
        Sample(cases, 5000, c =>
        {
            var damaged = c.mutation.Apply(headers[c.index]);
            using var stream = new MemoryStream(damaged);
            _ = ImageHeader.Read(stream);
            _ = ImageHeader.Read(damaged);
        }, c => $"{HeaderOnlyImage.Formats[c.index]} {c.mutation}");
    }

    private static long MaxSideOf(string format) => format switch
    {
        "jpeg" or "gif" => ushort.MaxValue,
        "webp" => 1 << 24,
        _ => uint.MaxValue >> 1,
    };

    private static void Sample<T>(Gen<T> cases, int ciCases, Action<T> check, Func<T, string> print)
    {
        var exploring = DamageRun.Exploring;
        cases.Sample(check, seed: exploring is null ? CiSeed : null, iter: exploring is null ? ciCases : long.Parse(exploring, CultureInfo.InvariantCulture),
            threads: exploring is null ? 1 : -1, print: print);
    }
}
