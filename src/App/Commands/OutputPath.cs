using AlexNet.Realtime.WeightConverter.Cli;

namespace AlexNet.Realtime.App.Commands;

/// <summary>alexnet-rt's outputs checked writable before any work (<see cref="OutputCheck"/>).</summary>
internal static class OutputPath
{
    /// <exception cref="AppException">The file can't be written there, said in one line naming <paramref name="option"/>.</exception>
    public static void CheckFile(string option, string? path)
    {
        if (OutputCheck.FileProblem(option, path) is { } problem)
        {
            throw new AppException(problem);
        }
    }

    /// <exception cref="AppException">The folder can't take a new file, said in one line naming <paramref name="option"/>.</exception>
    public static void CheckFolder(string option, string? folder)
    {
        if (OutputCheck.FolderProblem(option, folder) is { } problem)
        {
            throw new AppException(problem);
        }
    }
}
