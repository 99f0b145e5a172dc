namespace AlexNet.Realtime.Shared;

/// <summary>
/// Whether a path names a file that can be read to its end. A device (<c>/dev/zero</c>) never
/// ends and a FIFO blocks the open until someone writes to it, deaf to Ctrl-C.
/// </summary>
/// <remarks>
/// .NET reports no file type on Unix, but every file that is not a regular file (a device, FIFO
/// or socket) has a size of 0 there, and an empty file holds no model, weights or frame either: a
/// size of 0 is refused without opening the file. A symbolic link is judged by the file it leads
/// to: .NET gives a link's own size (the length of the name it holds), so <c>ln -s /dev/zero</c>
/// would pass for a 9-byte file. One source file compiled into Capture and Inference (linked by
/// their projects), which reference no common library.
/// </remarks>
internal static class RegularFile
{
    /// <summary>What a file of size 0 is called: empty, or a device, FIFO or socket.</summary>
    public const string NotRegular = "the file is empty, or not a regular file (a device, FIFO or socket)";

    /// <summary>Why <paramref name="path"/> can't be read as a file (no such file, a folder, empty or not a regular file), or null.</summary>
    /// <param name="allowed">A path that is let through whatever its size (a camera's device file); asked of a link's name and of its target's.</param>
    public static string? Problem(string path, Func<string, bool>? allowed = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (Directory.Exists(path))
        {
            return "a directory, not a file";
        }

        var file = new FileInfo(path);
        if (!file.Exists)
        {
            return "no such file";
        }

        if (file.LinkTarget is null)
        {
            return file.Length == 0 && allowed?.Invoke(path) != true ? NotRegular : null;
        }

        FileSystemInfo? target;
        try
        {
            target = file.ResolveLinkTarget(returnFinalTarget: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A loop of links (ELOOP), or one through a folder that can't be read: it leads to no file that can be read.
            target = null;
        }

        if (target is not FileInfo { Exists: true } final)
        {
            // /dev/fd/N and /proc/*/fd/N name a pipe or socket as "pipe:[inode]", which is no path
            // (a shell's <(command) gives one).
            return file.LinkTarget is { } text && (text.StartsWith("pipe:", StringComparison.Ordinal) || text.StartsWith("socket:", StringComparison.Ordinal) || text.StartsWith("anon_inode:", StringComparison.Ordinal))
                ? NotRegular
                : "a symbolic link to no file";
        }

        // A camera is often reached through a link (/dev/v4l/by-id/...): either name lets it through.
        return final.Length == 0 && allowed?.Invoke(path) != true && allowed?.Invoke(final.FullName) != true ? NotRegular : null;
    }
}
