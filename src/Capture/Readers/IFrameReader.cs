namespace AlexNet.Realtime.Capture.Readers;

/// <summary>
/// Reads frames from one kind of source on the capture thread. <see cref="Read"/> fills a pooled
/// frame and returns true, or returns false at the end of a file; a failure throws.
/// </summary>
public interface IFrameReader : IDisposable
{
    /// <summary>Opens (or reopens after a failure) the source. Throws <see cref="CaptureException"/> when it can't.</summary>
    void Open();

    /// <summary>Reads the next frame into <paramref name="frame"/>; false at end of stream.</summary>
    bool Read(CapturedFrame frame);

    /// <summary>
    /// Passes over up to <paramref name="count"/> frames (a reader taking over mid-file); how many
    /// there were. By reading each into <paramref name="scratch"/>, unless the reader can do better.
    /// </summary>
    long Skip(long count, CapturedFrame scratch)
    {
        var passed = 0L;
        while (passed < count && Read(scratch))
        {
            passed++;
        }

        return passed;
    }

    /// <summary>Starts again from the first frame (for <c>--loop</c>).</summary>
    void Rewind();

    /// <summary>Frames per second the source runs at, when known (0 otherwise).</summary>
    double FramesPerSecond { get; }

    /// <summary>Number of frames, when known (files); -1 otherwise.</summary>
    long FrameCount { get; }

    /// <summary>
    /// True when <see cref="FrameCount"/> is the container's own count (an MP4's index), not an
    /// estimate from duration times rate, which a variable-rate video misses by far: only an
    /// exact count tells a cut or damaged file from a complete one.
    /// </summary>
    bool FrameCountIsExact => false;
}
