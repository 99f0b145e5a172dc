using AlexNet.Realtime.CommandLine;
using AlexNet.Realtime.Inference.Contract;
using AlexNet.Realtime.WeightConverter.Graph;

namespace AlexNet.Realtime.WeightConverter.Cli;

/// <summary>
/// alexnet-convert's failures and option errors, said as the shared <see cref="ErrorGuard"/> says
/// them: which library failures are the user's (besides <see cref="ConversionException"/>, a
/// <see cref="ToolException"/>), and which flag sets which option of the model.
/// </summary>
internal static class CliErrors
{
    private static readonly ErrorGuard s_guard = new("alexnet-convert", [typeof(ModelContractException)]);

    /// <summary>The one table of the converter's flags for the libraries' options.</summary>
    public static OptionFlags Flags { get; } = new OptionFlags()
        .Add<ModelOptions>(nameof(ModelOptions.TopK), "--top", "must be 1 or more")
        .Add<ModelOptions>(nameof(ModelOptions.Labels), "--labels", "must name at least one class");

    /// <summary>Runs the command; every failure is one line on stderr and an exit code (<see cref="ErrorGuard"/>).</summary>
    public static int Guard(Func<int> action) => s_guard.Run(action);
}
