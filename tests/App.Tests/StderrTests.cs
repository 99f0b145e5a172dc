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

    private static (int Code, List<string> Stderr) RunApp(params string[] args)
    {
        var app = Path.Combine(AppContext.BaseDirectory, "alexnet-rt.dll");
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet", [app, .. args])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        foreach (var asked in new[] { "OPENCV_LOG_LEVEL", "OPENCV_FFMPEG_LOGLEVEL", "ALEXNET_RT_DEBUG" })
        {
            start.Environment.Remove(asked);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"alexnet-rt {string.Join(' ', args)} did not finish in 2 minutes");
        }

        _ = stdout.GetAwaiter().GetResult();
        var lines = stderr.GetAwaiter().GetResult().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
        return (process.ExitCode, lines);
    }
}

/// <summary>An output that can't be written fails in the first second, naming its option: not after the run.</summary>
[Collection("App")]
public sealed class UnwritableOutputTests(AppModels models)
{
    // procfs takes no new files, even from root (who may write anywhere else).
    private const string Unwritable = "/proc/alexnet-rt-test";

    [SkippableTheory]
    [InlineData("label", "--output")]
    [InlineData("label", "--annotated")]
    [InlineData("profile", "--report")]
    [InlineData("profile", "--plot")]
    [InlineData("live", "--record")]
    public void OutputUnderProc_OneLineNamingTheOptionBeforeAnyWork(string command, string option)
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "needs /proc, which takes no new files (Linux)");
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
