using AlexNet.Realtime.App.Commands;
using AlexNet.Realtime.Capture;
using AlexNet.Realtime.CommandLine;
using AlexNet.Realtime.Inference;
using AlexNet.Realtime.Inference.Contract;
using AlexNet.Realtime.Inference.Engine;
using AlexNet.Realtime.TestSupport;
using AlexNet.Realtime.WeightConverter;
using Xunit;

namespace AlexNet.Realtime.App.Tests;

/// <summary>
/// The one place that says which failure ends alexnet-rt with which exit code and line (the
/// shared <see cref="ErrorGuard"/> as alexnet-rt configures it), and how an option a library
/// refuses is said as its flag. The converter's own failure list: WeightConverter.Tests' CliErrorsTests.
/// </summary>
[Collection("App")]
public sealed class ErrorGuardTests
{
    /// <summary>One row a mapping: what is thrown, the exit code, the line on stderr.</summary>
    [Theory]
    [InlineData("AppException", ExitCodes.Failed, "alexnet-rt: error: bad use")]
    [InlineData("ToolExceptionWithItsCode", 3, "alexnet-rt: error: bad use")]
    [InlineData("ConversionException", ExitCodes.Failed, "alexnet-rt: error: bad use")]
    [InlineData("InferenceException", ExitCodes.Failed, "alexnet-rt: error: bad use")]
    [InlineData("ModelContractException", ExitCodes.Failed, "alexnet-rt: error: bad use")]
    [InlineData("CaptureException", ExitCodes.Failed, "alexnet-rt: error: bad use")]
    [InlineData("IOException", ExitCodes.Failed, "alexnet-rt: error: bad use")]
    [InlineData("UnauthorizedAccessException", ExitCodes.Failed, "alexnet-rt: error: bad use")]
    [InlineData("OperationCanceledException", ExitCodes.Cancelled, "alexnet-rt: cancelled")]
    [InlineData("OutOfMemoryException", ExitCodes.InternalError, "alexnet-rt: error: out of memory")]
    [InlineData("ArgumentException", ExitCodes.InternalError, "alexnet-rt: internal error: ArgumentException: bad use")]
    public void Failure_EndsWithItsExitCodeAndOneLine(string thrown, int exitCode, string line)
    {
        Exception failure = thrown switch
        {
            "AppException" => new AppException("bad use"),
            "ToolExceptionWithItsCode" => new ToolException("bad use", exitCode: 3),
            "ConversionException" => new ConversionException("bad use"),
            "InferenceException" => new InferenceException("bad use"),
            "ModelContractException" => new ModelContractException("bad use"),
            "CaptureException" => new CaptureException("bad use"),
            "IOException" => new IOException("bad use"),
            "UnauthorizedAccessException" => new UnauthorizedAccessException("bad use"),
            "OperationCanceledException" => new OperationCanceledException("bad use"),
#pragma warning disable CA2201 // the runtime throws it; what the guard makes of it is tested here
            "OutOfMemoryException" => new OutOfMemoryException("bad use"),
#pragma warning restore CA2201
            _ => new ArgumentException("bad use"),
        };

        var (code, output, error) = ConsoleCapture.Run(() => AppErrors.Guard(() => throw failure, needsNativeRuntimes: false));

        Assert.Equal(exitCode, code);
        Assert.Equal(line, error.Trim());
        Assert.Empty(output);
    }

    [Fact]
    public void MessageWithControlCharacters_StaysOneLine()
    {
        var (_, _, error) = ConsoleCapture.Run(() => AppErrors.Guard(() => throw new CaptureException("a\nb\x1b[2Jc"), needsNativeRuntimes: false));

        Assert.Equal("alexnet-rt: error: a\\nb\\x1b[2Jc", error.TrimEnd());
    }

    [Fact]
    public void EngineOptionRefused_IsSaidAsItsFlag()
    {
        var e = Assert.Throws<ToolException>(() => AppErrors.Flags.Build(() => new EngineOptions { IntraOpThreads = 0 }));

        Assert.Equal("--threads must be 1..256, got 0", e.Message);
        Assert.IsType<ArgumentOutOfRangeException>(e.InnerException);
    }

    [Fact]
    public void OptionRefusedWithNoFlag_StaysAnArgumentException()
    {
        // The app sets the queue's capacity itself: a refusal there is a bug, an internal error.
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => AppErrors.Flags.Build(() => new CaptureOptions { QueueCapacity = 1 }));

        Assert.Equal(nameof(CaptureOptions.QueueCapacity), e.ParamName);
    }

    [Fact]
    public void NegativeWidth_OneLineNamingTheFlagAndExit1()
    {
        using var dir = new TempDirectory();

        var (code, _, error) = CliRunner.Run("live", "--source", "synthetic", "--headless", "--width", "-5", "--model", dir.File("none.onnx"));

        Assert.Equal(ExitCodes.Failed, code);
        Assert.Equal("alexnet-rt: error: --width must be 0 or more, got -5", error.Trim());
    }

    /// <summary>Capture and Inference say what is wrong with a name in their own words; the command line adds the flag.</summary>
    [Theory]
    [InlineData("--device", "tpu", "alexnet-rt: error: --device tpu: unknown device")]
    [InlineData("--source", "/nonexistent/clip.mp4", "alexnet-rt: error: --source /nonexistent/clip.mp4: no such file, folder or camera")]
    public void NameTheLibraryRefuses_SaidWithTheFlagTyped(string flag, string value, string start)
    {
        using var dir = new TempDirectory();
        string[] args = flag == "--device"
            ? ["live", "--source", "synthetic", "--headless", "--device", value, "--model", dir.File("none.onnx")]
            : ["live", "--source", value, "--headless", "--model", dir.File("none.onnx")];

        var (code, _, error) = CliRunner.Run(args);

        Assert.Equal(ExitCodes.Failed, code);
        Assert.StartsWith(start, Assert.Single(error.Trim().Split('\n')), StringComparison.Ordinal);
    }
}
