using AlexNet.Realtime.CommandLine;
using AlexNet.Realtime.Inference.Contract;
using AlexNet.Realtime.TestSupport;
using AlexNet.Realtime.WeightConverter.Cli;
using Xunit;

namespace AlexNet.Realtime.WeightConverter.Tests;

/// <summary>
/// Which failures are the user's in alexnet-convert (the shared guard's mappings themselves:
/// App.Tests' ErrorGuardTests), and how a model option it refuses is said as its flag.
/// </summary>
[Collection("Console")]
public sealed class CliErrorsTests
{
    [Theory]
    [InlineData("ConversionException", ExitCodes.Failed, "alexnet-convert: error: bad input")]
    [InlineData("ModelContractException", ExitCodes.Failed, "alexnet-convert: error: bad input")]
    [InlineData("IOException", ExitCodes.InternalError, "alexnet-convert: internal error: IOException: bad input")]
    public void Failure_EndsWithTheConvertersExitCodeAndOneLine(string thrown, int exitCode, string line)
    {
        Exception failure = thrown switch
        {
            "ConversionException" => new ConversionException("bad input"),
            "ModelContractException" => new ModelContractException("bad input"),
            _ => new IOException("bad input"),
        };

        var (code, _, error) = ConsoleCapture.Run(() => CliErrors.Guard(() => throw failure));

        Assert.Equal(exitCode, code);
        Assert.Equal(line, error.Trim());
    }

    [Fact]
    public void TopZero_OneLineNamingTheFlagAndExit1()
    {
        using var dir = new TempDirectory();

        var (code, _, error) = ConsoleCapture.Run(() => CommandLineErrors.Invoke(
            "alexnet-convert", CommandLine.ToolCommandLine.Parse(ConverterCommands.Create(), ["synthetic", "-o", dir.File("m.onnx"), "--top", "0", "-q"])));

        Assert.Equal(ExitCodes.Failed, code);
        Assert.Equal("alexnet-convert: error: --top must be 1 or more, got 0", error.Trim());
        Assert.False(File.Exists(dir.File("m.onnx")));
    }

    [Fact]
    public void InputNamedWithAnAt_IsAFileNameNotAResponseFile()
    {
        const string missing = "@no-such-model.onnx";

        var (code, _, error) = ConverterCli.Run("inspect", missing);

        Assert.Equal(ExitCodes.Failed, code);
        Assert.DoesNotContain("Response file", error, StringComparison.Ordinal);
        Assert.Contains(missing, error, StringComparison.Ordinal);
    }
}
