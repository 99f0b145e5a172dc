using AlexNet.Realtime.Capture.Readers;
using AlexNet.Realtime.TestSupport;
using Xunit;

namespace AlexNet.Realtime.Capture.Tests;

public sealed class StreamReaderTests
{
    [SkippableFact]
    public void FfmpegPipe_ReadsFramesStraightIntoThePool()
    {
        Skip.IfNot(FfmpegPipeReader.Available, "ffmpeg/ffprobe are not installed (test.sh installs them with apt-get when run as root)");
        using var reader = new FfmpegPipeReader(Path.Combine(Fixtures.RepositoryRoot, "samples", "demo-640x480.mp4"), TimeSpan.FromSeconds(5));
        reader.Open();
        Assert.Equal(30, reader.FramesPerSecond, 1);
        using var frame = new CapturedFrame();
        for (var i = 0; i < 5; i++)
        {
            Assert.True(reader.Read(frame));
            Assert.Equal(640, frame.Image.Cols);
            Assert.Equal(480, frame.Image.Rows);
            Assert.Equal(i, frame.FrameInOrigin);
        }
    }

    [Fact]
    public void FallbackReader_NamesEveryAttemptWhenAllFail()
    {
        using var reader = new FallbackReader(new ScriptedReader { FailOpens = 1 }, new ScriptedReader { FailOpens = 1 });
        var e = Assert.Throws<CaptureException>(reader.Open);
        Assert.Equal("fake camera: open 1 refused", e.Message);
        reader.Open();
        Assert.NotNull(reader.Active);
    }

    [Fact]
    public void MjpegReader_RefusedConnection_IsOneClearError()
    {
        using var reader = new MjpegHttpReader(new Uri("http://127.0.0.1:9/none"), TimeSpan.FromSeconds(2));
        var e = Assert.Throws<CaptureException>(reader.Open);
        Assert.Equal("http://127.0.0.1:9/none: connection refused by 127.0.0.1:9 (no server listens there)", e.Message);
    }
}
