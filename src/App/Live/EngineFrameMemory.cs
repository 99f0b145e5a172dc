using AlexNet.Realtime.Capture;
using AlexNet.Realtime.Inference.Devices;
using AlexNet.Realtime.Inference.Engine;

namespace AlexNet.Realtime.App.Live;

/// <summary>
/// A CUDA engine's page-locked memory as a capture pool's frame memory, so that frames are decoded
/// straight into memory the GPU copies from in one DMA. Capture does not know the engine, so this
/// adapts one to the other; the memory itself falls back to ordinary blocks and says so.
/// </summary>
internal sealed class EngineFrameMemory(PinnedHostMemory memory) : IFrameMemory
{
    /// <summary>Frame memory for <paramref name="engine"/>'s device; null where frames are best left in OpenCV's memory (CPU, DirectML).</summary>
    public static IFrameMemory? For(ClassifierEngine engine) =>
        engine.FrameMemory is { } pinned ? new EngineFrameMemory(pinned) : null;

    public IntPtr Allocate(long bytes) => memory.Allocate(bytes);

    public void Free(IntPtr block) => memory.Free(block);
}
