using System.Globalization;

namespace AlexNet.Realtime.Capture;

/// <summary>
/// What an image file must be before it is decoded: a regular file (a FIFO would block the open,
/// a device never end), whose header declares no more than <see cref="MaxPixels"/> pixels and
/// <see cref="MaxSide"/> a side. A decoder allocates the whole picture first: a 875 KB PNG of
/// 30,000 x 30,000 pixels took 5.7 GB, and 60,000 x 60,000 failed inside OpenCV.
/// </summary>
/// <remarks>
/// 100 megapixels is a 12,000 x 8,000 photo with room to spare (a frame is resized to 256 pixels
/// anyway); 32,767 a side keeps every decoder's sizes in range. Formats whose header is not read
/// here (JPEG 2000) are left to OpenCV's own limit (2^30 pixels).
/// </remarks>
public static class ImageFiles
{
    /// <summary>Environment variable: the most pixels an image may have (a positive integer).</summary>
    public const string MaxPixelsVariable = "ALEXNET_RT_MAX_IMAGE_PIXELS";

    /// <summary>The default pixel limit: 100 megapixels.</summary>
    public const long DefaultMaxPixels = 100_000_000;

    /// <summary>The most pixels a side may have.</summary>
    public const long MaxSide = 32_767;

    /// <summary>The most pixels an image may have: <see cref="MaxPixelsVariable"/>, else <see cref="DefaultMaxPixels"/>.</summary>
    /// <exception cref="CaptureException">The variable is set to something that is not a positive integer.</exception>
    public static long MaxPixels => MaxPixelsFrom(Environment.GetEnvironmentVariable(MaxPixelsVariable));

    /// <summary>
    /// The pixel limit that <see cref="MaxPixelsVariable"/> set to <paramref name="text"/> gives:
    /// unset or blank, the default. Anything else that is not a positive integer is refused rather
    /// than ignored: a limit the user meant to raise (or lower) and that silently stays put makes
    /// every large image fail, or decode, for no reason they can see.
    /// </summary>
    /// <exception cref="CaptureException">Not a positive integer.</exception>
    public static long MaxPixelsFrom(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return DefaultMaxPixels;
        }

        return long.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var max) && max >= 1
            ? max
            : throw new CaptureException(string.Create(CultureInfo.InvariantCulture,
                $"{MaxPixelsVariable}={text}: give the most pixels an image may have, a positive integer (default {DefaultMaxPixels})"));
    }

    /// <summary>Why the image file at <paramref name="path"/> is not to be decoded, or null; the reason does not repeat the path.</summary>
    public static string? Problem(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        (long Width, long Height)? size;
        if (Readers.UnixFileHead.Supported)
        {
            if (Readers.UnixFileHead.Check(path, out size) is { } problem)
            {
                return problem;
            }
        }
        else
        {
            if (LocalFile.NotARegularFile(path) is { } notAFile)
            {
                return notAFile;
            }

            try
            {
                using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1, FileOptions.None);
                size = ImageHeader.Read(file);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return $"cannot be read ({e.Message})";
            }
        }

        return size switch
        {
            // Said here, so the decoder's own complaint (libpng prints it) is not the only word.
            { Width: 0 } or { Height: 0 } => string.Create(CultureInfo.InvariantCulture, $"its header declares {size.Value.Width}x{size.Value.Height} pixels (a damaged image)"),
            { } s => OverLimit(s.Width, s.Height),
            null => null,
        };
    }

    /// <summary>Throws a <see cref="CaptureException"/> naming the file when <see cref="Problem"/> finds one.</summary>
    public static void Check(string path)
    {
        if (Problem(path) is { } problem)
        {
            throw new CaptureException($"{path}: {problem}");
        }
    }

    /// <summary>Why an image of this size is not decoded, or null.</summary>
    public static string? OverLimit(long width, long height)
    {
        var max = MaxPixels;
        return width > MaxSide || height > MaxSide
            ? string.Create(CultureInfo.InvariantCulture, $"{width}x{height} pixels, over the limit of {MaxSide} pixels a side")
            : width * height > max
                ? string.Create(CultureInfo.InvariantCulture, $"{width}x{height} pixels, over the limit of {max} pixels ({MaxPixelsVariable} raises it)")
                : null;
    }
}
