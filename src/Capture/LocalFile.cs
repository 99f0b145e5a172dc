namespace AlexNet.Realtime.Capture;

/// <summary>
/// Whether a path given as a video or image names a file that can be read to its end. A FIFO
/// blocks the open until someone writes to it (label hung on one, deaf to SIGTERM), a device
/// like /dev/zero never ends. Cameras are devices too: <c>/dev/videoN</c> is let through.
/// </summary>
/// <remarks>The rule itself is <c>Shared/RegularFile</c>, which Inference applies to models too.</remarks>
public static class LocalFile
{
    /// <summary>What a file of size 0 is called: empty, or a device, FIFO or socket.</summary>
    public const string NotRegular = Shared.RegularFile.NotRegular;

    /// <summary>Why <paramref name="path"/> can't be read as a file (no such file, a folder, empty or not a regular file), or null.</summary>
    public static string? NotARegularFile(string path) => Shared.RegularFile.Problem(path, IsCameraDevice);

    /// <summary>A V4L2 camera's device file (<c>/dev/video0</c>), which OpenCV opens as a camera.</summary>
    public static bool IsCameraDevice(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var full = Path.GetFullPath(path);
        return OperatingSystem.IsLinux() && full.StartsWith("/dev/video", StringComparison.Ordinal) && full.Length > 10 && full[10..].All(char.IsAsciiDigit);
    }
}
