using AlexNet.Realtime.Capture.Readers;
using Xunit;
using static AlexNet.Realtime.Capture.Tests.TestVideos;

namespace AlexNet.Realtime.Capture.Tests;

[Collection("Allocations")]
public sealed class LibavVideoReaderAllocationTests
{
    [SkippableFact]
    public void SteadyState_ReadsAllocateNothing()
    {
        Skip.IfNot(LibavVideoReader.Available, TestVideos.NoLibav);
        using var reader = new LibavVideoReader(DemoClip, "demo");
        using var pool = new TestFramePool();
        reader.Open();
        pool.Read(reader, 30);

        // The reader runs on the caller's thread only (the decoder on one thread at this size).
        var before = GC.GetAllocatedBytesForCurrentThread();
        pool.Read(reader, 200);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
