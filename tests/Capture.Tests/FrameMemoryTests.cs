using System.Runtime.InteropServices;
using AlexNet.Realtime.TestSupport;
using OpenCvSharp;
using Xunit;
using static AlexNet.Realtime.Capture.Tests.TestVideos;

namespace AlexNet.Realtime.Capture.Tests;

/// <summary>A capture pool given frame memory (a CUDA engine's page-locked memory) decodes into it: once a buffer, same pixels, all of it given back.</summary>
public sealed class FrameMemoryTests
{
    public static TheoryData<VideoDecoder> Decoders()
    {
        var decoders = new TheoryData<VideoDecoder> { VideoDecoder.OpenCv };
        if (Readers.LibavVideoReader.Available)
        {
            decoders.Add(VideoDecoder.Libav);
        }
        else
        {
            Console.WriteLine($"FrameMemoryTests: libav decoder left out: {Readers.LibavVideoReader.Unavailable}");
        }

        return decoders;
    }

    [Theory]
    [MemberData(nameof(Decoders))]
    public void VideoFrames_AreDecodedIntoTheGivenMemory_OneBlockABuffer(VideoDecoder decoder)
    {
        const int frames = 40;
        var options = new CaptureOptions { Decoder = decoder, QueueCapacity = 4 };
        var expected = new List<Mat>();
        try
        {
            using (var plain = new FrameSource(SourceSpec.Parse(DemoClip), options))
            {
                plain.Start();
                while (expected.Count < frames && plain.TryTake(TimeSpan.FromSeconds(10), out var frame))
                {
                    expected.Add(frame!.Image.Clone());
                    plain.Return(frame);
                }
            }

            var memory = new CountingFrameMemory();
            using (var source = new FrameSource(SourceSpec.Parse(DemoClip), options, frameMemory: memory))
            {
                source.Start();
                for (var i = 0; i < frames; i++)
                {
                    Assert.True(source.TryTake(TimeSpan.FromSeconds(10), out var frame), $"frame {i}: {source.Problem}");
                    var image = frame!.Image;
                    Assert.True(memory.Holds(image.Data, image.Rows * image.Cols * 3L), $"frame {i} is not in the given memory");
                    Assert.Equal(0, Cv2.Norm(image, expected[i], NormTypes.INF));
                    source.Return(frame);
                }

                // Each of the pool's buffers moved into a block once; later frames were decoded in place.
                Assert.InRange(memory.Allocations, 1, options.QueueCapacity);
            }

            Assert.Equal(0, memory.Live);
        }
        finally
        {
            expected.ForEach(m => m.Dispose());
        }
    }

    [Fact]
    public void FramesOfAnotherSize_MoveToANewBlock_AndTheOldOneIsFreed()
    {
        using var dir = new TempDirectory();
        var photos = Fixtures.Photos.Take(3).ToArray();
        foreach (var photo in photos)
        {
            File.Copy(Fixtures.Image(photo + ".png"), dir.File(photo + ".png"));
        }

        var memory = new CountingFrameMemory();
        var sizes = new HashSet<(int, int)>();
        using (var source = new FrameSource(SourceSpec.Parse(dir.Path), new CaptureOptions { QueueCapacity = 2 }, frameMemory: memory))
        {
            source.Start();
            foreach (var photo in photos.Order(StringComparer.Ordinal))
            {
                Assert.True(source.TryTake(TimeSpan.FromSeconds(10), out var frame), source.Problem);
                using var expected = Cv2.ImRead(Fixtures.Image(photo + ".png"));
                Assert.True(memory.Holds(frame!.Image.Data, expected.Rows * expected.Cols * 3L), $"{photo} is not in the given memory");
                Assert.Equal(0, Cv2.Norm(frame.Image, expected, NormTypes.INF));
                sizes.Add((expected.Rows, expected.Cols));
                source.Return(frame);
            }

            Assert.Equal(3, sizes.Count);
            Assert.True(memory.Live <= 2, $"{memory.Live} blocks held by a pool of 2");
        }

        // The second buffer gets the third photo when the first is still held: a new block, or the
        // first photo's block when it fits there.
        Assert.InRange(memory.Allocations, 2, 3);
        Assert.Equal(0, memory.Live);
    }

