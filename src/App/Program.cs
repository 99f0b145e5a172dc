using AlexNet.Realtime.App.Commands;

NativeLogs.Quiet();
return AppCommands.Create().Parse(args).Invoke();
