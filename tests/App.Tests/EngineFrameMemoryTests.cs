using AlexNet.Realtime.App.Live;
using AlexNet.Realtime.Inference.Devices;
using AlexNet.Realtime.Inference.Engine;
using AlexNet.Realtime.TestSupport;
using Xunit;

namespace AlexNet.Realtime.App.Tests;

/// <summary>The capture pool gets the engine's page-locked memory only on CUDA; where it can't be had, ordinary memory, said once.</summary>
[Collection("App")]
public sealed class EngineFrameMemoryTests(AppModels models)
{
    [Fact]
    public void CpuEngine_GivesNoFrameMemory()
    {
        using var engine = ClassifierEngine.Open(models.MiniFrames, new EngineOptions { Device = DeviceRequest.Cpu, WarmUp = false });
        Assert.Null(EngineFrameMemory.For(engine));
    }

    [SkippableFact]
    public unsafe void WithoutCudaRuntime_BlocksComeFromOrdinaryMemory_SaidOnceByTheEngine()
    {
        Skip.If(NativeLibraries.CanLoad("libcudart.so.13"), "this machine has CUDA 13's runtime: the case without it can't be seen here");
        var said = new List<string>();
        using var engine = ClassifierEngine.Open(models.MiniFrames, new EngineOptions { Device = DeviceRequest.Cpu, WarmUp = false, Transfer = FrameTransfer.DeviceBuffers }, said.Add);
        var memory = EngineFrameMemory.For(engine);
        Assert.NotNull(memory);

        var first = memory.Allocate(640 * 480 * 3);
        var second = memory.Allocate(64);
        Assert.NotEqual(IntPtr.Zero, first);
        new Span<byte>((void*)first, 640 * 480 * 3).Fill(7);
        Assert.Equal(7, ((byte*)first)[(640 * 480 * 3) - 1]);
        memory.Free(first);
        memory.Free(second);

        Assert.Single(said, l => l.StartsWith("frames stay in ordinary memory, so each upload to the GPU is slower: ", StringComparison.Ordinal));
    }
}
