using AlexNet.Realtime.Capture.Readers;
using AlexNet.Realtime.TestSupport;
using OpenCvSharp;
using Xunit;
using static AlexNet.Realtime.Capture.Tests.TestVideos;

namespace AlexNet.Realtime.Capture.Tests;

/// <summary>
/// A video whose frame size changes mid-stream (ten 64x48 H.264 frames of one pattern, then ten
/// 128x96 of another, joined by the ffmpeg program's concat demuxer into one MPEG-TS with
/// continuous times, as a broadcast recording has them), read with <c>--decoder opencv</c>.
/// OpenCV's own reader repeats frame 9 for the ten larger frames (its converter keeps the first
/// size); the reader must see that and have FFmpeg read on, or fail saying why, and must not
/// take a still video for it.
/// </summary>
public sealed class SizeChangeTests
{
    private const int FramesBefore = 10;
    private const int FramesInAll = 20;

    private static readonly string Video = Fixtures.Path("fuzz", "h264-size-change-64x48-128x96.ts");

    [SkippableFact]
    public void SizeChangeWithOpenCvDecoder_FFmpegReadsOnAndEveryFrameIsTheVideos()
    {
        Skip.IfNot(LibavVideoReader.Available, NoLibav);
        var spec = SourceSpec.Parse(Video);
        using var reader = FrameSource.CreateReader(spec, new CaptureOptions { Decoder = VideoDecoder.OpenCv });
        using var truth = new LibavVideoReader(Video, spec.Text);
        reader.Open();
        truth.Open();
        using var frame = new CapturedFrame();
        using var expected = new CapturedFrame();
        var frames = 0;
        while (reader.Read(frame))
        {
            Assert.True(truth.Read(expected));
            Assert.Equal(frames, frame.FrameInOrigin);
            Assert.Equal(expected.Image.Size(), frame.Image.Size());
            if (frames >= FramesBefore)
            {
                // From the change on, FFmpeg's own frames; before it, OpenCV's (its bicubic
                // conversion, a little off FFmpeg's).
                Assert.True(SameBytes(expected.Image, frame.Image), $"frame {frames} is not the video's");
                Assert.Equal(expected.SourceTimeMs, frame.SourceTimeMs);
            }

            frames++;
        }

        Assert.Equal(FramesInAll, frames);
        Assert.False(truth.Read(expected));
        Assert.IsType<LibavVideoReader>(Assert.IsType<VideoCaptureReader>(reader).Successor);
    }

    [SkippableFact]
    public void SizeChangeWithTheFfmpegProgramReadingOn_TwentyDistinctFrames()
    {
        Skip.IfNot(FfmpegVideoReader.Installed, "the ffmpeg program is not installed (test.sh installs it when run as root)");
        var spec = SourceSpec.Parse(Video);
        using var reader = new VideoCaptureReader(spec, new CaptureOptions(), () => new FfmpegVideoReader(Video, spec.Text, TimeSpan.FromSeconds(10)));
        reader.Open();
        var frames = ReadAll(reader);

        // The ffmpeg program scales the larger frames to the first size; each is its own picture.
        Assert.Equal(FramesInAll, frames.Count);
        for (var i = 1; i < frames.Count; i++)
        {
            Assert.False(SameBytes(frames[i - 1], frames[i]), $"frame {i} repeats frame {i - 1}");
        }

        Assert.IsType<FfmpegVideoReader>(reader.Successor);
        frames.ForEach(f => f.Dispose());
    }

