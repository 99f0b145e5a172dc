using System.Buffers.Binary;
using System.Text.Json;
using AlexNet.Realtime.TestSupport;
using Xunit;

namespace AlexNet.Realtime.App.Tests;

/// <summary>
/// Inputs and options a careless or hostile user gives alexnet-rt (issue 19): FIFOs and images
/// that declare too many pixels as inputs, and options that are wrong whatever the model says,
/// refused before the model loads.
/// </summary>
[Collection("App")]
public sealed class HostileInputTests(AppModels models)
{
    private const string NoModel = "/nonexistent/model.onnx";

    /// <summary>label split --threads among its lanes first: 300 passed as 18 a lane, and 100000 was reported as "got 6250".</summary>
    [Theory]
    [InlineData("300")]
    [InlineData("100000")]
    [InlineData("0")]
    public void ThreadsOutOfRange_OneLineWithTheValueGiven_BeforeTheModel(string threads)
    {
        using var dir = new TempDirectory();

        var (code, _, error) = CliRunner.Run("label", Fixtures.Image("coffee.png"), "-o", dir.File("out.jsonl"), "--model", NoModel, "--threads", threads);

        Assert.Equal(1, code);
        Assert.StartsWith($"alexnet-rt: error: --threads must be 1..256, got {threads}", Assert.Single(error.Trim().Split('\n')), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("label")]
    [InlineData("classify")]
    public void TopUnderOne_RefusedBeforeTheModel(string command)
    {
        using var dir = new TempDirectory();
        string[] args = command == "label"
            ? ["label", Fixtures.Image("coffee.png"), "-o", dir.File("out.jsonl"), "--model", NoModel, "--top", "0"]
            : ["classify", Fixtures.Image("coffee.png"), "--model", NoModel, "--top", "0"];

        var (code, _, error) = CliRunner.Run(args);

        Assert.Equal(1, code);
        Assert.Equal("alexnet-rt: error: --top 0: give 1 or more (at most the model's K)", error.Trim());
    }

    /// <summary>A 60,000 x 60,000 PNG header was an internal OpenCVException; a FIFO blocked the read.</summary>
    [Fact]
    public void Classify_OversizedImageOrFifo_OneLineEachNamingTheFile_BeforeTheModel()
    {
        using var dir = new TempDirectory();
        var huge = dir.File("huge.png");
        File.WriteAllBytes(huge, PngHeader(60000, 60000));
        List<string> images = [huge];
        if (SpecialFiles.Unavailable is null)
        {
            images.Add(SpecialFiles.Fifo(dir.File("fifo.png")));
        }

        var (code, _, error) = SpecialFiles.Within(60, () => CliRunner.Run(["classify", .. images, "--model", NoModel]));

        Assert.Equal(1, code);
        var lines = error.Trim().Split('\n');
        Assert.Equal($"alexnet-rt: error: {huge}: 60000x60000 pixels, over the limit of 32767 pixels a side", lines[0]);
        if (images.Count == 2)
        {
            Assert.Equal($"alexnet-rt: error: {images[1]}: the file is empty, or not a regular file (a device, FIFO or socket)", lines[1]);
        }
    }

    /// <summary>A FIFO among label's inputs hung the run, deaf to SIGTERM; an oversized image was decoded whole.</summary>
    [SkippableFact]
    public void Label_FifoAndOversizedImageInAFolder_ErrorRowsAndTheRestLabeled()
    {
        Skip.If(SpecialFiles.Unavailable is not null, SpecialFiles.Unavailable);
        using var dir = new TempDirectory();
        Directory.CreateDirectory(dir.File("in"));
        File.Copy(Fixtures.Image("coffee.png"), dir.File("in/a.png"));
        SpecialFiles.Fifo(dir.File("in/b.mp4"));
        File.WriteAllBytes(dir.File("in/c.png"), PngHeader(30000, 30000));

        var (code, _, error) = SpecialFiles.Within(120, () => CliRunner.Run("label", dir.File("in"), "-o", dir.File("out.jsonl"), "--model", models.MiniFrames, "--device", "cpu"));

        Assert.Equal(1, code);
        var rows = File.ReadAllLines(dir.File("out.jsonl")).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(3, rows.Count);
        Assert.False(rows[0].TryGetProperty("error", out _), error);
        Assert.Equal("the file is empty, or not a regular file (a device, FIFO or socket)", rows[1].GetProperty("error").GetString());
        Assert.Equal("30000x30000 pixels, over the limit of 100000000 pixels (ALEXNET_RT_MAX_IMAGE_PIXELS raises it)", rows[2].GetProperty("error").GetString());
    }

    /// <summary>A pixel limit that was not a number, or not positive, was ignored without a word.</summary>
    [Fact]
    public void MaxPixelsVariableNotAPositiveInteger_OneLineNamingIt_BeforeAnyWork()
    {
        using var app = AppProcess.Start(new Dictionary<string, string> { ["ALEXNET_RT_MAX_IMAGE_PIXELS"] = "abc" }, "classify", Fixtures.Image("coffee.png"), "--model", NoModel);
        var (code, error, output) = app.WaitForExit(TimeSpan.FromMinutes(1));

        Assert.Equal(1, code);
        Assert.Equal("", output);
        Assert.Equal("alexnet-rt: error: ALEXNET_RT_MAX_IMAGE_PIXELS=abc: give the most pixels an image may have, a positive integer (default 100000000)", Assert.Single(error));
    }

    /// <summary>live on an image it refused ended with "no frames could be decoded (corrupt or empty video)".</summary>
    [Fact]
    public void Live_OnAnImageItRefuses_FailsWithTheImagesReasonNotAVideos()
    {
        using var dir = new TempDirectory();
        var huge = dir.File("huge.png");
        File.WriteAllBytes(huge, PngHeader(60000, 60000));

        var (code, _, error) = CliRunner.Run("live", "--source", huge, "--headless", "--model", models.MiniFrames, "--device", "cpu");

        Assert.Equal(1, code);
        Assert.DoesNotContain("video", error, StringComparison.Ordinal);
        Assert.Equal($"alexnet-rt: error: {huge}: 60000x60000 pixels, over the limit of 32767 pixels a side", error.Trim().Split('\n')[^1].TrimEnd());
    }

    [Fact]
    public void Live_OnAFolderOfImagesNoneReadable_SaysNoImageCouldBeRead()
    {
        using var dir = new TempDirectory();
        Directory.CreateDirectory(dir.File("in"));
        File.WriteAllBytes(dir.File("in/a.png"), PngHeader(60000, 60000));
        File.WriteAllBytes(dir.File("in/b.png"), PngHeader(50000, 50000));

        var (code, _, error) = CliRunner.Run("live", "--source", dir.File("in"), "--headless", "--model", models.MiniFrames, "--device", "cpu");

        Assert.Equal(1, code);
        Assert.DoesNotContain("video", error, StringComparison.Ordinal);
        Assert.StartsWith("alexnet-rt: error: none of the 2 images could be read (the last: ", error.Trim().Split('\n')[^1], StringComparison.Ordinal);
    }

    /// <summary>A PNG's signature and IHDR chunk alone, declaring a size: no pixels follow.</summary>
    private static byte[] PngHeader(uint width, uint height)
    {
        var bytes = new byte[33];
        new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, (byte)'I', (byte)'H', (byte)'D', (byte)'R' }.CopyTo(bytes, 0);
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(16), width);
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(20), height);
        bytes[24] = 8;
        bytes[25] = 2;
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(29), System.IO.Hashing.Crc32.HashToUInt32(bytes.AsSpan(12, 17)));
        return bytes;
    }
}
