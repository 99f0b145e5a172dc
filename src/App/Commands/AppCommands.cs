using System.CommandLine;

namespace AlexNet.Realtime.App.Commands;

/// <summary>The <c>alexnet-rt</c> command line.</summary>
internal static class AppCommands
{
    public static RootCommand Create()
    {
        var root = new RootCommand("alexnet-rt: real-time AlexNet image classification (live, label, profile, classify, eval, devices).");
        root.Subcommands.Add(LiveCommand.Create());
        root.Subcommands.Add(LabelCommand.Create());
        root.Subcommands.Add(ProfileCommand.Create());
        root.Subcommands.Add(ClassifyCommand.Create());
        root.Subcommands.Add(EvalCommand.Create());
        root.Subcommands.Add(DevicesCommand.Create());
        return root;
    }
}
