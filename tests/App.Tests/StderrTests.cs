using System.Diagnostics;
using AlexNet.Realtime.TestSupport;
using Xunit;

namespace AlexNet.Realtime.App.Tests;

/// <summary>
/// alexnet-rt run as its own process, so that what native code writes to the process's stderr
/// (OpenCV's log, the FFmpeg inside it) shows up: a damaged input gets one line from the app and
/// nothing else.
/// </summary>
[Collection("App")]
public sealed class StderrTests(AppModels models)
{
    [Fact]
    public void DamagedImage_OneLineFromTheAppAndNoNativeLog()
    {
        using var dir = new TempDirectory();
        var png = File.ReadAllBytes(Fixtures.Image("coffee.png"));
        png[12] ^= 0x20; // the IHDR chunk's name: OpenCV's PNG decoder logs an error for it
        File.WriteAllBytes(dir.File("damaged.png"), png);

        var (code, lines) = RunApp("classify", dir.File("damaged.png"), "--model", models.MiniFrames, "--device", "cpu");

        Assert.Equal(1, code);
        Assert.All(lines, line => Assert.StartsWith("alexnet-rt: ", line, StringComparison.Ordinal));
        Assert.Single(lines, line => line.Contains("damaged.png: cannot be decoded as an image", StringComparison.Ordinal));
    }

    [Fact]
    public void TruncatedVideo_OneLineFromTheAppAndNoFfmpegLog()
    {
        using var dir = new TempDirectory();
        File.WriteAllBytes(dir.File("cut.mp4"), File.ReadAllBytes(AppModels.DemoClip)[..100_000]); // no moov atom: FFmpeg logs an error

        var (code, lines) = RunApp("label", dir.File("cut.mp4"), "-o", dir.File("out.jsonl"), "--model", models.MiniFrames, "--device", "cpu");

        Assert.Equal(1, code);
        Assert.All(lines, line => Assert.StartsWith("alexnet-rt: ", line, StringComparison.Ordinal));
        var failure = Assert.Single(lines, line => line.Contains("cut.mp4", StringComparison.Ordinal));
        Assert.Equal(failure.IndexOf("cut.mp4", StringComparison.Ordinal), failure.LastIndexOf("cut.mp4", StringComparison.Ordinal));
    }

    [SkippableFact]
    public void RowsToStandardOutput_JsonLinesThereAndNothingElse()
    {
        Skip.If(OperatingSystem.IsWindows(), "-o - is for Linux and macOS");
        var (code, lines, stdout) = RunAppWithOutput("label", Fixtures.Image("coffee.png"), Fixtures.Image("rocket.png"), "-o", "-", "--model", models.MiniFrames, "--device", "cpu");
        Assert.True(code == 0, string.Join('\n', lines));
        var rows = stdout.Trim().Split('\n');
        Assert.Equal(2, rows.Length);
        Assert.All(rows, row => Assert.Equal(5, System.Text.Json.JsonDocument.Parse(row).RootElement.GetProperty("top").GetArrayLength()));
        Assert.All(lines, line => Assert.StartsWith("alexnet-rt: ", line, StringComparison.Ordinal));
    }

    [SkippableFact]
    public void RowsToDevNull_TheDeviceIsWrittenThroughNotReplaced()
    {
        Skip.If(OperatingSystem.IsWindows(), "needs /dev/null");

        // Before: an existing output was removed first, so as root this replaced /dev/null with a file.
        var (code, lines) = RunApp("label", Fixtures.Image("coffee.png"), "-o", "/dev/null", "--model", models.MiniFrames, "--device", "cpu");
        Assert.True(code == 0, string.Join('\n', lines));
        Assert.Equal(0, new FileInfo("/dev/null").Length);
        Assert.False(File.Exists("/dev/null.meta.json"));
    }

    [SkippableFact]
    public void DisplayThatCantBeReached_RunsHeadlessAndSaysWhy()
    {
        // A stale DISPLAY (an SSH session gone) fails in GTK only when a window is made.
        Skip.IfNot(OperatingSystem.IsLinux(), "DISPLAY is how Linux names a display");
        var (code, lines, _) = RunAppWithOutput(new Dictionary<string, string> { ["DISPLAY"] = ":97", ["WAYLAND_DISPLAY"] = "" }, "live", "--source", "synthetic", "--frames", "3", "--model", models.MiniFrames, "--device", "cpu");
        Assert.True(code == 0, string.Join('\n', lines));
        Assert.Contains(lines, line => line.StartsWith("alexnet-rt: the display can't be used (", StringComparison.Ordinal) && line.EndsWith("): running headless", StringComparison.Ordinal));
        Assert.All(lines, line => Assert.StartsWith("alexnet-rt: ", line, StringComparison.Ordinal));
    }

