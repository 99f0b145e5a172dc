using AlexNet.Realtime.App.Labeling;
using AlexNet.Realtime.Capture;
using AlexNet.Realtime.Capture.Readers;
using AlexNet.Realtime.TestSupport;
using Xunit;

namespace AlexNet.Realtime.App.Tests;

/// <summary>Labeling's frame counts (progress and ETA) come from the run's decoder where it can say, and agree with OpenCV's.</summary>
public sealed class FrameCountTests
{
    [SkippableFact]
    public void Libav_CountsAsOpenCvDoes_ImagesOneAndUnreadableZero()
    {
        Skip.IfNot(LibavVideoReader.Available, $"the libav decoder can't be loaded here: {LibavVideoReader.Unavailable}");
        using var dir = new TempDirectory();
        var corrupt = dir.File("corrupt.mp4");
        File.WriteAllBytes(corrupt, [0, 0, 0, 32, (byte)'f', (byte)'t', (byte)'y', (byte)'p', 1, 2, 3]);
        LabelInput[] inputs =
        [
            new(AppModels.DemoClip, "demo", IsImage: false),
            new(Fixtures.Path("fuzz", "h264-64x48.mp4"), "h264", IsImage: false),
            new(Fixtures.Path("fuzz", "mpeg4-101x75.avi"), "mpeg4", IsImage: false),
            new(Fixtures.Image("rocket.png"), "rocket", IsImage: true),
            new(dir.File("missing.mp4"), "missing", IsImage: false),
            new(corrupt, "corrupt", IsImage: false),
        ];

        var libav = LabelRunner.CountFrames(inputs, VideoDecoder.Libav);
        var openCv = LabelRunner.CountFrames(inputs, VideoDecoder.OpenCv);

        Assert.Equal(360, libav[0]);
        Assert.True(libav[1] > 0 && libav[2] > 0, string.Join(",", libav));
        Assert.Equal(openCv, libav);
        Assert.Equal([1L, 0L, 0L], libav[3..]);
    }
}
