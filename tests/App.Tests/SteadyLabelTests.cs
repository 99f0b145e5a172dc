using AlexNet.Realtime.App.Live;
using AlexNet.Realtime.App.Profiling;
using AlexNet.Realtime.Capture;
using AlexNet.Realtime.Inference.Engine;
using AlexNet.Realtime.Overlay.Presenters;
using AlexNet.Realtime.TestSupport;
using Xunit;

namespace AlexNet.Realtime.App.Tests;

/// <summary>--smoothing and --threshold in the live loop and on the command line.</summary>
[Collection("App")]
public sealed class SteadyLabelTests(AppModels models)
{
    [Theory]
    [InlineData("live", "--smoothing", "1", "--smoothing must be at least 0 and below 1")]
    [InlineData("live", "--smoothing", "-0.1", "--smoothing must be at least 0 and below 1")]
    [InlineData("live", "--smoothing", "NaN", "--smoothing must be at least 0 and below 1")]
    [InlineData("live", "--threshold", "1.5", "--threshold must be from 0 to 1")]
    [InlineData("live", "--threshold", "NaN", "--threshold must be from 0 to 1")]
    [InlineData("live", "--threshold", "lots", "--threshold")]
    [InlineData("profile", "--smoothing", "1", "--smoothing must be at least 0 and below 1")]
    [InlineData("profile", "--threshold", "-1", "--threshold must be from 0 to 1")]
    public void BadValue_IsOneLineNamingTheOption(string command, string option, string value, string expected)
    {
        var (code, _, error) = CliRunner.Run(command, "--source", "synthetic", "--frames", "3", option, value, "--model", models.MiniFrames, "--device", "cpu");
        Assert.NotEqual(0, code);
        var line = Assert.Single(error.Trim().Split('\n'));
        Assert.Contains(expected, line, StringComparison.Ordinal);
    }

    [Fact]
    public void Live_SmoothingAndThreshold_RunsHeadless()
    {
        var (code, _, error) = CliRunner.Run("live", "--source", "synthetic", "--frames", "20", "--headless", "--smoothing", "0.5", "--threshold", "0.2",
            "--model", models.MiniFrames, "--device", "cpu");
        Assert.True(code == 0, error);
        Assert.Contains("20 frames", error, StringComparison.Ordinal);
    }

    [Fact]
    public void StatusTop_UnderTheThreshold_SaysNoLabelReachesIt()
    {
        var state = new Overlay.OverlayState { Threshold = 0.3f };
        Assert.Equal("no label reaches 30%", Commands.LiveCommand.TopText(new TopEntry(3, "tabby", 0.29f), state));
        Assert.Equal("tabby (30.0%)", Commands.LiveCommand.TopText(new TopEntry(3, "tabby", 0.3f), state));
        state.Smoothing = 0.8;
        Assert.Equal("tabby (45.0%, smoothed)", Commands.LiveCommand.TopText(new TopEntry(3, "tabby", 0.45f), state));
    }

    [Fact]
    public void Live_SmoothingOn_StatusLineSaysSmoothed()
    {
        // The synthetic source gives 30 frames a second, so 45 frames take 1.5 s at least: the
        // once-a-second status line comes at least once.
        var (code, output, error) = CliRunner.Run("live", "--source", "synthetic", "--fps", "30", "--frames", "45", "--headless",
            "--smoothing", "0.5", "--model", models.MiniFrames, "--device", "cpu");
        Assert.True(code == 0, error);
        Assert.Matches(@"top: .+ \(\d+\.\d%, smoothed\)", output);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(1.0)]
    public void LoopWithSmoothing_AllocatesNothingPerFrameOnItsThread(double threshold)
    {
        using var engine = ClassifierEngine.Open(models.MiniFrames, new EngineOptions { Device = Inference.Devices.DeviceRequest.Cpu, IntraOpThreads = 2 });
        var run = ProfileRun.Measure(SourceSpec.Parse("synthetic"), new CaptureOptions { Fps = 200 }, engine, () => new NullPresenter(),
            frames: 200, warmup: 10, maxFps: 0, frameMemory: null, smoothing: 0.8, threshold: threshold, CancellationToken.None);
        Assert.Equal(200, run.Result.Frames);

        // Under a byte a frame: an object a frame is 24 B or more. The loop itself, smoothing off,
        // allocates a few dozen bytes once in some runs (24 and 90 B seen), not per frame.
        Assert.True(run.LoopThreadAllocated < 200, $"200 frames allocated {run.LoopThreadAllocated} B on the loop thread");
    }

