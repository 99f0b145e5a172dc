using AlexNet.Realtime.Inference.Engine;
using OpenCvSharp;
using Xunit;

namespace AlexNet.Realtime.Inference.Tests;

/// <summary>The per-frame path allocates no managed memory once warm.</summary>
[Collection("Models")]
public sealed class AllocationTests(TestModels models)
{
    private const int Frames = 200;

    /// <summary>With the engine's own resize (the CPU's default) and with the graph's.</summary>
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void SteadyState640x480_AllocatesZeroBytesPerFrame(bool hostPreprocessing)
    {
        using var engine = ClassifierEngine.Open(models.MiniFrames, new EngineOptions { Device = Devices.DeviceRequest.Cpu, IntraOpThreads = 2, HostPreprocessing = hostPreprocessing });
        Assert.Equal(hostPreprocessing && Preprocessing.CropGeometry.Fast, engine.NetworkOnly);
        using var frame = new Mat(480, 640, MatType.CV_8UC3);
        Cv2.Randu(frame, Scalar.All(0), Scalar.All(255));
        for (var i = 0; i < 20; i++)
        {
            engine.Classify(frame);
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        var checksum = 0L;
        for (var i = 0; i < Frames; i++)
        {
            checksum += engine.Classify(frame).Indices[0];
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(checksum >= 0);
        Assert.Equal(0, allocated);
    }

    /// <summary>Warming up a full batch at open leaves nothing for the first real batch to set up.</summary>
    [Theory]
    [InlineData(4, 0)]
    [InlineData(1, 1)]
    public void FirstFullBatch_AfterWarmUpBatch_AllocatesNothing(int warmUpBatch, int expectAllocation)
    {
        using var engine = ClassifierEngine.Open(models.MiniFrames, new EngineOptions { Device = Devices.DeviceRequest.Cpu, MaxBatch = 4, WarmUpBatch = warmUpBatch });
        var frames = Enumerable.Range(0, 4).Select(i => new Mat(480, 640, MatType.CV_8UC3, Scalar.All(i * 60))).ToList();
        try
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            engine.ClassifyBatch(frames);
            var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

            // Without the warm-up batch the first batch binds its buffers (the control case).
            Assert.Equal(expectAllocation, Math.Sign(allocated));
        }
        finally
        {
            frames.ForEach(f => f.Dispose());
        }
    }

    [Fact]
    public void WarmUpBatch_OutOfRange_IsRefusedWhenSet()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new EngineOptions { WarmUpBatch = 0 });
        Assert.Equal(nameof(EngineOptions.WarmUpBatch), e.ParamName);
        Assert.Contains("1..256", e.Message, StringComparison.Ordinal);
    }

    /// <summary>A capture pool hands out a few buffers in turn; each keeps its binding.</summary>
    [Fact]
    public void SteadyStateRotatingPoolOfThreeFrames_AllocatesZeroBytes()
    {
        using var engine = ClassifierEngine.Open(models.MiniFrames, new EngineOptions { Device = Devices.DeviceRequest.Cpu, IntraOpThreads = 2 });
        var pool = Enumerable.Range(0, 3).Select(i => new Mat(480, 640, MatType.CV_8UC3, Scalar.All(i * 80))).ToArray();
        try
        {
            for (var i = 0; i < 9; i++)
            {
                engine.Classify(pool[i % 3]);
            }

            var before = GC.GetAllocatedBytesForCurrentThread();
            for (var i = 0; i < Frames; i++)
            {
                engine.Classify(pool[i % 3]);
            }

            Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        }
        finally
        {
            foreach (var mat in pool)
            {
                mat.Dispose();
            }
        }
    }
}
