using AlexNet.Realtime.CommandLine;
using AlexNet.Realtime.WeightConverter.Cli;

// Ctrl-C ends the process; the model is written to a temporary file and renamed only when
// complete, so an interrupted run leaves no half-written output behind.
return CommandLineErrors.Invoke("alexnet-convert", ToolCommandLine.Parse(ConverterCommands.Create(), args));
