namespace AlexNet.Realtime.Inference;

/// <summary>
/// Whether a path names a file that can be read to its end: weights, models and images are read
/// whole, so a device (<c>/dev/zero</c>, <c>/dev/urandom</c>) would be read forever and a FIFO
/// would block the open until someone writes to it, deaf to Ctrl-C.
/// </summary>
/// <remarks>The rule itself is <c>Shared/RegularFile</c>, which Capture applies to videos and images too.</remarks>
public static class InputFiles
{
    /// <summary>Why <paramref name="path"/> can't be read as a file (no such file, a folder, empty or not a regular file), or null.</summary>
    public static string? NotARegularFile(string path) => Shared.RegularFile.Problem(path);
}