    [Fact]
    public void SmallerPicture_GoesBackIntoItsBlock_ALargerOneGetsANewBlock()
    {
        var memory = new CountingFrameMemory();
        using (var frame = new CapturedFrame())
        {
            var blocks = new List<IntPtr>();
            foreach (var (rows, cols) in new[] { (480, 640), (240, 320), (480, 640), (720, 1280), (100, 100) })
            {
                // A reader writing another size makes OpenCV give the Mat new memory.
                using (var picture = new Mat(rows, cols, MatType.CV_8UC3, Scalar.All(rows % 251)))
                {
                    picture.CopyTo(frame.Image);
                }

                frame.KeepIn(memory);
                Assert.True(memory.Holds(frame.Image.Data, rows * cols * 3L));
                Assert.Equal(new Size(cols, rows), frame.Image.Size());
                Assert.Equal(rows % 251, frame.Image.At<Vec3b>(rows - 1, cols - 1).Item0);
                blocks.Add(frame.Image.Data);
            }

            Assert.Equal(2, memory.Allocations);
            Assert.Equal(1, memory.Live);
            Assert.Equal([blocks[0], blocks[0], blocks[0], blocks[3], blocks[3]], blocks);
        }

        Assert.Equal(0, memory.Live);
    }

    [Fact]
    public void LatestFrameSource_KeepsItsThreeBuffersInTheGivenMemory()
    {
        var memory = new CountingFrameMemory();
        using (var source = new FrameSource(SourceSpec.Parse("synthetic"), new CaptureOptions { Width = 160, Height = 120, Fps = 200 }, frameMemory: memory))
        {
            source.Start();
            for (var i = 0; i < 20; i++)
            {
                Assert.True(source.TryTake(TimeSpan.FromSeconds(10), out var frame), source.Problem);
                Assert.True(memory.Holds(frame!.Image.Data, 160 * 120 * 3), $"frame {i} is not in the given memory");
                source.Return(frame);
            }

            Assert.Equal(HandoffPolicy.Latest, source.Policy);
            Assert.InRange(memory.Allocations, 1, 3);
        }

        Assert.Equal(0, memory.Live);
    }

    [Fact]
    public void FrameAlreadyInItsBlock_IsKeptThereWithoutAllocating()
    {
        var memory = new CountingFrameMemory();
        using (var frame = new CapturedFrame())
        {
            frame.Image.Create(480, 640, MatType.CV_8UC3);
            frame.Image.SetTo(Scalar.All(3));
            frame.KeepIn(memory);
            var block = frame.Image.Data;
            Cv2.Add(frame.Image, Scalar.All(1), frame.Image);
            frame.KeepIn(memory);
            var before = GC.GetAllocatedBytesForCurrentThread();
            for (var i = 0; i < 200; i++)
            {
                frame.KeepIn(memory);
            }

            Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
            Assert.Equal(block, frame.Image.Data);
            Assert.Equal(1, memory.Allocations);
            Assert.Equal(4, frame.Image.At<Vec3b>(479, 639).Item2);
        }

        Assert.Equal(0, memory.Live);
    }

    [Fact]
    public void MemoryThatFails_EndsTheSourceWithItsReason()
    {
        var memory = new CountingFrameMemory { Failure = "no page-locked memory left" };
        using var source = new FrameSource(SourceSpec.Parse(DemoClip), frameMemory: memory);
        source.Start();
        Assert.False(source.TryTake(TimeSpan.FromSeconds(10), out _));
        Assert.Equal(SourceState.Failed, source.State);
        Assert.Contains("no page-locked memory left", source.Problem, StringComparison.Ordinal);
        Assert.Equal(0, memory.Live);
    }

    /// <summary>Native blocks, counted; freeing one it did not give, or twice, fails the test.</summary>
    private sealed class CountingFrameMemory : IFrameMemory
    {
        private readonly Lock _gate = new();
        private readonly Dictionary<IntPtr, long> _live = [];

        public string? Failure { get; init; }

        public int Allocations { get; private set; }

        public int Live
        {
            get
            {
                lock (_gate)
                {
                    return _live.Count;
                }
            }
        }

        public unsafe IntPtr Allocate(long bytes)
        {
            if (Failure is not null)
            {
                throw new InvalidOperationException(Failure);
            }

            var block = (IntPtr)NativeMemory.AlignedAlloc((nuint)bytes, 64);
            lock (_gate)
            {
                _live[block] = bytes;
                Allocations++;
            }

            return block;
        }

        public unsafe void Free(IntPtr block)
        {
            lock (_gate)
            {
                Assert.True(_live.Remove(block), "a block freed twice, or not from this memory");
            }

            NativeMemory.AlignedFree((void*)block);
        }

        public bool Holds(IntPtr pointer, long bytes)
        {
            lock (_gate)
            {
                return _live.Any(b => pointer >= b.Key && pointer + (nint)bytes <= b.Key + (nint)b.Value);
            }
        }
    }
}
