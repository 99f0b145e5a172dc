using AlexNet.Realtime.App.Commands;
using AlexNet.Realtime.WeightConverter.Cli;

NativeLogs.Quiet();
return CommandLineErrors.Invoke("alexnet-rt", AppCommands.Create().Parse(args));
