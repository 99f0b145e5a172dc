using System.Runtime.InteropServices;
using AlexNet.Realtime.Inference.Devices;

namespace AlexNet.Realtime.Inference.Engine;

/// <summary>
/// The one buffer a batch of same-size frames is copied into, to be bound as one input: the one
/// copy a batch needs. Grown for a larger frame size, never shrunk; native and 64-byte aligned, or
/// from the engine's <see cref="PinnedHostMemory"/> where it has one (CUDA), so a batch goes to
/// the GPU in one DMA.
/// </summary>
/// <remarks>Owns its block. Whoever bound the old block drops those bindings before it is grown (<see cref="Fits"/>).</remarks>
internal sealed unsafe class BatchBuffer(PinnedHostMemory? memory) : IDisposable
{
    private long _bytes;

    public IntPtr Data { get; private set; }

    /// <summary>Whether the buffer holds <paramref name="bytes"/> already; else <see cref="Grow"/> replaces it.</summary>
    public bool Fits(long bytes) => _bytes >= bytes;

    /// <summary>A new block of <paramref name="bytes"/> in place of the old one, which is freed.</summary>
    public void Grow(long bytes)
    {
        Free();
        Data = memory is { } pinned ? pinned.Allocate(bytes) : (IntPtr)NativeMemory.AlignedAlloc((nuint)bytes, 64);
        _bytes = bytes;
    }

    public void Dispose() => Free();

    private void Free()
    {
        if (Data == IntPtr.Zero)
        {
            return;
        }

        if (memory is { } pinned)
        {
            pinned.Free(Data);
        }
        else
        {
            NativeMemory.AlignedFree((void*)Data);
        }

        Data = IntPtr.Zero;
        _bytes = 0;
    }
}
