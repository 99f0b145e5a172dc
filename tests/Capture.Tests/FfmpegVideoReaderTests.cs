using System.Diagnostics;
using AlexNet.Realtime.Capture.Readers;
using AlexNet.Realtime.TestSupport;
using OpenCvSharp;
using Xunit;
using static AlexNet.Realtime.Capture.Tests.TestVideos;

namespace AlexNet.Realtime.Capture.Tests;

public sealed class FfmpegVideoReaderTests
{
    private const string NoFfmpeg = "ffmpeg 5.1 or later is not installed (test.sh installs it with apt-get when run as root)";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    [SkippableFact]
    public void DemoClip_SameFramesAndTimesAsOpenCv()
    {
        Skip.IfNot(FfmpegTool.DecodesVideoFiles, NoFfmpeg);
        using var ffmpeg = new FfmpegVideoReader(DemoClip, "demo", Timeout);
        using var opencv = new VideoCaptureReader(new SourceSpec(SourceKind.VideoFile, DemoClip), new CaptureOptions());
        ffmpeg.Open();
        opencv.Open();
        Assert.True(ffmpeg.ConvertsYuv);
        Assert.Equal(opencv.FrameCount, ffmpeg.FrameCount);
        Assert.Equal(opencv.FramesPerSecond, ffmpeg.FramesPerSecond);

        using var a = new CapturedFrame();
        using var b = new CapturedFrame();
        using var diff = new Mat();
        using var far = new Mat();
        var frames = 0;
        double worstMean = 0;
        var worstFar = 0;
        while (ffmpeg.Read(a))
        {
            Assert.True(opencv.Read(b), $"OpenCV ended at {frames}, ffmpeg did not");
            Assert.Equal(b.SourceTimeMs, a.SourceTimeMs);
            Assert.Equal(frames, a.FrameInOrigin);
            Assert.Equal("demo", a.Origin);
            Assert.Equal(b.Image.Size(), a.Image.Size());
            Assert.Equal(MatType.CV_8UC3, a.Image.Type());
            Cv2.Absdiff(a.Image, b.Image, diff);
            worstMean = Math.Max(worstMean, MeanOfChannels(Cv2.Mean(diff)));
            Cv2.Threshold(diff.Reshape(1), far, 4, 255, ThresholdTypes.Binary);
            worstFar = Math.Max(worstFar, Cv2.CountNonZero(far));
            frames++;
        }

        Assert.False(opencv.Read(b), "ffmpeg ended before OpenCV");
        Assert.Equal(360, frames);

        // The same decoded pictures converted to BGR by two routines: OpenCV's bundled swscale is
        // 1.4 levels off the BT.601 formula on average, this reader within one except where luma is
        // below black (see the next test): there the two differ by up to 20 levels, a few dozen
        // values a frame.
        Console.WriteLine($"ffmpeg reader vs OpenCV's VideoCapture, worst frame: mean {worstMean:F3}, values more than 4 apart {worstFar}");
        Assert.True(worstMean < 2.0, $"mean |difference| from OpenCV's frames up to {worstMean:F3} levels");
        Assert.True(worstFar < 640 * 480 * 3 / 1000, $"{worstFar} values of a frame more than 4 levels from OpenCV's");
    }

