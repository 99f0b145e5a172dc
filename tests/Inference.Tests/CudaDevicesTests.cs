using AlexNet.Realtime.Inference.Devices;
using AlexNet.Realtime.TestSupport;
using Xunit;

namespace AlexNet.Realtime.Inference.Tests;

/// <summary><c>devices</c>' GPU list on a machine without the NVIDIA driver (the GPU machine's list is in bench/README.md, "GPU").</summary>
public sealed class CudaDevicesTests
{
    [SkippableFact]
    public void NoNvidiaDriver_ListsNoneAndSaysWhy()
    {
        Skip.If(NativeLibraries.CanLoad("libcuda.so.1"), "this machine has the NVIDIA driver (libcuda.so.1): the case without one can't be seen here");
        var (devices, problem) = CudaDevices.List();
        Assert.Empty(devices);
        Assert.Equal("no NVIDIA driver (libcuda.so.1 not found)", problem);
    }

    [Fact]
    public void Device_IsDescribedWithItsIndexMemoryAndComputeCapability() =>
        Assert.Equal("cuda:1 NVIDIA H200 (140.4 GiB, compute capability 9.0)", new CudaDevice(1, "NVIDIA H200", 150754820096, 9, 0).ToString());
}
