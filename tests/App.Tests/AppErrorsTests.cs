using AlexNet.Realtime.App.Commands;
using AlexNet.Realtime.TestSupport;
using Xunit;

namespace AlexNet.Realtime.App.Tests;

[Collection("App")]
public sealed class AppErrorsTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void InternalError_OneLineAndExit70_StackTraceOnlyWhenDebugging(bool debugging)
    {
        Environment.SetEnvironmentVariable("ALEXNET_RT_DEBUG", debugging ? "1" : null);
        try
        {
            var (code, _, error) = ConsoleCapture.Run(() => AppErrors.Guard(() => throw new InvalidOperationException("a bug\nwith a second line")));
            Assert.Equal(AppErrors.InternalError, code);
            var lines = error.Trim().Split('\n');
            Assert.Equal("alexnet-rt: internal error: InvalidOperationException: a bug\\nwith a second line", lines[0].TrimEnd('\r'));
            Assert.Equal(debugging, lines.Any(line => line.Contains("at AlexNet.Realtime.App.Tests.AppErrorsTests", StringComparison.Ordinal)));
        }
        finally
        {
            Environment.SetEnvironmentVariable("ALEXNET_RT_DEBUG", null);
        }
    }
}
