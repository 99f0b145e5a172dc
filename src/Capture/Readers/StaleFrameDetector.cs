using System.IO.Hashing;
using OpenCvSharp;

namespace AlexNet.Realtime.Capture.Readers;

/// <summary>
/// Tells when OpenCV's FFmpeg reader has stopped following a video whose frame size changed
/// mid-stream. That reader sizes its converter from the stream's header, so once a keyframe of
/// another size arrives its scaler refuses every frame and it hands back the last good frame's
/// pixels again, byte for byte, while its properties still give the old size; nothing public says
/// so. The sign kept here: a keyframe whose pixels equal the frame before it exactly. Decoded
/// video rarely repeats itself exactly at a keyframe, where the picture is coded afresh; when a
/// still video does, the reader that takes over reads the same pixels, so a false alarm costs
/// only the change of reader. Hashes 32 whole rows a frame; allocates nothing.
/// </summary>
internal sealed class StaleFrameDetector
{
    private const int SampledRows = 32;

    private ulong _last;
    private (int Rows, int Cols) _lastSize;

    /// <summary>Whether the last frame given repeated the frame before it exactly, keyframe or not.</summary>
    public bool Repeated { get; private set; }

    /// <summary>True when <paramref name="image"/> is a keyframe that repeats the frame before it exactly.</summary>
    /// <param name="image">The frame just read (8-bit, 3 channels).</param>
    /// <param name="keyFrame">Whether the decoder said this frame is an intra frame.</param>
    public bool IsStale(Mat image, bool keyFrame)
    {
        var hash = Fingerprint(image);
        var size = (image.Rows, image.Cols);
        Repeated = hash == _last && size == _lastSize;
        var stale = keyFrame && Repeated;
        _last = hash;
        _lastSize = size;
        return stale;
    }

    public void Reset()
    {
        _last = 0;
        _lastSize = default;
        Repeated = false;
    }

    private static unsafe ulong Fingerprint(Mat image)
    {
        var rows = image.Rows;
        var rowBytes = image.Cols * image.ElemSize();
        var step = image.Step();
        var data = (byte*)image.Data;
        var hash = (ulong)rows * 31 + (ulong)rowBytes;
        var taken = Math.Min(SampledRows, rows);
        for (var i = 0; i < taken; i++)
        {
            var y = (int)(((2L * i) + 1) * rows / (2L * taken));
            var row = new ReadOnlySpan<byte>(data + (y * step), rowBytes);
            hash = XxHash3.HashToUInt64(row, (long)hash);
        }

        return hash;
    }
}
