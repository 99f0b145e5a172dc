using AlexNet.Realtime.TestSupport;
using OpenCvSharp;
using Xunit;

namespace AlexNet.Realtime.App.Tests;

[Collection("App")]
public sealed class LiveModeTests(AppModels models)
{
    [Fact]
    public void HeadlessRecording_Writes120OverlaidFramesOf640x480()
    {
        using var dir = new TempDirectory();
        var output = dir.File("out.mp4");
        var snapshot = dir.File("snapshot.png");

        var (code, _, error) = CliRunner.Run("live", "--source", AppModels.DemoClip, "--headless", "--frames", "120", "--record", output,
            "--snapshot", snapshot, "--model", models.MiniFrames, "--device", "cpu");

        Assert.True(code == 0, error);
        Assert.Contains("120 frames", error, StringComparison.Ordinal);
        Assert.True(File.Exists(snapshot));
        Assert.Equal(["out.mp4", "snapshot.png"], Directory.GetFiles(dir.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal));

        using var recorded = new VideoCapture(output);
        using var original = new VideoCapture(AppModels.DemoClip);
        using var a = new Mat();
        using var b = new Mat();
        var count = 0;
        double panelDiff = 0, elsewhereDiff = 0;
        while (recorded.Read(a) && !a.Empty())
        {
            Assert.True(original.Read(b));
            Assert.Equal(new Size(640, 480), a.Size());
            panelDiff += MeanAbsDiff(a, b, new Rect(16, 16, 200, 40));
            elsewhereDiff += MeanAbsDiff(a, b, new Rect(240, 300, 120, 80));
            count++;
        }

        Assert.Equal(120, count);
        panelDiff /= count;
        elsewhereDiff /= count;
        Assert.True(panelDiff > 25, $"the label panel looks like the input (mean |diff| {panelDiff:0.0})");
        Assert.True(elsewhereDiff < 8, $"the picture outside the panels changed (mean |diff| {elsewhereDiff:0.0})");
    }

    [Fact]
    public void NoSourceNoCamera_PlaysTheDemoClipHeadless()
    {
        var (code, output, error) = CliRunner.Run("live", "--frames", "5", "--model", models.MiniFrames, "--device", "cpu", "--headless");
        Assert.True(code == 0, error);
        Assert.Contains("5 frames", error, StringComparison.Ordinal);
        _ = output;
    }

    [Fact]
    public void SyntheticSource_RunsWithLatestFrameWins()
    {
        var (code, _, error) = CliRunner.Run("live", "--source", "synthetic", "--fps", "60", "--frames", "30", "--model", models.MiniFrames, "--device", "cpu", "--headless");
        Assert.True(code == 0, error);
        Assert.Contains("30 frames", error, StringComparison.Ordinal);
    }

