namespace AlexNet.Realtime.CommandLine;

/// <summary>
/// Checks, before any work, that an output can be written where it was asked for: a model or a
/// report that cannot be written should fail in the first second, not after a long run, and name
/// its option. Each tool throws the problem as its own exception type.
/// </summary>
public static class OutputCheck
{
    /// <summary>
    /// How file names compare: without case where the file system usually does (Windows, macOS).
    /// </summary>
    public static StringComparer PathComparer { get; } =
        OperatingSystem.IsWindows() || OperatingSystem.IsMacOS() ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal;

    /// <summary>
    /// True when the two paths name one file (an output that would replace an input): by identity,
    /// so a symlink, a hard link or a symlinked folder on the way is seen through (<see cref="FileIdentity"/>).
    /// </summary>
    public static bool SameFile(string a, string b) => FileIdentity.Same(a, b);

    /// <summary>Why the file can't be written there (its folder made if need be), or null when it can.</summary>
    /// <param name="writesThrough">
    /// The caller opens the output and writes into it (label's rows) rather than renaming a
    /// temporary file over it: a device (<c>/dev/stdout</c>, <c>/dev/null</c>) is then fine, if it opens.
    /// </param>
    public static string? FileProblem(string option, string? path, bool writesThrough = false)
    {
        if (path is null)
        {
            return null;
        }

        if (Directory.Exists(path))
        {
            return $"{option} {path}: a folder, not a file name";
        }

        // Outputs are written to a temporary file renamed over the name: over /dev/null, as root,
        // that would replace the device for the whole machine. (.NET does not tell a device from a
        // file, so on Unix its place does.)
        var full = Path.GetFullPath(path);
        if (IsDevicePath(full))
        {
            return writesThrough ? DeviceProblem(option, path) : $"{option} {path}: a device, not a file; give a file name";
        }

        return FolderProblem(option, Path.GetDirectoryName(full)!, path);
    }

    private static string? DeviceProblem(string option, string path)
    {
        try
        {
            // Opened as it is, not created or truncated: a device or a pipe must already be there.
            using var device = new FileStream(path, FileMode.Open, FileAccess.Write);
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return $"{option} {path}: cannot write there ({e.Message})";
        }
    }

    /// <summary>Under /dev or /proc (Unix): devices and pipes, never to be replaced by a rename.</summary>
    public static bool IsDevicePath(string fullPath) =>
        !OperatingSystem.IsWindows() && (fullPath.StartsWith("/dev/", StringComparison.Ordinal) || fullPath.StartsWith("/proc/", StringComparison.Ordinal));

    /// <summary>Why the folder can't take a new file (it is made if need be), or null when it can.</summary>
    public static string? FolderProblem(string option, string? folder) => FolderProblem(option, folder, folder);

    private static string? FolderProblem(string option, string? folder, string? asked)
    {
        if (folder is null)
        {
            return null;
        }

        if (IsDevicePath(Path.GetFullPath(folder).TrimEnd('/') + "/"))
        {
            return $"{option} {asked}: the devices' folder, not one for files; give another";
        }

        var probe = Path.Combine(folder, $".alexnet-rt-probe-{Environment.ProcessId}");
        try
        {
            Directory.CreateDirectory(folder);

            // A file made and deleted at once: what writing there will need (permissions, a
            // read-only or pseudo file system), tried before the run.
            // (Create, not CreateNew: one left by a killed run must not read as "cannot write".)
            using var file = new FileStream(probe, FileMode.Create, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose);
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            var reason = e switch
            {
                UnauthorizedAccessException => "permission denied",
                _ when !Directory.Exists(folder) => $"the folder cannot be made: {e.Message}",
                FileNotFoundException => $"{folder} takes no new files",
                _ => e.Message.Replace($" : '{probe}'", "", StringComparison.Ordinal).Replace($"'{probe}'", folder, StringComparison.Ordinal),
            };
            return $"{option} {asked}: cannot write there ({reason})";
        }
    }
}
