using System.Text.Json;
using AlexNet.Realtime.TestSupport;
using Xunit;

namespace AlexNet.Realtime.App.Tests;

/// <summary>The profile's report schema, trace and plot (not timings: those belong to the benchmark).</summary>
[Collection("App")]
public sealed class ProfileTests(AppModels models)
{
    private static readonly string[] StageNames = ["capture", "inference", "overlay", "present", "end_to_end"];
    private static readonly string[] StatNames = ["min_ms", "p50_ms", "p90_ms", "p99_ms", "p999_ms", "max_ms"];

    [Fact]
    public void ReportTraceAndPlot_AreCompleteAndConsistent()
    {
        using var dir = new TempDirectory();
        var (code, output, error) = CliRunner.Run("profile", "--source", AppModels.DemoClip, "--frames", "40", "--warmup", "5", "--paced", "60",
            "--report", dir.File("report.json"), "--trace", dir.File("trace.json"), "--plot", dir.File("plot.png"),
            "--model", models.MiniFrames, "--device", "cpu");
        Assert.True(code == 0, error);
        Assert.Contains("inference", output, StringComparison.Ordinal);

        using var report = JsonDocument.Parse(File.ReadAllText(dir.File("report.json")));
        var root = report.RootElement;
        AssertRun(root, 40);
        foreach (var field in new[] { "device", "model", "frame_size", "source", "cpu" })
        {
            Assert.False(string.IsNullOrEmpty(root.GetProperty(field).GetString()), field);
        }

        Assert.Equal("640x480", root.GetProperty("frame_size").GetString());
        Assert.Equal("run", root.GetProperty("spinning").GetString());

        // A CPU engine with a model that names its crop_levels tensor resizes frames itself.
        Assert.Equal(Inference.Preprocessing.CropGeometry.Fast ? "host" : "graph", root.GetProperty("preprocessing").GetString());
        var decoder = Capture.CaptureOptions.Resolve(Capture.VideoDecoder.Auto).ToString().ToLowerInvariant();
        Assert.Equal(decoder, root.GetProperty("decoder").GetString());
        Assert.Matches(decoder switch
        {
            "libav" => @"^FFmpeg [4-9] \(libavcodec \d+\.\d+\.\d+\)$",
            "ffmpeg" => @"^ffmpeg \S+$",
            _ => @"^OpenCV \d+\.\d+\.\d+.* \(its own FFmpeg\)$",
        }, root.GetProperty("decoder_version").GetString());
        Assert.Contains($", decoder {decoder}", error, StringComparison.Ordinal);
        Assert.Equal(5, root.GetProperty("warmup").GetInt32());
        var paced = root.GetProperty("paced");
        AssertRun(paced, 40);
        Assert.Equal(60, paced.GetProperty("paced_fps").GetDouble());

        using var trace = JsonDocument.Parse(File.ReadAllText(dir.File("trace.json")));
        var slices = trace.RootElement.GetProperty("traceEvents").EnumerateArray().Where(e => e.GetProperty("ph").GetString() == "X").ToList();
        foreach (var stage in StageNames)
        {
            var frames = slices.Where(e => e.GetProperty("name").GetString() == stage).Select(e => e.GetProperty("args").GetProperty("frame").GetInt32()).ToList();
            Assert.Equal(Enumerable.Range(0, 40), frames.Order());
        }

        Assert.Equal(40, slices.Count(e => e.GetProperty("name").GetString() == "read"));
        Assert.All(slices, e => Assert.True(e.GetProperty("dur").GetDouble() >= 0));
        Assert.Equal(3, trace.RootElement.GetProperty("traceEvents").EnumerateArray().Count(e => e.GetProperty("ph").GetString() == "M"));

        var png = File.ReadAllBytes(dir.File("plot.png"));
        Assert.True(png.Length > 1000);
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A }, png[..8]);
    }

    [Fact]
    public void BadFrameCount_IsOneClearLine()
    {
        var (code, _, error) = CliRunner.Run("profile", "--frames", "0", "--model", models.MiniFrames);
        Assert.Equal(1, code);
        Assert.Contains("--frames must be 1 or more", error, StringComparison.Ordinal);
    }

    private static void AssertRun(JsonElement run, int frames)
    {
        Assert.Equal(frames, run.GetProperty("frames").GetInt64());
        Assert.True(run.GetProperty("fps").GetDouble() > 0);
        Assert.True(run.GetProperty("dropped").GetInt64() >= 0);
        Assert.True(run.GetProperty("allocated_bytes_per_frame").GetDouble() >= 0);
        Assert.True(run.GetProperty("peak_rss_mb").GetDouble() > 0);
        var gc = run.GetProperty("gc");
        foreach (var field in new[] { "gen0", "gen1", "gen2" })
        {
            Assert.True(gc.GetProperty(field).GetInt32() >= 0);
        }

        Assert.True(gc.GetProperty("gen0").GetInt32() >= gc.GetProperty("gen1").GetInt32());
        Assert.True(gc.GetProperty("pause_ms").GetDouble() >= 0);
        var stages = run.GetProperty("stages");
        Assert.Equal(StageNames.Order(), stages.EnumerateObject().Select(p => p.Name).Order());
        foreach (var stage in StageNames)
        {
            var values = StatNames.Select(n => stages.GetProperty(stage).GetProperty(n).GetDouble()).ToList();
            Assert.True(values.SequenceEqual(values.Order()), $"{stage}: percentiles out of order: {string.Join(", ", values)}");
            Assert.True(values[0] >= 0);
        }

        var endToEnd = stages.GetProperty("end_to_end").GetProperty("p50_ms").GetDouble();
        var inference = stages.GetProperty("inference").GetProperty("p50_ms").GetDouble();
        Assert.True(endToEnd >= inference, "end to end is shorter than inference");
    }
}
