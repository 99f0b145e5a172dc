using AlexNet.Realtime.Capture;
using AlexNet.Realtime.CommandLine;

namespace AlexNet.Realtime.App.Commands;

/// <summary>alexnet-rt's outputs checked writable before any work (<see cref="OutputCheck"/>).</summary>
internal static class OutputPath
{
    /// <exception cref="AppException">The file can't be written there, said in one line naming <paramref name="option"/>.</exception>
    /// <param name="writesThrough">The output is opened and written into, not renamed over (see <see cref="OutputCheck.FileProblem"/>).</param>
    public static void CheckFile(string option, string? path, bool writesThrough = false)
    {
        if (OutputCheck.FileProblem(option, path, writesThrough) is { } problem)
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

    /// <summary>An output named as the video or an image being played would replace it when written.</summary>
    /// <exception cref="AppException">It is the source, said in one line naming <paramref name="option"/>.</exception>
    public static void CheckNotTheSource(SourceSpec spec, string option, string? path)
    {
        if (path is null || spec.Kind is SourceKind.Camera or SourceKind.Stream or SourceKind.Synthetic)
        {
            return;
        }

        var sources = spec.Files ?? [spec.Text];
        if (sources.Any(source => OutputCheck.SameFile(source, path)))
        {
            throw new AppException($"{option} {path}: that is the source being played; choose another name");
        }
    }
}
