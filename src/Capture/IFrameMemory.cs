namespace AlexNet.Realtime.Capture;

/// <summary>
/// Where a source's frame buffers keep their pixels instead of OpenCV's own memory. A CUDA engine
/// gives page-locked host memory: a frame in it goes to the GPU in one DMA, where a frame in
/// ordinary (pageable) memory is first copied by the driver into a staging buffer (measured in
/// bench/README.md, "GPU").
/// </summary>
/// <remarks>
/// Called on the capture thread, a few times in a source's life: once per pooled buffer, and again
/// when the frame size changes. The frame that allocated a block frees it, when it is disposed or
/// moves to a block of another size.
/// </remarks>
public interface IFrameMemory
{
    /// <summary>A block of at least <paramref name="bytes"/> bytes, aligned for SIMD; throws when none can be had.</summary>
    IntPtr Allocate(long bytes);

    /// <summary>Gives back a block from <see cref="Allocate"/>.</summary>
    void Free(IntPtr block);
}
