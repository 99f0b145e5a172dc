using AlexNet.Realtime.Capture.Readers;
using Xunit;

namespace AlexNet.Realtime.Capture.Tests;

public sealed class MjpegHttpReaderTests
{
    [Fact]
    public void PartsWithAndWithoutContentLength_AllDecoded()
    {
        using var server = new MjpegTestServer(i => i < 6 ? MjpegTestServer.Part(MjpegTestServer.Jpeg, withLength: i % 2 == 0) : null);
        using var reader = new MjpegHttpReader(server.Url, TimeSpan.FromSeconds(5));
        reader.Open();
        using var frame = new CapturedFrame();
        for (var i = 0; i < 5; i++)
        {
            Assert.True(reader.Read(frame));
            Assert.Equal((640, 480), (frame.Image.Cols, frame.Image.Rows));
            Assert.Equal(i, frame.FrameInOrigin);

            // the picture itself: white circle in the middle, orange-brown around it (BGR 40,120,200)
            var centre = frame.Image.At<OpenCvSharp.Vec3b>(240, 320);
            var corner = frame.Image.At<OpenCvSharp.Vec3b>(10, 10);
            Assert.InRange(centre.Item0, 240, 255);
            Assert.InRange(corner.Item2, 190, 210);
        }
    }

    [Fact]
    public void ServerGoesSilent_ReadGivesUpAfterTheTimeoutWithOneClearError()
    {
        using var server = new MjpegTestServer(i => i < 2 ? MjpegTestServer.Part(MjpegTestServer.Jpeg) : MjpegTestServer.Stall);
        // The timeout covers the HTTP answer too: 1 s once ran out in CI before the first request
        // of the process (connection set-up and JIT with four other test runs on two cores) answered.
        using var reader = new MjpegHttpReader(server.Url, TimeSpan.FromSeconds(3));
        reader.Open();
        using var frame = new CapturedFrame();
        Assert.True(reader.Read(frame));

        // The second part's end is only known from the third's boundary... or its length: it has
        // one, so it decodes; the third never comes.
        Assert.True(reader.Read(frame));
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var e = Assert.Throws<CaptureException>(() => reader.Read(frame));
        Assert.Contains("the stream stopped (no data for 3 s)", e.Message, StringComparison.Ordinal);
        Assert.InRange(clock.Elapsed.TotalSeconds, 2.5, 15);
    }

    [Fact]
    public void EmptyPart_IsOneClearError()
    {
        using var server = new MjpegTestServer(i => i == 0 ? MjpegTestServer.Part([]) : i < 3 ? MjpegTestServer.Part(MjpegTestServer.Jpeg) : null);
        using var reader = new MjpegHttpReader(server.Url, TimeSpan.FromSeconds(5));
        reader.Open();
        using var frame = new CapturedFrame();
        var e = Assert.Throws<CaptureException>(() => reader.Read(frame));
        Assert.Contains("a part of 0 bytes is not a JPEG", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Content-Length: 2147483000\r\n", "more than 64 MB")]
    [InlineData("Content-Length: 99999999999\r\n", "not a JPEG")]
    public void LyingContentLength_IsOneClearError(string header, string expected)
    {
        // The first: a length past any buffer (int arithmetic once overflowed here). The second is
        // not an int, so the part is taken to run to the next boundary, and is garbage there.
        using var server = new MjpegTestServer(i => i == 0 ? MjpegTestServer.Part([0x12, 0x34, 0x56], lengthHeader: header) : i < 3 ? MjpegTestServer.Part(MjpegTestServer.Jpeg) : null);
        using var reader = new MjpegHttpReader(server.Url, TimeSpan.FromSeconds(5));
        reader.Open();
        using var frame = new CapturedFrame();
        var e = Assert.Throws<CaptureException>(() => reader.Read(frame));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }
}
