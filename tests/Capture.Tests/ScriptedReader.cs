using AlexNet.Realtime.Capture.Readers;
using OpenCvSharp;

namespace AlexNet.Realtime.Capture.Tests;

/// <summary>A fake camera: fails to open a number of times, stalls or freezes on cue, else draws numbered frames.</summary>
internal sealed class ScriptedReader : IFrameReader
{
    private int _frame;

    public int FailOpens { get; init; }

    /// <summary>The read at this position blocks for <see cref="StallFor"/> first (once).</summary>
    public int StallAt { get; init; } = -1;

    public TimeSpan StallFor { get; init; }

    /// <summary>From this read on (in the first connection only) the same picture repeats.</summary>
    public int FreezeFrom { get; init; } = -1;

    /// <summary>Reads fail (throw) at this position in the first connection.</summary>
    public int DisconnectAt { get; init; } = -1;

    public TimeSpan FrameInterval { get; init; } = TimeSpan.FromMilliseconds(2);

    public int Opens { get; private set; }

    public double FramesPerSecond => 0;

    public long FrameCount => -1;

    public void Open()
    {
        Opens++;
        if (Opens <= FailOpens)
        {
            throw new CaptureException($"fake camera: open {Opens} refused");
        }

        _frame = 0;
    }

    public bool Read(CapturedFrame frame)
    {
        var index = _frame++;
        var firstConnection = Opens == FailOpens + 1;
        if (firstConnection && index == DisconnectAt)
        {
            throw new CaptureException("fake camera: unplugged");
        }

        if (firstConnection && index == StallAt)
        {
            Thread.Sleep(StallFor);
        }

        Thread.Sleep(FrameInterval);
        var value = firstConnection && FreezeFrom >= 0 && index >= FreezeFrom ? FreezeFrom : index;
        frame.Image.Create(48, 64, MatType.CV_8UC3);
        frame.Image.SetTo(new Scalar(value % 256, (value / 256) % 256, Opens * 40));
        frame.Origin = "fake";
        frame.FrameInOrigin = index;
        return true;
    }

    public void Rewind() => _frame = 0;

    public void Dispose()
    {
    }
}