    [Fact]
    public void SizeChangeWithNothingToReadOn_OneClearErrorAtTheFrameOfTheChange()
    {
        var spec = SourceSpec.Parse(Video);
        using var reader = new VideoCaptureReader(spec, new CaptureOptions(), takeOver: null);
        reader.Open();
        using var frame = new CapturedFrame();
        for (var i = 0; i < FramesBefore; i++)
        {
            Assert.True(reader.Read(frame));
        }

        var error = Assert.Throws<CaptureException>(() => reader.Read(frame));
        Assert.Contains("frame size changes at frame 10", error.Message, StringComparison.Ordinal);
        Assert.Contains("install FFmpeg", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    [SkippableFact]
    public void SizeChangeAtTheEndOfAStillRun_EveryFrameAfterItIsTheVideos()
    {
        // Ten 64x48 frames of a pattern, ten black, then five black at 128x96 (the change, at
        // black: nothing to see yet), then ten of another pattern at 128x96 from frame 25.
        Skip.IfNot(LibavVideoReader.Available, NoLibav);
        var video = Fixtures.Path("fuzz", "h264-size-change-in-a-still-run.ts");
        var spec = SourceSpec.Parse(video);
        using var reader = FrameSource.CreateReader(spec, new CaptureOptions { Decoder = VideoDecoder.OpenCv });
        reader.Open();
        var frames = ReadAll(reader);

        Assert.Equal(35, frames.Count);
        Assert.Equal(new Size(128, 96), frames[25].Size());
        for (var i = 26; i < frames.Count; i++)
        {
            Assert.False(SameBytes(frames[i - 1], frames[i]), $"frame {i} repeats frame {i - 1}");
        }

        frames.ForEach(f => f.Dispose());
    }

    [Fact]
    public void StillVideoOfKeyframes_EveryFrameReadByOpenCv()
    {
        // MJPEG: every frame a keyframe, and a still picture's frames decode exactly alike.
        using var dir = new TempDirectory();
        var path = dir.File("still.avi");
        using (var writer = new VideoWriter(path, FourCC.MJPG, 10, new Size(64, 48)))
        using (var picture = new Mat(48, 64, MatType.CV_8UC3, new Scalar(40, 90, 200)))
        {
            Assert.True(writer.IsOpened());
            for (var i = 0; i < FramesInAll; i++)
            {
                writer.Write(picture);
            }
        }

        // With nothing to read on, and with a reader that must not be needed.
        IFrameReader NotNeeded() => throw new InvalidOperationException("a still video was taken for a size change");
        foreach (var takeOver in new Func<IFrameReader>?[] { null, NotNeeded })
        {
            using var reader = new VideoCaptureReader(SourceSpec.Parse(path), new CaptureOptions(), takeOver);
            reader.Open();
            var frames = ReadAll(reader);
            Assert.Equal(FramesInAll, frames.Count);
            Assert.All(frames, f => Assert.True(SameBytes(frames[0], f)));
            Assert.Null(reader.Successor);
            frames.ForEach(f => f.Dispose());
        }
    }

    [SkippableFact]
    public void SizeChangeLooped_EveryPassReadsTheVideoToItsEnd()
    {
        Skip.IfNot(LibavVideoReader.Available, NoLibav);
        var spec = SourceSpec.Parse(Video);
        using var reader = FrameSource.CreateReader(spec, new CaptureOptions { Decoder = VideoDecoder.OpenCv });
        reader.Open();
        var first = ReadAll(reader);
        reader.Rewind();
        var second = ReadAll(reader);
        Assert.Equal(FramesInAll, first.Count);
        Assert.Equal(FramesInAll, second.Count);
        Assert.Equal(new Size(128, 96), second[^1].Size());
        first.Concat(second).ToList().ForEach(f => f.Dispose());
    }

    [Fact]
    public void StaleDetector_OnlyAKeyframeThatRepeatsTheFrameBeforeExactly()
    {
        var detector = new StaleFrameDetector();
        using var a = new Mat(48, 64, MatType.CV_8UC3, Scalar.All(10));
        using var b = new Mat(48, 64, MatType.CV_8UC3, Scalar.All(10));
        using var wider = new Mat(48, 128, MatType.CV_8UC3, Scalar.All(10));
        Assert.False(detector.IsStale(a, keyFrame: true));   // nothing before it
        Assert.False(detector.IsStale(b, keyFrame: false));  // a repeat, but not a keyframe: a still scene
        Assert.True(detector.IsStale(a, keyFrame: true));
        b.Set(47, 63, new Vec3b(10, 10, 11));                // the last pixel of a sampled row
        Assert.False(detector.IsStale(b, keyFrame: true));
        Assert.False(detector.IsStale(wider, keyFrame: true));
        detector.Reset();
        Assert.False(detector.IsStale(wider, keyFrame: true));
    }

    /// <summary>Every frame to the end, each in its own copy.</summary>
    private static List<Mat> ReadAll(IFrameReader reader)
    {
        var frames = new List<Mat>();
        using var frame = new CapturedFrame();
        while (reader.Read(frame))
        {
            frames.Add(frame.Image.Clone());
        }

        return frames;
    }
}
