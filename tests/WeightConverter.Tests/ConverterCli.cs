using AlexNet.Realtime.CommandLine;
using AlexNet.Realtime.TestSupport;
using AlexNet.Realtime.WeightConverter.Cli;

namespace AlexNet.Realtime.WeightConverter.Tests;

/// <summary>Runs alexnet-convert in this process as Program.cs does, capturing its console.</summary>
internal static class ConverterCli
{
    public static (int Code, string Out, string Error) Run(params string[] args) =>
        ConsoleCapture.Run(() => CommandLineErrors.Invoke("alexnet-convert", ToolCommandLine.Parse(ConverterCommands.Create(), args)));
}
