using AlexNet.Realtime.App.Commands;
using AlexNet.Realtime.CommandLine;

NativeLogs.Quiet();
return CommandLineErrors.Invoke("alexnet-rt", ToolCommandLine.Parse(AppCommands.Create(), args));
