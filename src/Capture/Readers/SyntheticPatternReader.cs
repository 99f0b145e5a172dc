using System.Diagnostics;
using OpenCvSharp;

namespace AlexNet.Realtime.Capture.Readers;

/// <summary>
/// A moving test pattern made in memory, paced like a camera (no files, no device): a colour
/// gradient that scrolls, a bright square that bounces, and a frame-counter bar code. Drawn
/// straight into the pooled buffer, so it allocates nothing per frame.
/// </summary>
public sealed class SyntheticPatternReader : IFrameReader
{
    private readonly int _width;
    private readonly int _height;
    private readonly double _fps;
    private long _index;
    private long _start;

    public SyntheticPatternReader(int width = 640, int height = 480, double fps = 30)
    {
        _width = width > 0 ? width : 640;
        _height = height > 0 ? height : 480;
        _fps = fps > 0 ? fps : 30;
    }

    public double FramesPerSecond => _fps;

    public long FrameCount => -1;

    public void Open()
    {
        _index = 0;
        _start = Stopwatch.GetTimestamp();
    }

    public unsafe bool Read(CapturedFrame frame)
    {
        // Pace like a camera: frame i is ready at i / fps.
        var due = _start + (long)(_index * Stopwatch.Frequency / _fps);
        var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), due);
        if (wait > TimeSpan.Zero)
        {
            Thread.Sleep(wait);
        }

        var image = frame.Image;
        image.Create(_height, _width, MatType.CV_8UC3);
        var t = (int)_index;
        var data = (byte*)image.Data;
        var step = (int)image.Step();
        var squareX = Bounce(t * 7, _width - 80);
        var squareY = Bounce(t * 5, _height - 80);
        for (var y = 0; y < _height; y++)
        {
            var row = data + ((long)y * step);
            for (var x = 0; x < _width; x++)
            {
                var inSquare = x >= squareX && x < squareX + 80 && y >= squareY && y < squareY + 80;
                row[(x * 3) + 0] = inSquare ? (byte)255 : (byte)((x + (t * 3)) & 0xFF);
                row[(x * 3) + 1] = inSquare ? (byte)255 : (byte)((y + t) & 0xFF);
                row[(x * 3) + 2] = inSquare ? (byte)64 : (byte)(((x ^ y) + (t * 2)) & 0xFF);
            }
        }

        // 32-bit bar code of the frame number along the bottom: makes every frame distinct.
        var barWidth = Math.Max(1, _width / 32);
        for (var bit = 0; bit < 32 && bit * barWidth < _width; bit++)
        {
            var value = ((_index >> bit) & 1) != 0 ? (byte)255 : (byte)0;
            for (var y = _height - 8; y < _height; y++)
            {
                var row = data + ((long)y * step);
                for (var x = bit * barWidth; x < Math.Min(_width, (bit + 1) * barWidth); x++)
                {
                    row[(x * 3) + 0] = value;
                    row[(x * 3) + 1] = value;
                    row[(x * 3) + 2] = value;
                }
            }
        }

        frame.SourceTimeMs = _index * 1000.0 / _fps;
        frame.Origin = "synthetic";
        frame.FrameInOrigin = _index;
        _index++;
        return true;
    }

    public void Rewind() => Open();

    public void Dispose()
    {
    }

    private static int Bounce(int position, int range)
    {
        if (range <= 0)
        {
            return 0;
        }

        var period = range * 2;
        var p = position % period;
        return p < range ? p : period - p;
    }
}
