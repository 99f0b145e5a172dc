using System.Runtime.InteropServices;
using AlexNet.Realtime.Capture;
using AlexNet.Realtime.Inference;
using AlexNet.Realtime.Inference.Devices;
using AlexNet.Realtime.Inference.Engine;

namespace AlexNet.Realtime.App.Live;

/// <summary>
/// The engine's page-locked memory as a capture pool's frame memory (CUDA), so that frames are
/// decoded straight into memory the GPU copies from in one DMA. Where a block can't be had, the
/// frame gets ordinary memory instead (uploads are then only slower) and that is said once.
/// </summary>
internal sealed class EngineFrameMemory : IFrameMemory
{
    private readonly PinnedHostMemory _pinned;
    private readonly Action<string> _say;

    // Blocks are allocated on the capture thread and freed where the source is disposed.
    private readonly Lock _gate = new();
    private readonly HashSet<IntPtr> _ordinary = [];
    private bool _said;

    private EngineFrameMemory(PinnedHostMemory pinned, Action<string> say)
    {
        _pinned = pinned;
        _say = say;
    }

    /// <summary>Frame memory for <paramref name="engine"/>'s device; null where frames are best left in OpenCV's memory (CPU, DirectML).</summary>
    public static IFrameMemory? For(ClassifierEngine engine, Action<string> say) =>
        engine.FrameMemory is { } pinned ? new EngineFrameMemory(pinned, say) : null;

    public IntPtr Allocate(long bytes)
    {
        try
        {
            return _pinned.Allocate(bytes);
        }
        catch (InferenceException e)
        {
            unsafe
            {
                var block = (IntPtr)NativeMemory.AlignedAlloc((nuint)bytes, 64);
                lock (_gate)
                {
                    _ordinary.Add(block);
                    if (!_said)
                    {
                        _said = true;
                        _say($"frames stay in ordinary memory, so each upload to the GPU is slower: {e.Message}");
                    }
                }

                return block;
            }
        }
    }

    public void Free(IntPtr block)
    {
        bool ordinary;
        lock (_gate)
        {
            ordinary = _ordinary.Remove(block);
        }

        if (ordinary)
        {
            unsafe
            {
                NativeMemory.AlignedFree((void*)block);
            }
        }
        else
        {
            _pinned.Free(block);
        }
    }
}
