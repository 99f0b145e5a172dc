namespace AlexNet.Realtime.Inference;

/// <summary>
/// Whether a path names a file that can be read to its end: weights, models and images are read
/// whole, so a device (<c>/dev/zero</c>, <c>/dev/urandom</c>) would be read forever and a FIFO
/// would block the open until someone writes to it, deaf to Ctrl-C.
/// </summary>
/// <remarks>
/// .NET reports no file type on Unix, but every file that is not a regular file (a device, FIFO
/// or socket) has a size of 0 there, and an empty file is no model or image either: a size of 0
/// is refused without opening the file. (Capture has the same rule in its <c>LocalFile</c>.)
/// </remarks>
public static class InputFiles
{
    /// <summary>Why <paramref name="path"/> can't be read as a file (no such file, a folder, empty or not a regular file), or null.</summary>
    public static string? NotARegularFile(string path)
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

        return file.Length == 0 ? "the file is empty, or not a regular file (a device, FIFO or socket)" : null;
    }
}
