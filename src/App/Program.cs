using AlexNet.Realtime.App.Commands;

return AppCommands.Create().Parse(args).Invoke();
