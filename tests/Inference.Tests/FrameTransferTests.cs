using AlexNet.Realtime.Inference.Engine;
using AlexNet.Realtime.TestSupport;
using OpenCvSharp;
using Xunit;

namespace AlexNet.Realtime.Inference.Tests;

/// <summary>
/// A buffer that comes back with new pixels is classified afresh, whichever way frames reach the
/// session. A GPU session copies a host input to the device when it is bound (ONNX Runtime's
/// IOBinding), so a buffer bound once was classified with its first pixels forever on CUDA (seen on
/// an H200: every frame of a video got the first frame's answer). The rebinding that DirectML uses
/// runs here on the CPU; CUDA's device buffers are checked by bench/scripts/gpu-check.sh on a GPU.
/// </summary>
[Collection("Models")]
public sealed class FrameTransferTests(TestModels models)
{
    public static TheoryData<string> Transfers => new(nameof(FrameTransfer.InPlace), nameof(FrameTransfer.RebindEachRun));

    [Theory]
    [MemberData(nameof(Transfers))]
    public void SameBufferNewPixels_ClassifiedAfresh(string transfer)
    {
        using var engine = Open(transfer);
        using var reference = ClassifierEngine.Open(models.MiniFrames, new EngineOptions { Device = Devices.DeviceRequest.Cpu, HostPreprocessing = false });
        using var frame = new Mat(480, 640, MatType.CV_8UC3);
        var changed = 0;
        for (var seed = 0; seed < 6; seed++)
        {
            // The same Mat (the same memory) with new pixels each time, as a capture pool reuses its buffers.
            Fill(frame, seed);
            var got = Answer(engine.Classify(frame));
            using var copy = frame.Clone();
            Assert.Equal(Answer(reference.Classify(copy)), got);
            if (seed > 0)
            {
                using var previous = Previous(seed);
                changed += got != Answer(reference.Classify(previous)) ? 1 : 0;
            }
        }

        // The pictures differ enough that the answers move; else the test could not see a stale frame.
        Assert.True(changed >= 3, $"only {changed} of 5 new pictures changed the answer");
    }

    [Fact]
    public void RebindEachRun_SteadyState_AllocatesOnlyTheInputNamesEncoding()
    {
        using var engine = Open(nameof(FrameTransfer.RebindEachRun));
        using var frame = new Mat(480, 640, MatType.CV_8UC3);
        Cv2.Randu(frame, Scalar.All(0), Scalar.All(255));
        for (var i = 0; i < 20; i++)
        {
            engine.Classify(frame);
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 200; i++)
        {
            engine.Classify(frame);
        }

        // OrtIoBinding.BindInput encodes the name each call (public API, no reach into ONNX
        // Runtime's table): a few dozen bytes a frame, bounded, and nothing else.
        var perFrame = (GC.GetAllocatedBytesForCurrentThread() - before) / 200.0;
        Assert.True(perFrame <= 64, $"{perFrame:0.0} B a frame");
    }

    [Fact]
    public void RebindEachRun_Batch_EqualsInPlace()
    {
        using var rebinding = Open(nameof(FrameTransfer.RebindEachRun), maxBatch: 4);
        using var inPlace = Open(nameof(FrameTransfer.InPlace), maxBatch: 4);
        var frames = Enumerable.Range(0, 4).Select(_ => new Mat(240, 320, MatType.CV_8UC3)).ToList();
        try
        {
            for (var round = 0; round < 3; round++)
            {
                frames.ForEach(f => Cv2.Randu(f, Scalar.All(0), Scalar.All(60 + (round * 90))));
                var want = inPlace.ClassifyBatch(frames).Select(Answer).ToList();
                Assert.Equal(want, rebinding.ClassifyBatch(frames).Select(Answer).ToList());
            }
        }
        finally
        {
            frames.ForEach(f => f.Dispose());
        }
    }

    /// <summary>Without CUDA's runtime, CUDA's device buffers fail with one clear error, not a crash.</summary>
    [SkippableFact]
    public void DeviceBuffersWithoutCudaRuntime_IsOneClearError()
    {
        Skip.If(NativeLibraries.CanLoad("libcudart.so.13"), "this machine has CUDA 13's runtime: the case without it can't be seen here");
        using var engine = ClassifierEngine.Open(models.MiniFrames, new EngineOptions { Device = Devices.DeviceRequest.Cpu, WarmUp = false, Transfer = FrameTransfer.DeviceBuffers });
        using var frame = new Mat(48, 64, MatType.CV_8UC3, Scalar.All(9));
        var e = Assert.Throws<InferenceException>(() => engine.Classify(frame));
        Assert.StartsWith("CUDA: the CUDA 13 runtime (libcudart.so.13) could not be loaded", e.Message, StringComparison.Ordinal);
    }

