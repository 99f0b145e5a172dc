using AlexNet.Realtime.App.Commands;
using AlexNet.Realtime.TestSupport;
using AlexNet.Realtime.CommandLine;

namespace AlexNet.Realtime.App.Tests;

/// <summary>Runs alexnet-rt in this process as Program.cs does, capturing its console.</summary>
internal static class CliRunner
{
    public static (int Code, string Out, string Error) Run(params string[] args) =>
        ConsoleCapture.Run(() => CommandLineErrors.Invoke("alexnet-rt", ToolCommandLine.Parse(AppCommands.Create(), args)));
}
