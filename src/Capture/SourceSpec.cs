using System.Globalization;

namespace AlexNet.Realtime.Capture;

/// <summary>
/// A parsed <c>--source</c>: a camera index (<c>0</c>, <c>camera:1</c>), a video or image file, a
/// folder or glob of images, an <c>rtsp://</c>/<c>http(s)://</c> stream, or <c>synthetic</c>.
/// </summary>
public sealed record SourceSpec(SourceKind Kind, string Text, int CameraIndex = 0, IReadOnlyList<string>? Files = null)
{
    public static readonly IReadOnlySet<string> ImageExtensions = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        ".png", ".jpg", ".jpeg", ".bmp", ".tif", ".tiff", ".webp", ".ppm", ".pgm", ".jp2",
    };

    /// <summary>Live sources drop stale frames; files keep every frame.</summary>
    public HandoffPolicy DefaultPolicy => Kind is SourceKind.Camera or SourceKind.Stream or SourceKind.Synthetic ? HandoffPolicy.Latest : HandoffPolicy.Every;

    public bool IsLive => Kind is SourceKind.Camera or SourceKind.Stream;

    /// <summary>A short name for the overlay and reports.</summary>
    public string DisplayName => Kind switch
    {
        SourceKind.Camera => $"camera {CameraIndex}",
        SourceKind.Synthetic => "synthetic pattern",
        SourceKind.Stream => Text,
        _ => Path.GetFileName(Text.TrimEnd('/', '\\')) is { Length: > 0 } name ? name : Text,
    };

    public static SourceSpec Parse(string text)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(text);
        var value = text.Trim();
        if (value.Equals("synthetic", StringComparison.OrdinalIgnoreCase))
        {
            return new SourceSpec(SourceKind.Synthetic, value);
        }

        if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var index))
        {
            return new SourceSpec(SourceKind.Camera, value, index);
        }

        if (value.StartsWith("camera:", StringComparison.OrdinalIgnoreCase))
        {
            return int.TryParse(value[7..], NumberStyles.None, CultureInfo.InvariantCulture, out index)
                ? new SourceSpec(SourceKind.Camera, value, index)
                : throw new CaptureException($"{text}: expected camera:N with a camera number");
        }

        if (value.StartsWith("rtsp://", StringComparison.OrdinalIgnoreCase) || value.StartsWith("rtsps://", StringComparison.OrdinalIgnoreCase)
            || value.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || value.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
        {
            return Uri.TryCreate(value, UriKind.Absolute, out var url) && url.Host.Length > 0
                ? new SourceSpec(SourceKind.Stream, value)
                : throw new CaptureException($"{text}: not a valid URL (scheme://host[:port]/path)");
        }

        if (Directory.Exists(value))
        {
            var files = ImagesIn(value, recursive: true);
            return files.Count > 0
                ? new SourceSpec(SourceKind.ImageFolder, value, Files: files)
                : throw new CaptureException($"{text}: the folder holds no images ({string.Join(" ", ImageExtensions.Order(StringComparer.Ordinal))})");
        }

        if (value.Contains('*', StringComparison.Ordinal) || value.Contains('?', StringComparison.Ordinal))
        {
            var files = Glob.Expand(value).Where(f => ImageExtensions.Contains(Path.GetExtension(f))).ToList();
            return files.Count > 0
                ? new SourceSpec(SourceKind.ImageGlob, value, Files: files)
                : throw new CaptureException($"{text}: the pattern matches no images");
        }

        if (File.Exists(value))
        {
            // A FIFO would block the open (deaf to Ctrl-C), a device never end; cameras are let through.
            if (LocalFile.NotARegularFile(value) is { } notAFile)
            {
                throw new CaptureException($"{text}: {notAFile}");
            }

            return ImageExtensions.Contains(Path.GetExtension(value))
                ? new SourceSpec(SourceKind.ImageFile, value, Files: [Path.GetFullPath(value)])
                : new SourceSpec(SourceKind.VideoFile, value);
        }

        throw new CaptureException($"{text}: no such file, folder or camera (use a camera number, a file, a folder, a glob, a URL or 'synthetic')");
    }

    /// <summary>Image files under a folder, in a stable ordinal order.</summary>
    public static List<string> ImagesIn(string folder, bool recursive) =>
        (recursive ? FolderWalk.Files(folder) : Directory.EnumerateFiles(folder))
            .Where(f => ImageExtensions.Contains(Path.GetExtension(f)))
            .Select(Path.GetFullPath)
            .Order(StringComparer.Ordinal)
            .ToList();
}
