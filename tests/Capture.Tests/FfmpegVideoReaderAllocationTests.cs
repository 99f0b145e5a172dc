using AlexNet.Realtime.Capture.Readers;
using AlexNet.Realtime.TestSupport;
using Xunit;

namespace AlexNet.Realtime.Capture.Tests;

/// <summary>Measures the whole process's allocations, so it runs with no other test beside it.</summary>
[CollectionDefinition("Allocations", DisableParallelization = true)]
public sealed class AllocationMeasurements;

[Collection("Allocations")]
public sealed class FfmpegVideoReaderAllocationTests
{
    private static readonly string DemoClip = Path.Combine(Fixtures.RepositoryRoot, "samples", "demo-640x480.mp4");

    [SkippableFact]
    public void SteadyState_ReadsAllocateNothing()
    {
        Skip.IfNot(FfmpegTool.DecodesVideoFiles, "ffmpeg 5.1 or later is not installed (test.sh installs it with apt-get when run as root)");
        using var reader = new FfmpegVideoReader(DemoClip, "demo", TimeSpan.FromSeconds(10));
        reader.Open();
        var pool = Enumerable.Range(0, 3).Select(_ => new CapturedFrame()).ToArray();
        try
        {
            for (var i = 0; i < 30; i++)
            {
                Assert.True(reader.Read(pool[i % 3]));
            }

            // Process-wide: the log thread that parses each frame's line is included.
            var before = GC.GetTotalAllocatedBytes(precise: true);
            for (var i = 0; i < 200; i++)
            {
                Assert.True(reader.Read(pool[i % 3]));
            }

            var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
            Assert.True(allocated < 200 * 8, $"200 frames allocated {allocated} B in the whole process");
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
