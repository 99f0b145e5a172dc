namespace AlexNet.Realtime.App.Commands;

/// <summary>
/// Checks, before any work, that an output can be written where it was asked for: a report that
/// cannot be written should fail in the first second, not after a long run, and name its option.
/// </summary>
internal static class OutputPath
{
    /// <summary>The file's folder exists (made if need be) and takes a new file; the path is not a folder.</summary>
    /// <exception cref="AppException">It can't be written there, said in one line naming <paramref name="option"/>.</exception>
    public static void CheckFile(string option, string? path)
    {
        if (path is null)
        {
            return;
        }

        if (Directory.Exists(path))
        {
            throw new AppException($"{option} {path}: a folder, not a file name");
        }

        CheckFolder(option, Path.GetDirectoryName(Path.GetFullPath(path))!, path);
    }

    /// <summary>The folder exists (made if need be) and takes a new file.</summary>
    public static void CheckFolder(string option, string? folder) => CheckFolder(option, folder, folder);

    private static void CheckFolder(string option, string? folder, string? asked)
    {
        if (folder is null)
        {
            return;
        }

        var probe = Path.Combine(folder, $".alexnet-rt-probe-{Environment.ProcessId}");
        try
        {
            Directory.CreateDirectory(folder);

            // A file made and deleted at once: what writing there will need (permissions, a
            // read-only or pseudo file system), tried before the run.
            using var file = new FileStream(probe, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new AppException($"{option} {asked}: cannot write there ({e.Message.Replace(probe, folder, StringComparison.Ordinal)})");
        }
    }
}