    [Fact]
    public void SteadyLabels_StartOverAtANewFileALoopOrAReopen()
    {
        var steady = new SteadyLabels(numClasses: 4, k: 1, history: 0.5);
        Assert.Equal(1f, steady.Next("a.mp4", 0, Answer(0, 1f))[0].Probability);

        // The same file, next frame: the average, 0.5 * 1 + 0.5 * 0.5.
        Assert.Equal(0.75f, steady.Next("a.mp4", 1, Answer(0, 0.5f))[0].Probability);

        // Frames skipped (dropped) are still the same scene.
        Assert.Equal(0.625f, steady.Next("a.mp4", 5, Answer(0, 0.5f))[0].Probability);

        // Back to frame 0 (a loop, or the source opened again): taken as it is.
        Assert.Equal(0.5f, steady.Next("a.mp4", 0, Answer(0, 0.5f))[0].Probability);

        // Another file: taken as it is, though its count goes on.
        Assert.Equal(0.25f, steady.Next("b.mp4", 1, Answer(0, 0.25f))[0].Probability);
    }

    private static Prediction Answer(int index, float probability)
    {
        var prediction = Prediction.Create(1);
        prediction.Fill([index], [probability], ["a", "b", "c", "d"]);
        return prediction;
    }
}

/// <summary>label --smoothing: rows in frame order, the job recorded, a resume of another smoothing refused.</summary>
[Collection("App")]
public sealed class LabelSmoothingTests(AppModels models)
{
    [Fact]
    public void LabelWithSmoothing_RowsInFrameOrderAndTheJobRecorded()
    {
        using var dir = new TempDirectory();
        var output = dir.File("rows.jsonl");
        var (code, _, error) = CliRunner.Run("label", AppModels.DemoClip, "-o", output, "--smoothing", "0.5", "--every", "2", "--batch", "4", "--lanes", "2",
            "--model", models.MiniFrames, "--device", "cpu");
        Assert.True(code == 0, error);
        var frames = File.ReadAllLines(output).Select(l => System.Text.Json.JsonDocument.Parse(l).RootElement.GetProperty("frame").GetInt64()).ToList();
        Assert.Equal(Enumerable.Range(0, 180).Select(i => i * 2L), frames);
        using var meta = System.Text.Json.JsonDocument.Parse(File.ReadAllText(output + ".meta.json"));
        Assert.Equal(0.5, meta.RootElement.GetProperty("smoothing").GetDouble());

        // The rows depend on the smoothing: resuming them with another is another job.
        (code, _, error) = CliRunner.Run("label", AppModels.DemoClip, "-o", output, "--resume", "--every", "2", "--model", models.MiniFrames, "--device", "cpu");
        Assert.Equal(1, code);
        Assert.Contains("was written by another job", Assert.Single(error.Trim().Split('\n')), StringComparison.Ordinal);
    }

    [Fact]
    public void LabelBadSmoothing_IsOneLine()
    {
        using var dir = new TempDirectory();
        var (code, _, error) = CliRunner.Run("label", AppModels.DemoClip, "-o", dir.File("rows.jsonl"), "--smoothing", "1", "--model", models.MiniFrames, "--device", "cpu");
        Assert.Equal(1, code);
        Assert.Contains("--smoothing must be at least 0 and below 1", Assert.Single(error.Trim().Split('\n')), StringComparison.Ordinal);
        Assert.False(File.Exists(dir.File("rows.jsonl")));
    }
}
