namespace AlexNet.Realtime.Capture;

/// <summary>
/// Whether a path given as a video or image names a file that can be read to its end. A FIFO
/// blocks the open until someone writes to it (label hung on one, deaf to SIGTERM), a device
/// like /dev/zero never ends. Cameras are devices too: <c>/dev/videoN</c> is let through.
/// </summary>
/// <remarks>
/// .NET reports no file type on Unix, but every file that is not a regular file (a device, FIFO
/// or socket) has a size of 0 there, and an empty file holds no frame either: a size of 0 is
/// refused without opening the file. (Inference has the same rule for models in <c>InputFiles</c>.)
/// </remarks>
public static class LocalFile
{
    /// <summary>What a file of size 0 is called: empty, or a device, FIFO or socket.</summary>
    public const string NotRegular = "the file is empty, or not a regular file (a device, FIFO or socket)";

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

        return file.Length == 0 && !IsCameraDevice(path) ? NotRegular : null;
    }

    /// <summary>A V4L2 camera's device file (<c>/dev/video0</c>), which OpenCV opens as a camera.</summary>
    public static bool IsCameraDevice(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var full = Path.GetFullPath(path);
        return OperatingSystem.IsLinux() && full.StartsWith("/dev/video", StringComparison.Ordinal) && full.Length > 10 && full[10..].All(char.IsAsciiDigit);
    }
}
