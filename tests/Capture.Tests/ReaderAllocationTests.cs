using AlexNet.Realtime.Capture.Readers;
using Xunit;

namespace AlexNet.Realtime.Capture.Tests;

[Collection("Allocations")]
public sealed class MjpegHttpReaderAllocationTests
{
    [Fact]
    public void SteadyState_ReadsAllocateNothing()
    {
        using var server = new MjpegTestServer(i => i < 300 ? MjpegTestServer.Part(MjpegTestServer.Jpeg, withLength: i % 3 != 0) : null);
        using var reader = new MjpegHttpReader(server.Url, TimeSpan.FromSeconds(5));
        using var pool = new TestFramePool();
        reader.Open();

        // Under a byte a frame: one allocation a frame would be 24 B or more each time.
        var allocated = pool.AllocatedReading(reader, warm: 30, count: 200);
        Assert.True(allocated < 200, $"200 frames allocated {allocated} B");
    }
}

[Collection("Allocations")]
public sealed class ImageSequenceReaderAllocationTests
{
    [Fact]
    public void SteadyState_ReadsAllocateNothingPerImage()
    {
        using var dir = new TestSupport.TempDirectory();
        var files = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            using var image = new OpenCvSharp.Mat(48, 64, OpenCvSharp.MatType.CV_8UC3, new OpenCvSharp.Scalar(60 * i, 100, 200));
            var path = dir.File($"{i}.jpg");
            OpenCvSharp.Cv2.ImWrite(path, image);
            files.Add(path);
        }

        using var reader = new ImageSequenceReader([.. Enumerable.Repeat(files, 120).SelectMany(f => f)]);
        reader.Open();
        var pool = Enumerable.Range(0, 3).Select(_ => new CapturedFrame()).ToArray();
        try
        {
            for (var i = 0; i < 40; i++)
            {
                Assert.True(reader.Read(pool[i % 3]));
            }

            var before = GC.GetAllocatedBytesForCurrentThread();
            var read = 0;
            for (var i = 0; i < 400; i++)
            {
                read += reader.Read(pool[i % 3]) ? 1 : 0;
            }

            // A managed Mat an image (what Cv2.ImRead makes) would be 40 KB here; the runtime's
            // own one-time allocations on this thread come to a few hundred bytes.
            var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            Assert.Equal(400, read);
            Assert.Equal((64, 48), (pool[0].Image.Cols, pool[0].Image.Rows));
            Assert.True(allocated < 2000, $"400 images allocated {allocated} B");
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

[Collection("Allocations")]
public sealed class VideoCaptureReaderAllocationTests
{
    [Fact]
    public void SteadyState_FileReadsAllocateNothing()
    {
        // OpenCV's reader of a file, with its per-frame size-change watch (a property read and a
        // hash of 32 rows).
        using var reader = new VideoCaptureReader(SourceSpec.Parse(TestVideos.DemoClip), new CaptureOptions());
        using var pool = new TestFramePool();
        reader.Open();

        var allocated = pool.AllocatedReading(reader, warm: 30, count: 200);
        Assert.True(allocated < 200, $"200 frames allocated {allocated} B");
    }
}