    [Fact]
    public void SyntheticWeightsHeadless_EveryStatusLineSaysSo()
    {
        var (code, output, error) = CliRunner.Run("live", "--source", "synthetic", "--fps", "30", "--frames", "45", "--model", models.MiniSynthetic, "--device", "cpu", "--headless");
        Assert.True(code == 0, error);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.NotEmpty(lines);
        Assert.All(lines, line => Assert.EndsWith("[synthetic weights: labels mean nothing]", line.TrimEnd(), StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("opencv")]
    [InlineData("auto")]
    public void VideoWithNoDecodableFrame_IsAnErrorAsInLabel(string decoder)
    {
        var video = Fixtures.Path("fuzz/h264-64x48-scrambled-frames.mp4");
        var (code, _, error) = CliRunner.Run("live", "--source", video, "--headless", "--decoder", decoder, "--model", models.MiniFrames, "--device", "cpu");
        Assert.True(code == 1, error);
        var last = error.Trim().Split('\n')[^1].TrimEnd();
        Assert.StartsWith($"alexnet-rt: error: {video}: ", last, StringComparison.Ordinal);
        Assert.True(last.Contains("no frames could be decoded", StringComparison.Ordinal) || last.Contains("cannot be decoded", StringComparison.Ordinal), last);
    }

    [Theory]
    [InlineData("auto")]
    [InlineData("opencv")]
    public void VideoWhoseMiddleIsCorrupt_PlayedThenAnErrorAsInLabel(string decoder)
    {
        // The demo clip with its middle third overwritten: some frames, then none, then the end.
        using var dir = new TempDirectory();
        var video = dir.File("midcorrupt.mp4");
        var bytes = File.ReadAllBytes(AppModels.DemoClip);
        new Random(5).NextBytes(bytes.AsSpan(bytes.Length / 3, bytes.Length / 3));
        File.WriteAllBytes(video, bytes);

        var (code, _, error) = CliRunner.Run("live", "--source", video, "--headless", "--decoder", decoder, "--model", models.MiniFrames, "--device", "cpu");

        Assert.True(code == 1, error);
        var last = error.Trim().Split('\n')[^1].TrimEnd();
        Assert.Matches($"^alexnet-rt: error: {System.Text.RegularExpressions.Regex.Escape(video)}: truncated or corrupt: decoded [0-9]+ of 360 frames$", last);
    }

    [Fact]
    public void MissingSource_IsOneClearLine()
    {
        var (code, _, error) = CliRunner.Run("live", "--source", "/nonexistent/clip.mp4", "--model", models.MiniFrames, "--headless");
        Assert.Equal(1, code);
        Assert.Contains("no such file, folder or camera", error, StringComparison.Ordinal);
        Assert.Single(error.Trim().Split('\n'));
    }

    [SkippableFact]
    public void CameraThatIsNotThere_SaidAtOnceNotRetried()
    {
        Skip.IfNot(OperatingSystem.IsLinux() && !File.Exists("/dev/video57"), "needs Linux, where a camera is a /dev/video node, and no camera 57");
        var (code, _, error) = CliRunner.Run("live", "--source", "57", "--headless", "--frames", "3", "--model", models.MiniFrames, "--device", "cpu");
        Assert.Equal(1, code);
        var line = Assert.Single(error.Trim().Split('\n'));
        Assert.Contains("--source 57: no camera 57 (/dev/video57 does not exist", line, StringComparison.Ordinal);

        // Said before the model loads, not after ten reconnects with backoff (half a minute).
        Assert.DoesNotContain("reconnect", line, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--record")]
    [InlineData("--snapshot")]
    public void RecordingOverTheSource_RefusedAndTheSourceUntouched(string option)
    {
        using var dir = new TempDirectory();
        var clip = dir.File("clip.mp4");
        File.Copy(AppModels.DemoClip, clip);
        var before = File.ReadAllBytes(clip);
        var (code, _, error) = CliRunner.Run("live", "--source", clip, "--headless", "--frames", "5", option, clip, "--model", models.MiniFrames, "--device", "cpu");
        Assert.Equal(1, code);
        Assert.Contains($"{option} {clip}: that is the source being played", Assert.Single(error.Trim().Split('\n')), StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllBytes(clip));
    }

    [Fact]
    public void CorruptVideo_FailsWithItsReason()
    {
        using var dir = new TempDirectory();
        File.WriteAllBytes(dir.File("bad.mp4"), new byte[1000]);
        var (code, _, error) = CliRunner.Run("live", "--source", dir.File("bad.mp4"), "--model", models.MiniFrames, "--headless", "--device", "cpu");
        Assert.Equal(1, code);
        Assert.Contains("cannot be opened as a video", error, StringComparison.Ordinal);
    }

    private static unsafe double MeanAbsDiff(Mat a, Mat b, Rect area)
    {
        double sum = 0;
        var pa = (byte*)a.Data;
        var pb = (byte*)b.Data;
        var stepA = a.Step();
        var stepB = b.Step();
        for (var y = area.Top; y < area.Bottom; y++)
        {
            for (var x = area.Left * 3; x < area.Right * 3; x++)
            {
                sum += Math.Abs(pa[(y * stepA) + x] - pb[(y * stepB) + x]);
            }
        }

        return sum / (area.Width * area.Height * 3);
    }
}
