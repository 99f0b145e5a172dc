using AlexNet.Realtime.App.Commands;
using AlexNet.Realtime.TestSupport;

namespace AlexNet.Realtime.App.Tests;

internal static class CliRunner
{
    public static (int Code, string Out, string Error) Run(params string[] args) =>
        ConsoleCapture.Run(() => AppCommands.Create().Parse(args).Invoke());
}
