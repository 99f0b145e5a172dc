using AlexNet.Realtime.Overlay.Profiling;
using Xunit;

namespace AlexNet.Realtime.Overlay.Tests;

public sealed class FrameProfilerTests
{
    [Fact]
    public void Percentiles_AreNearestRankOverTheRecord()
    {
        var sorted = Enumerable.Range(1, 1000).Select(i => (double)i).ToArray();
        var stats = StageStats.FromSorted(sorted);
        Assert.Equal(1, stats.Min);
        Assert.Equal(500, stats.P50);
        Assert.Equal(900, stats.P90);
        Assert.Equal(990, stats.P99);
        Assert.Equal(999, stats.P999);
        Assert.Equal(1000, stats.Max);
        Assert.Equal(500.5, stats.Mean);
    }

    [Fact]
    public void Window_KeepsOnlyTheNewestFrames_RecordKeepsTheFirst()
    {
        var profiler = new FrameProfiler(window: 10, recordCapacity: 5);
        for (var i = 0; i < 30; i++)
        {
            profiler.BeginFrame();
            var start = System.Diagnostics.Stopwatch.GetTimestamp();
            profiler.Record(Stage.Inference, start, start + (long)(i * System.Diagnostics.Stopwatch.Frequency / 1000.0));
            profiler.EndFrame();
        }

        Assert.Equal(10, profiler.WindowCount);
        Assert.Equal(20, profiler.WindowStats(Stage.Inference).Min, 3);
        Assert.Equal(29, profiler.WindowStats(Stage.Inference).Max, 3);
        Assert.Equal(5, profiler.RecordedFrames);
        Assert.Equal(4, profiler.RecordStats(Stage.Inference).Max, 3);
    }

    [Fact]
    public void WarmupFrames_StayOutOfTheRecord()
    {
        var profiler = new FrameProfiler(window: 10, recordCapacity: 10);
        for (var i = 0; i < 6; i++)
        {
            profiler.BeginFrame();
            profiler.EndFrame(record: i >= 4);
        }

        Assert.Equal(2, profiler.RecordedFrames);
        Assert.Equal(6, profiler.WindowCount);
    }

    [Fact]
    public void TimingAFrame_AllocatesNothing()
    {
        var profiler = new FrameProfiler(window: 300, recordCapacity: 1000);
        void Frame()
        {
            profiler.BeginFrame();
            using (profiler.Time(Stage.Inference))
            {
                Thread.SpinWait(10);
            }

            using (profiler.Time(Stage.Overlay))
            {
                Thread.SpinWait(10);
            }

            profiler.EndFrame();
            _ = profiler.WindowStats(Stage.Inference);
        }

        for (var i = 0; i < 20; i++)
        {
            Frame();
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 500; i++)
        {
            Frame();
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
