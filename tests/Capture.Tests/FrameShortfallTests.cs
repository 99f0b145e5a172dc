using AlexNet.Realtime.Capture.Readers;
using AlexNet.Realtime.TestSupport;
using Xunit;
using static AlexNet.Realtime.Capture.Tests.TestVideos;

namespace AlexNet.Realtime.Capture.Tests;

/// <summary>
/// A video read to its end short of its frames is damaged only when the count it is short of is
/// the container's own: a variable-rate video's estimate (duration times rate) misses by far.
/// </summary>
public sealed class FrameShortfallTests
{
    [Theory]
    [InlineData(239, 360, true, "truncated or corrupt: decoded 239 of 360 frames")]
    [InlineData(357, 360, true, null)]          // within the tolerance of 1% (or 2 frames)
    [InlineData(200, 398, false, null)]         // an estimate
    [InlineData(0, -1, false, null)]            // unknown
    public void Shortfall_ADamagedFileOnlyAgainstAnExactCount(long read, long declared, bool exact, string? problem)
    {
        Assert.Equal(problem, FrameShortfall.Problem(read, declared, exact));
    }

    [SkippableTheory]
    [InlineData(VideoDecoder.OpenCv)]
    [InlineData(VideoDecoder.Libav)]
    [InlineData(VideoDecoder.Ffmpeg)]
    public void VariableRateMatroska_CountNotExact_IndexedMp4_CountExact(VideoDecoder decoder)
    {
        Skip.IfNot(FfmpegVideoReader.Installed, "the ffmpeg program makes the variable-rate video (test.sh installs it when run as root)");
        Skip.If(decoder != VideoDecoder.Ffmpeg && !LibavVideoReader.Available, $"{LibavVideoReader.Unavailable}: FFmpeg's libraries tell an exact count (for OpenCV too)");
        using var dir = new TempDirectory();
        var vfr = dir.File("vfr.mkv");

        // 100 frames at 30/s, then 100 at 10/s: 13.3 s, which at the 30/s the stream states is 398.
        Ffmpeg("-f", "lavfi", "-i", "testsrc=size=64x48:rate=30", "-vf", "setpts='if(lt(N,100),N/30/TB,(100/30+(N-100)/10)/TB)'",
            "-fps_mode", "vfr", "-frames:v", "200", "-c:v", "libx264", "-pix_fmt", "yuv420p", vfr);
        var options = new CaptureOptions { Decoder = decoder };

        using (var reader = FrameSource.CreateReader(SourceSpec.Parse(vfr), options))
        {
            reader.Open();
            Assert.False(reader.FrameCountIsExact, $"{reader.FrameCount} frames said exact");
        }

        using (var reader = FrameSource.CreateReader(SourceSpec.Parse(DemoClip), options))
        {
            reader.Open();
            Assert.Equal(360, reader.FrameCount);
            Assert.True(reader.FrameCountIsExact);
        }
    }
}
