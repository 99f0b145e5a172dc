using AlexNet.Realtime.Capture.Readers;
using AlexNet.Realtime.TestSupport;
using Xunit;

namespace AlexNet.Realtime.Capture.Tests;

[Collection("Allocations")]
public sealed class LibavVideoReaderAllocationTests
{
    private static readonly string DemoClip = Path.Combine(Fixtures.RepositoryRoot, "samples", "demo-640x480.mp4");

    [SkippableFact]
    public void SteadyState_ReadsAllocateNothing()
    {
        Skip.IfNot(LibavVideoReader.Available, $"{LibavVideoReader.Unavailable} (test.sh installs ffmpeg, and with it FFmpeg's libraries, when run as root)");
        using var reader = new LibavVideoReader(DemoClip, "demo");
        reader.Open();
        var pool = Enumerable.Range(0, 3).Select(_ => new CapturedFrame()).ToArray();
        try
        {
            for (var i = 0; i < 30; i++)
            {
                Assert.True(reader.Read(pool[i % 3]));
            }

            // The reader runs on the caller's thread only (the decoder on one thread at this size).
            var before = GC.GetAllocatedBytesForCurrentThread();
            for (var i = 0; i < 200; i++)
            {
                Assert.True(reader.Read(pool[i % 3]));
            }

            Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        }
        finally
        {
            foreach (var frame in pool)
            {
                frame.Dispose();
            }
        }
    }
}