    /// <summary>ALEXNET_RT_LIBAV names the FFmpeg release the libav decoder takes; one it does not know is said by devices and is one line from a command that asks for libav.</summary>
    [Fact]
    public void LibavReleaseNamedThatIsNotKnown_DevicesSaysWhy_LabelOneLine()
    {
        var unknown = new Dictionary<string, string> { ["ALEXNET_RT_LIBAV"] = "3" };
        var (code, lines, stdout) = RunAppWithOutput(unknown, "devices");
        Assert.True(code == 0, string.Join('\n', lines));
        Assert.Contains("  libav     no: ALEXNET_RT_LIBAV=3 is not an FFmpeg major version the libav decoder knows (4, 5, 6, 7, 8, 9)", stdout, StringComparison.Ordinal);

        using var dir = new TempDirectory();
        (code, lines, _) = RunAppWithOutput(unknown, "label", AppModels.DemoClip, "--decoder", "libav", "-o", dir.File("rows.jsonl"), "--model", models.MiniFrames, "--device", "cpu");
        Assert.Equal(1, code);
        var line = Assert.Single(lines);
        Assert.StartsWith("alexnet-rt: error: --decoder libav: ALEXNET_RT_LIBAV=3 is not an FFmpeg major version", line, StringComparison.Ordinal);
        Assert.False(File.Exists(dir.File("rows.jsonl")));
    }

    private static (int Code, List<string> Stderr) RunApp(params string[] args)
    {
        var (code, stderr, _) = RunAppWithOutput(args);
        return (code, stderr);
    }

    private static (int Code, List<string> Stderr, string Stdout) RunAppWithOutput(params string[] args) =>
        RunAppWithOutput(new Dictionary<string, string>(), args);

    private static (int Code, List<string> Stderr, string Stdout) RunAppWithOutput(Dictionary<string, string> environment, params string[] args)
    {
        using var app = AppProcess.Start(environment, args);
        var (code, stderr, stdout) = app.WaitForExit(TimeSpan.FromMinutes(2));
        return (code, [.. stderr.Select(line => line.Trim()).Where(line => line.Length > 0)], stdout);
    }
}

/// <summary>An output that can't be written fails in the first second, naming its option: not after the run.</summary>
[Collection("App")]
public sealed class UnwritableOutputTests(AppModels models)
{
    // sysfs takes no new files or folders, even from root (who may write anywhere else).
    private const string Unwritable = "/sys/alexnet-rt-test";

    [SkippableTheory]
    [InlineData("live", "--record")]
    [InlineData("live", "--snapshot")]
    [InlineData("profile", "--report")]
    [InlineData("profile", "--trace")]
    public void OutputOnADevice_RefusedAndTheDeviceKept(string command, string option)
    {
        // Written to a temporary file and renamed over the name, /dev/null would be replaced (as root).
        Skip.If(OperatingSystem.IsWindows(), "needs /dev/null");
        string[] args = command == "live"
            ? ["live", "--source", "synthetic", "--headless", "--frames", "3", option, "/dev/null"]
            : ["profile", "--source", AppModels.DemoClip, "--frames", "5", option, "/dev/null"];
        var (code, _, error) = CliRunner.Run([.. args, "--model", models.MiniFrames, "--device", "cpu"]);
        Assert.Equal(1, code);
        Assert.Equal($"alexnet-rt: error: {option} /dev/null: a device, not a file; give a file name", error.Trim());
        Assert.Equal(0, new FileInfo("/dev/null").Length);
    }

    [SkippableTheory]
    [InlineData("label", "--output")]
    [InlineData("label", "--annotated")]
    [InlineData("profile", "--report")]
    [InlineData("profile", "--plot")]
    [InlineData("live", "--record")]
    public void OutputUnderSys_OneLineNamingTheOptionBeforeAnyWork(string command, string option)
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "needs /sys, which takes no new files (Linux)");
        using var dir = new TempDirectory();
        var path = option == "--annotated" ? Unwritable : $"{Unwritable}/out{(option == "--plot" ? ".png" : option == "--record" ? ".mp4" : ".json")}";
        string[] args = command switch
        {
            "label" => ["label", AppModels.DemoClip, "-o", option == "--output" ? Unwritable + ".jsonl" : dir.File("out.jsonl"), .. option == "--annotated" ? new[] { option, path } : []],
            "profile" => ["profile", "--source", AppModels.DemoClip, "--frames", "5", option, path],
            _ => ["live", "--source", "synthetic", "--headless", "--frames", "5", option, path],
        };
        var (code, _, error) = CliRunner.Run([.. args, "--model", models.MiniFrames, "--device", "cpu"]);
        Assert.Equal(1, code);
        var line = Assert.Single(error.Trim().Split('\n'));
        Assert.StartsWith($"alexnet-rt: error: {option} ", line, StringComparison.Ordinal);
        Assert.Contains("cannot write there", line, StringComparison.Ordinal);
        Assert.False(File.Exists(dir.File("out.jsonl")), "nothing was labeled");
    }
}