    /// <summary>Frame memory is offered only where frames are uploaded (CUDA); without CUDA's runtime its blocks are ordinary memory, said once for the frames and the batch buffer together.</summary>
    [SkippableFact]
    public void FrameMemory_OnlyWithDeviceBuffers_AndWithoutCudaRuntimeOrdinaryMemorySaidOnce()
    {
        using (var cpu = Open("InPlace"))
        {
            Assert.Null(cpu.FrameMemory);
        }

        Skip.If(NativeLibraries.CanLoad("libcudart.so.13"), "this machine has CUDA 13's runtime: the case without it can't be seen here");
        var notices = new List<string>();
        using var engine = ClassifierEngine.Open(models.MiniFrames, new EngineOptions { Device = Devices.DeviceRequest.Cpu, WarmUp = false, Transfer = FrameTransfer.DeviceBuffers }, notices.Add);
        Assert.NotNull(engine.FrameMemory);
        const int bytes = 640 * 480 * 3;
        var block = engine.FrameMemory.Allocate(bytes);
        Assert.Equal(0, block % 64);
        System.Runtime.InteropServices.Marshal.Copy(Enumerable.Repeat((byte)7, bytes).ToArray(), 0, block, bytes);
        Assert.Equal(7, System.Runtime.InteropServices.Marshal.ReadByte(block, bytes - 1));
        engine.FrameMemory.Free(block);
        engine.FrameMemory.Free(IntPtr.Zero);

        // The batch buffer comes from the same memory; the run itself then needs CUDA and says so.
        using var frame = new Mat(48, 64, MatType.CV_8UC3, Scalar.All(9));
        var e = Assert.Throws<InferenceException>(() => engine.ClassifyBatch([frame, frame]));
        Assert.StartsWith("CUDA: the CUDA 13 runtime (libcudart.so.13) could not be loaded", e.Message, StringComparison.Ordinal);
        var notice = Assert.Single(notices, n => n.Contains("ordinary memory", StringComparison.Ordinal));
        Assert.StartsWith("frames stay in ordinary memory, so each upload to the GPU is slower: CUDA: the CUDA 13 runtime (libcudart.so.13) could not be loaded", notice, StringComparison.Ordinal);
    }

    /// <summary>The top-K arrays get OrtValues over them only when bound (CPU, DirectML); CUDA's slots bind device buffers and never make them.</summary>
    [Fact]
    public void OutputSet_ValuesMadeOnlyWhenBound()
    {
        using var session = new Microsoft.ML.OnnxRuntime.InferenceSession(models.MiniFrames);
        using var binding = session.CreateIoBinding();
        var set = new OutputSet(2, 5);
        Assert.False(set.HasValues);
        set.BindTo(binding);
        Assert.True(set.HasValues);
        set.BindTo(binding);
        set.Dispose();
        Assert.False(set.HasValues);
        set.Dispose();
    }

    private ClassifierEngine Open(string transfer, int maxBatch = 8) =>
        ClassifierEngine.Open(models.MiniFrames, new EngineOptions { Device = Devices.DeviceRequest.Cpu, MaxBatch = maxBatch, Transfer = Enum.Parse<FrameTransfer>(transfer) });

    private static Mat Previous(int seed)
    {
        var frame = new Mat(480, 640, MatType.CV_8UC3);
        Fill(frame, seed - 1);
        return frame;
    }

    /// <summary>Pixels from a seed, brighter as the seed grows (the same seed, the same pixels).</summary>
    private static void Fill(Mat frame, int seed)
    {
        var random = new Random(seed);
        var pixels = new byte[frame.Rows * frame.Cols * 3];
        var top = (seed * 40) + 16;
        for (var i = 0; i < pixels.Length; i++)
        {
            pixels[i] = (byte)random.Next(top);
        }

        System.Runtime.InteropServices.Marshal.Copy(pixels, 0, frame.Data, pixels.Length);
    }

    private static string Answer(Prediction p) =>
        string.Join(",", Enumerable.Range(0, p.Indices.Length).Select(i => $"{p.Indices[i]}:{p.Probabilities[i]:R}"));
}