    [SkippableFact]
    public void Frame179_WithinOneLevelOfTheBt601Formula()
    {
        Skip.IfNot(FfmpegTool.DecodesVideoFiles, NoFfmpeg);
        using var process = Process.Start(new ProcessStartInfo("ffmpeg", ["-v", "error", "-i", DemoClip, "-vf", "select=eq(n\\,179)", "-frames:v", "1", "-f", "rawvideo", "-pix_fmt", "yuv420p", "-"]) { RedirectStandardOutput = true, UseShellExecute = false })!;
        using var raw = new MemoryStream();
        process.StandardOutput.BaseStream.CopyTo(raw);
        process.WaitForExit();
        var yuv = raw.ToArray();
        const int W = 640, H = 480;
        Assert.Equal(W * H * 3 / 2, yuv.Length);

        using var reader = new FfmpegVideoReader(DemoClip, "demo", Timeout);
        using var opencv = new VideoCaptureReader(new SourceSpec(SourceKind.VideoFile, DemoClip), new CaptureOptions());
        reader.Open();
        opencv.Open();
        using var a = new CapturedFrame();
        using var b = new CapturedFrame();
        for (var i = 0; i <= 179; i++)
        {
            Assert.True(reader.Read(a));
            Assert.True(opencv.Read(b));
        }

        var worst = new int[2];
        var sum = new double[2];
        var belowBlack = 0;
        for (var y = 0; y < H; y++)
        {
            for (var x = 0; x < W; x++)
            {
                // ITU-R BT.601, limited range, chroma shared by each 2x2 block; OpenCV's cvtColor
                // takes luma below 16 (blacker than black) as 16, and so does this reference.
                var luma = yuv[(y * W) + x];
                belowBlack += luma < 16 ? 1 : 0;
                var l = 1.164 * Math.Max(luma - 16, 0);
                var u = yuv[(W * H) + ((y / 2) * (W / 2)) + (x / 2)] - 128.0;
                var v = yuv[(W * H * 5 / 4) + ((y / 2) * (W / 2)) + (x / 2)] - 128.0;
                double[] bgr = [l + (2.018 * u), l - (0.813 * v) - (0.391 * u), l + (1.596 * v)];
                for (var c = 0; c < 3; c++)
                {
                    var expected = Math.Clamp(Math.Round(bgr[c]), 0, 255);
                    var mats = new[] { a.Image, b.Image };
                    for (var m = 0; m < 2; m++)
                    {
                        var d = (int)Math.Abs(mats[m].At<Vec3b>(y, x)[c] - expected);
                        worst[m] = Math.Max(worst[m], d);
                        sum[m] += d;
                    }
                }
            }
        }

        Console.WriteLine($"BT.601 formula vs ffmpeg reader: max {worst[0]}, mean {sum[0] / (W * H * 3):F3}; vs OpenCV's VideoCapture: max {worst[1]}, mean {sum[1] / (W * H * 3):F3}; {belowBlack} pixels below black");
        Assert.True(belowBlack > 0, "frame 179 was chosen for its pixels below black");
        Assert.True(worst[0] <= 1, $"the ffmpeg reader's frame is up to {worst[0]} levels from the BT.601 formula");
    }

    [SkippableFact]
    public void OddSizedVideo_ConvertedByFfmpegAndComplete()
    {
        Skip.IfNot(FfmpegTool.DecodesVideoFiles, NoFfmpeg);
        using var dir = new TempDirectory();
        var path = OddSized(dir);

        using var reader = new FfmpegVideoReader(path, path, Timeout);
        reader.Open();
        Assert.False(reader.ConvertsYuv);
        using var frame = new CapturedFrame();
        var times = new List<double>();
        while (reader.Read(frame))
        {
            Assert.Equal(new Size(101, 75), frame.Image.Size());
            times.Add(frame.SourceTimeMs);
        }

        Assert.Equal(7, times.Count);
        Assert.Equal([0, 100, 200, 300, 400, 500, 600], times.Select(t => Math.Round(t, 6)));
    }

    [SkippableFact]
    public void RotatedVideo_FramesUprightAsOpenCvGivesThem()
    {
        Skip.IfNot(FfmpegTool.DecodesVideoFiles, NoFfmpeg);
        using var dir = new TempDirectory();
        var rotated = Rotated(dir);

        using var ffmpeg = new FfmpegVideoReader(rotated, rotated, Timeout);
        using var opencv = new VideoCaptureReader(new SourceSpec(SourceKind.VideoFile, rotated), new CaptureOptions());
        ffmpeg.Open();
        opencv.Open();
        using var a = new CapturedFrame();
        using var b = new CapturedFrame();
        Assert.True(ffmpeg.Read(a));
        Assert.True(opencv.Read(b));
        Assert.Equal(new Size(48, 64), a.Image.Size());
        Assert.Equal(b.Image.Size(), a.Image.Size());
        using var diff = new Mat();
        Cv2.Absdiff(a.Image, b.Image, diff);
        Assert.True(MeanOfChannels(Cv2.Mean(diff)) < 2.0, "the rotated frame differs from OpenCV's");
    }

