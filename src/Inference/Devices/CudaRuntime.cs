using System.Runtime.InteropServices;

namespace AlexNet.Realtime.Inference.Devices;

/// <summary>
/// The CUDA runtime calls the engine makes itself: device buffers for a CUDA session's frames
/// and top-K, the copies in and out of them, and page-locked host memory for frames. Only called when a CUDA session runs, so a CPU or
/// DirectML build never loads the library.
/// </summary>
/// <remarks>
/// Why by hand: ONNX Runtime's managed API binds device memory (an <c>OrtValue</c> over a device
/// pointer) but has no host-to-device copy for a provider that is not a plugin (its
/// <c>OrtEnv.CopyTensors</c> needs one), and the CUDA bindings served here are whole toolkits for eight
/// functions. <c>libcudart.so.13</c> is the runtime ONNX Runtime's CUDA provider (built for CUDA 13)
/// has already loaded when a session exists.
/// </remarks>
internal static partial class CudaRuntime
{
    private const string Library = "libcudart.so.13";
    private const int HostToDevice = 1;
    private const int DeviceToHost = 2;
    private const uint HostAllocPortable = 1;

    public static IntPtr Allocate(int device, long bytes)
    {
        SetDevice(device);
        Check(cudaMalloc(out var pointer, (nuint)bytes), "cudaMalloc");
        return pointer;
    }

    /// <summary>
    /// Page-locked host memory (portable: usable from every CUDA context), from which a copy to the
    /// device is one DMA instead of the driver's staged copy of pageable memory.
    /// </summary>
    public static IntPtr AllocateHost(int device, long bytes)
    {
        SetDevice(device);
        Check(cudaHostAlloc(out var pointer, (nuint)bytes, HostAllocPortable), "cudaHostAlloc");
        return pointer;
    }

    public static void FreeHost(IntPtr pointer)
    {
        if (pointer != IntPtr.Zero)
        {
            _ = cudaFreeHost(pointer);
        }
    }

    public static void Free(IntPtr pointer)
    {
        if (pointer != IntPtr.Zero)
        {
            // Nothing to do about a failure here (the context is going away, or already gone).
            _ = cudaFree(pointer);
        }
    }

    /// <summary>Copies host memory to the device; done when it returns (the whole device is synchronized).</summary>
    public static void Upload(IntPtr device, IntPtr host, long bytes)
    {
        Check(cudaMemcpy(device, host, (nuint)bytes, HostToDevice), "cudaMemcpy to the GPU");

        // A copy from pageable memory may return before its DMA has landed, and ONNX Runtime runs
        // on its own stream: waiting for the device orders the copy before the run.
        Synchronize();
    }

    /// <summary>Waits for the device's work (a run on ONNX Runtime's stream) to finish.</summary>
    public static void Synchronize() => Check(cudaDeviceSynchronize(), "cudaDeviceSynchronize");

    /// <summary>
    /// Copies device memory to the host. Call <see cref="Synchronize"/> first after a run: ONNX
    /// Runtime's stream is not the one this copy goes on. A copy to pageable memory is done when it returns.
    /// </summary>
    public static void Download(IntPtr host, IntPtr device, long bytes) =>
        Check(cudaMemcpy(host, device, (nuint)bytes, DeviceToHost), "cudaMemcpy from the GPU");

    /// <summary>Makes <paramref name="device"/> the calling thread's; the first call loads the runtime, and its absence is one clear error.</summary>
    private static void SetDevice(int device)
    {
        try
        {
            Check(cudaSetDevice(device), "cudaSetDevice");
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            throw new InferenceException($"CUDA: the CUDA 13 runtime ({Library}) could not be loaded: {ErrorText.FirstLine(e.Message)}", e);
        }
    }

    private static void Check(int status, string call)
    {
        if (status != 0)
        {
            var text = Marshal.PtrToStringUTF8(cudaGetErrorString(status)) ?? "unknown error";
            throw new InferenceException($"CUDA: {call} failed: {text} ({status})");
        }
    }

    [LibraryImport(Library)]
    private static partial int cudaSetDevice(int device);

    [LibraryImport(Library)]
    private static partial int cudaMalloc(out IntPtr pointer, nuint bytes);

    [LibraryImport(Library)]
    private static partial int cudaFree(IntPtr pointer);

    [LibraryImport(Library)]
    private static partial int cudaHostAlloc(out IntPtr pointer, nuint bytes, uint flags);

    [LibraryImport(Library)]
    private static partial int cudaFreeHost(IntPtr pointer);

    [LibraryImport(Library)]
    private static partial int cudaMemcpy(IntPtr destination, IntPtr source, nuint bytes, int kind);

    [LibraryImport(Library)]
    private static partial int cudaDeviceSynchronize();

    [LibraryImport(Library)]
    private static partial IntPtr cudaGetErrorString(int status);
}
