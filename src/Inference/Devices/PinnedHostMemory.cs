namespace AlexNet.Realtime.Inference.Devices;

/// <summary>
/// Page-locked host memory on a CUDA engine's device: frames kept in it go to the GPU in one DMA
/// instead of the driver's staged copy of pageable memory. Measured on an H200 (26 November, the
/// build before and after, two rounds in turn, 640x480 frames, inference stage p50): 0.362-0.370
/// against 0.451-0.462 ms with a CUDA graph and TF32, 0.578-0.588 against 0.663-0.672 with the Gemm
/// model and a CUDA graph, 1.404-1.430 against 1.511-1.514 with neither (bench/README.md, "GPU").
/// </summary>
/// <remarks>
/// Obtained from <see cref="Engine.ClassifierEngine.FrameMemory"/>. A block belongs to whoever
/// allocated it and is given back with <see cref="Free"/>; page-locked memory is scarce, so blocks
/// are meant for a few long-lived buffers (a capture pool), not for each frame.
/// </remarks>
public sealed class PinnedHostMemory
{
    private readonly int _device;

    internal PinnedHostMemory(int device)
    {
        _device = device;
    }

    /// <summary>A page-aligned block of <paramref name="bytes"/> bytes.</summary>
    /// <exception cref="InferenceException">The CUDA runtime can't be loaded, or has no such memory to give.</exception>
    public IntPtr Allocate(long bytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(bytes);
        return CudaRuntime.AllocateHost(_device, bytes);
    }

    /// <summary>Gives back a block from <see cref="Allocate"/>; zero does nothing.</summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Performance", "CA1822", Justification = "A block goes back through the memory it came from; cudaFreeHost happens not to need the device.")]
    public void Free(IntPtr block) => CudaRuntime.FreeHost(block);
}
