using AlexNet.Realtime.App.Live;
using AlexNet.Realtime.Capture;
using AlexNet.Realtime.Capture.Readers;
using OpenCvSharp;
using Xunit;
using FrameSource = AlexNet.Realtime.Capture.FrameSource;

namespace AlexNet.Realtime.App.Tests;

/// <summary>Headless live mode says when its source is lost, why each retry failed, and when frames come back.</summary>
public sealed class SourceStateLinesTests
{
    [Fact]
    public void CameraUnpluggedThenRefusedThenBack_ALineForEachChangeOnly()
    {
        var lines = new List<string>();
        using var source = new FrameSource(SourceSpec.Parse("camera:7"), new CaptureOptions
        {
            BackoffInitial = TimeSpan.FromMilliseconds(40),
            BackoffMax = TimeSpan.FromMilliseconds(80),
        }, new UnpluggedCamera());
        _ = new SourceStateLines(source, line =>
        {
            lock (lines)
            {
                lines.Add(line);
            }
        });
        source.Start();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (DateTime.UtcNow < deadline && !Said(lines, "source back"))
        {
            if (source.TryTake(TimeSpan.FromMilliseconds(20), out var frame))
            {
                source.Return(frame!);
            }
        }

        source.Stop();
        string[] said;
        lock (lines)
        {
            said = [.. lines];
        }

        Assert.True(said.Length == 4, string.Join(" | ", said));
        // The wait doubles from 40 ms up to its 80 ms ceiling.
        Assert.Equal("source lost: camera: unplugged; retrying in 0.04 s", said[0]);
        Assert.Equal("source still down: camera: open 2 refused; retrying in 0.08 s", said[1]);
        Assert.Equal("source still down: camera: open 3 refused; retrying in 0.08 s", said[2]);
        Assert.Matches(@"^source back after \d+\.\d s without frames$", said[3]);
    }

    private static bool Said(List<string> lines, string start)
    {
        lock (lines)
        {
            return lines.Exists(line => line.StartsWith(start, StringComparison.Ordinal));
        }
    }

    /// <summary>Gives 5 frames, is unplugged, refuses two opens, then gives frames again.</summary>
    private sealed class UnpluggedCamera : IFrameReader
    {
        private int _opens;
        private int _frame;

        public double FramesPerSecond => 0;

        public long FrameCount => -1;

        public void Open()
        {
            _opens++;
            if (_opens is 2 or 3)
            {
                throw new CaptureException($"camera: open {_opens} refused");
            }

            _frame = 0;
        }

        public bool Read(CapturedFrame frame)
        {
            if (_opens == 1 && _frame == 5)
            {
                throw new CaptureException("camera: unplugged");
            }

            Thread.Sleep(5);
            frame.Image.Create(48, 64, MatType.CV_8UC3);
            frame.Image.SetTo(new Scalar(_frame % 256, _opens * 40, 0));
            _frame++;
            return true;
        }

        public void Rewind() => _frame = 0;

        public void Dispose()
        {
        }
    }
}
