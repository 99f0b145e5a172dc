using AlexNet.Realtime.Capture.Readers;
using AlexNet.Realtime.TestSupport;
using Xunit;
using static AlexNet.Realtime.Capture.Tests.TestVideos;

namespace AlexNet.Realtime.Capture.Tests;

/// <summary>Allocation measurements, run with no other test beside them.</summary>
[CollectionDefinition("Allocations", DisableParallelization = true)]
public sealed class AllocationMeasurements;

[Collection("Allocations")]
public sealed class FfmpegVideoReaderAllocationTests
{
    [SkippableFact]
    public void SteadyState_ReadsAllocateNothing()
    {
        Skip.IfNot(FfmpegTool.DecodesVideoFiles, "ffmpeg 5.1 or later is not installed (test.sh installs it with apt-get when run as root)");
        using var reader = new FfmpegVideoReader(DemoClip, "demo", TimeSpan.FromSeconds(10));
        using var pool = new TestFramePool();
        reader.Open();
        pool.Read(reader, 30);

        // Both threads the reader runs on: the caller's, and the log thread that parses each
        // frame's line. (The whole process is not a fair measure inside the test host, whose own
        // threads allocate a few hundred bytes a second; `profile` measures it: 0 B a frame.)
        var here = GC.GetAllocatedBytesForCurrentThread();
        var log = reader.LogThreadAllocatedBytes;
        pool.Read(reader, 200);

        // Under a byte a frame on each: one allocation a frame would be 24 B or more each time.
        // (With the cores busy, a one-time 56 B shows up now and then on either thread when the
        // two first meet on the event's lock; never more in 28 runs.)
        var readerThread = GC.GetAllocatedBytesForCurrentThread() - here;
        var logThread = reader.LogThreadAllocatedBytes - log;
        Assert.True(readerThread < 200, $"the reading thread allocated {readerThread} B over 200 frames");
        Assert.True(logThread < 200, $"the log thread allocated {logThread} B over 200 frames");
    }
}