    [SkippableFact]
    public void Rewind_StartsAgainAtTheFirstFrame()
    {
        Skip.IfNot(FfmpegTool.DecodesVideoFiles, NoFfmpeg);
        using var reader = new FfmpegVideoReader(DemoClip, "demo", Timeout);
        reader.Open();
        using var frame = new CapturedFrame();
        for (var i = 0; i < 5; i++)
        {
            Assert.True(reader.Read(frame));
        }

        reader.Rewind();
        Assert.True(reader.Read(frame));
        Assert.Equal(0, frame.FrameInOrigin);
        Assert.Equal(0, frame.SourceTimeMs);
        Assert.True(reader.Read(frame));
        Assert.Equal(1, frame.FrameInOrigin);
        Assert.Equal(360, reader.FrameCount);
    }

    [SkippableFact]
    public void CorruptFile_OneClearError()
    {
        Skip.IfNot(FfmpegTool.DecodesVideoFiles, NoFfmpeg);
        using var dir = new TempDirectory();
        var path = Broken(dir);
        using var reader = new FfmpegVideoReader(path, "broken.mp4", Timeout);
        var e = Assert.Throws<CaptureException>(reader.Open);
        Assert.StartsWith("broken.mp4: ", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
    }

    [SkippableFact]
    public void FrameSource_FfmpegOrOpenCvWhenAsked()
    {
        Skip.IfNot(FfmpegTool.DecodesVideoFiles, NoFfmpeg);
        var spec = SourceSpec.Parse(DemoClip);
        using var opencv = FrameSource.CreateReader(spec, new CaptureOptions { Decoder = VideoDecoder.OpenCv });
        using var ffmpeg = FrameSource.CreateReader(spec, new CaptureOptions { Decoder = VideoDecoder.Ffmpeg });
        Assert.IsType<VideoCaptureReader>(opencv);
        Assert.IsType<FfmpegVideoReader>(ffmpeg);
    }

    [Fact]
    public void LogLine_FramePtsTimeBaseAndErrorsAreRead()
    {
        Assert.True(FfmpegLogLine.TryFramePts("[Parsed_showinfo_0 @ 0x55d5] [info] n:  12 pts:   6144 pts_time:0.4     pos: 1 fmt:yuv420p"u8, out var pts));
        Assert.Equal(6144, pts);
        Assert.True(FfmpegLogLine.TryFramePts("[Parsed_showinfo_0 @ 0x55d5] [info] n:   0 pts:NOPTS  pts_time:NOPTS"u8, out pts));
        Assert.Equal(long.MinValue, pts);
        Assert.False(FfmpegLogLine.TryFramePts("[Parsed_showinfo_0 @ 0x55d5] [info] color_range:tv color_space:bt709"u8, out _));
        Assert.False(FfmpegLogLine.TryFramePts("[info] n: 3 pts: 4 (not the filter)"u8, out _));

        Assert.True(FfmpegLogLine.TryTimeBase("[Parsed_showinfo_0 @ 0x5619] [info] config in time_base: 1/15360, frame_rate: 30/1"u8, out var num, out var den));
        Assert.Equal((1, 15360), (num, den));
        Assert.False(FfmpegLogLine.TryTimeBase("[Parsed_showinfo_0 @ 0x5619] [info] config out time_base: 0/0, frame_rate: 0/0"u8, out _, out _));

        Assert.Equal("Invalid data found when processing input", FfmpegLogLine.Error("[error] Invalid data found when processing input"u8));
        Assert.Equal("error while decoding MB 3 4", FfmpegLogLine.Error("[h264 @ 0x55] [error] error while decoding MB 3 4 "u8));
        Assert.Null(FfmpegLogLine.Error("[info] Stream mapping:"u8));
        Assert.Null(FfmpegLogLine.Error("[h264 @ 0x55] [warning] [error] not at the start"u8));
    }

    [Theory]
    [InlineData("5.1.9-0+deb12u1", true)]
    [InlineData("7.1", true)]
    [InlineData("5.0.2", false)]
    [InlineData("4.4.2-0ubuntu0.22.04.1", false)]
    [InlineData("N-112345-gabcdef", true)]
    [InlineData("unknown", false)]
    public void Version_FiveOneOrLaterDecodesFiles(string version, bool expected) =>
        Assert.Equal(expected, FfmpegTool.IsAtLeast(version, 5, 1));
}
