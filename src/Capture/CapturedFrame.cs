using OpenCvSharp;

namespace AlexNet.Realtime.Capture;

/// <summary>
/// A pooled frame buffer and what is known about the picture in it. Owned by its source's pool:
/// a consumer reads it between taking it and giving it back, and never disposes it.
/// </summary>
public sealed class CapturedFrame : IDisposable
{
    internal CapturedFrame()
    {
        Image = new Mat();
    }

    /// <summary>8-bit BGR pixels; the buffer is reused for later frames.</summary>
    public Mat Image { get; }

    /// <summary>Position in the source's sequence of frames read (0, 1, 2, ...), counting dropped ones.</summary>
    public long Sequence { get; internal set; }

    /// <summary><see cref="System.Diagnostics.Stopwatch"/> timestamp taken when the read of this frame began.</summary>
    public long ReadStartTimestamp { get; internal set; }

    /// <summary><see cref="System.Diagnostics.Stopwatch"/> timestamp taken when the frame was read.</summary>
    public long CaptureTimestamp { get; internal set; }

    /// <summary>The source's own time of the frame in ms (video position; capture time for cameras).</summary>
    public double SourceTimeMs { get; internal set; }

    /// <summary>Which file of an image list or video the frame came from (the source's text for cameras and streams).</summary>
    public string Origin { get; internal set; } = "";

    /// <summary>The frame's index within its file (0 for images).</summary>
    public long FrameInOrigin { get; internal set; }

    public void Dispose()
    {
        Image.Dispose();
    }
}
