using System.Runtime.InteropServices;

namespace AlexNet.Realtime.Inference.Devices;

/// <summary>
/// Host memory for frames on a CUDA engine's device: page-locked, so that a frame goes to the GPU
/// in one DMA instead of the driver's staged copy of pageable memory, which was measurably faster
/// at every percentile on an H200 (bench/README.md, "GPU").
/// Where CUDA gives no page-locked memory, a block is ordinary memory (uploads from it are correct,
/// only slower), and the engine's notice says so once.
/// </summary>
/// <remarks>
/// Obtained from <see cref="Engine.ClassifierEngine.FrameMemory"/>; the engine's batch buffer and a
/// capture pool (through the app) allocate from it, on their own threads. A block belongs to whoever
/// allocated it and is given back with <see cref="Free"/>; page-locked memory is scarce and slow to
/// get, so blocks are meant for a few long-lived buffers, not for each frame.
/// </remarks>
public sealed class PinnedHostMemory
{
    private readonly int _device;
    private readonly Action<string>? _notice;
    private readonly Lock _gate = new();
    private readonly HashSet<IntPtr> _ordinary = [];
    private bool _said;

    internal PinnedHostMemory(int device, Action<string>? notice)
    {
        _device = device;
        _notice = notice;
    }

    /// <summary>A block of <paramref name="bytes"/> bytes, aligned to at least 64: page-locked, or ordinary where that can't be had.</summary>
    public unsafe IntPtr Allocate(long bytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(bytes);
        try
        {
            return CudaRuntime.AllocateHost(_device, bytes);
        }
        catch (InferenceException e)
        {
            var block = (IntPtr)NativeMemory.AlignedAlloc((nuint)bytes, 64);
            bool say;
            lock (_gate)
            {
                _ordinary.Add(block);
                say = !_said;
                _said = true;
            }

            if (say)
            {
                _notice?.Invoke($"frames stay in ordinary memory, so each upload to the GPU is slower: {e.Message}");
            }

            return block;
        }
    }

    /// <summary>Gives back a block from <see cref="Allocate"/>; zero does nothing.</summary>
    public unsafe void Free(IntPtr block)
    {
        if (block == IntPtr.Zero)
        {
            return;
        }

        bool ordinary;
        lock (_gate)
        {
            ordinary = _ordinary.Remove(block);
        }

        if (ordinary)
        {
            NativeMemory.AlignedFree((void*)block);
        }
        else
        {
            CudaRuntime.FreeHost(block);
        }
    }
}
