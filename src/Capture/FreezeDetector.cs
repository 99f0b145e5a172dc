using OpenCvSharp;

namespace AlexNet.Realtime.Capture;

/// <summary>
/// Tells a frozen source (a driver or stream that keeps returning the same buffer) from a still
/// scene: a real sensor's noise changes some of 256 sampled pixels every frame; a frozen source
/// repeats them exactly. Samples a fixed grid; allocates nothing.
/// </summary>
internal sealed class FreezeDetector(int limit)
{
    private ulong _last;
    private int _repeats;

    /// <summary>True when this frame makes <c>limit</c> identical frames in a row.</summary>
    public unsafe bool IsFrozen(Mat image)
    {
        if (limit <= 0)
        {
            return false;
        }

        var rows = image.Rows;
        var cols = image.Cols;
        var step = image.Step();
        var data = (byte*)image.Data;
        var hash = 14695981039346656037UL ^ (ulong)rows ^ ((ulong)cols << 32);
        for (var gy = 0; gy < 16; gy++)
        {
            var y = (int)((gy * 2 + 1) * (long)rows / 32);
            for (var gx = 0; gx < 16; gx++)
            {
                var x = (int)((gx * 2 + 1) * (long)cols / 32);
                var pixel = data + (y * step) + (x * 3);
                hash = (hash ^ (uint)(pixel[0] | (pixel[1] << 8) | (pixel[2] << 16))) * 1099511628211UL;
            }
        }

        _repeats = hash == _last ? _repeats + 1 : 0;
        _last = hash;
        return _repeats + 1 >= limit;
    }

    public void Reset()
    {
        _repeats = 0;
        _last = 0;
    }
}
