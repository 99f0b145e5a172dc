namespace AlexNet.Realtime.Capture;

/// <summary>
/// Whether a video file that reached its end gave the frames its container declares. The count
/// is exact in an MP4's index and estimated from duration times rate in some other formats (off
/// by far in a variable-rate video); more missing than that from an exact count is a cut or
/// damaged file, which every command that reads a video to its end reports the same way.
/// </summary>
public static class FrameShortfall
{
    /// <summary>Frames that may be missing before a file counts as cut or damaged: two, or 1% of a long one.</summary>
    public static long Tolerated(long declared) => Math.Max(2, declared / 100);

    /// <summary>"truncated or corrupt: decoded N of M frames" when more are missing from an exact count than <see cref="Tolerated"/>; else null (also when the count is an estimate, unknown, 0 or less).</summary>
    public static string? Problem(long read, long declared, bool exact) =>
        exact && declared > 0 && declared - read > Tolerated(declared) ? $"truncated or corrupt: decoded {read} of {declared} frames" : null;
}
