using Xunit;

namespace AlexNet.Realtime.Inference.Tests;

/// <summary>ONNX Runtime's messages about a device that can't be had, said in the user's terms (no GPU here: the messages are ONNX Runtime's own).</summary>
public sealed class DeviceErrorTests
{
    [Fact]
    public void CudaLibraryMissing_NamedInTheUsersTerms()
    {
        // ONNX Runtime 1.31's message on a machine without CUDA's libraries (seen with the CUDA build here).
        const string ort = "[ErrorCode:Fail] /onnxruntime_src/onnxruntime/core/session/provider_bridge_ort.cc:2043 onnxruntime::Provider& onnxruntime::ProviderLibrary::Get() [ONNXRuntimeError] : 1 : FAIL : Failed to load library /app/runtimes/linux-x64/native/libonnxruntime_providers_cuda.so with error: libcublasLt.so.13: cannot open shared object file: No such file or directory";
        Assert.Equal(
            "libcublasLt.so.13 is missing: the CUDA build needs CUDA 13 and cuDNN 9 installed, and an NVIDIA driver",
            Devices.SessionFactory.CudaProblem(ort));
        Assert.Equal("something else", Devices.SessionFactory.CudaProblem("something else\nsecond line"));
    }

    [Theory]
    [InlineData("cuda:0", "CUDA failure 100: no CUDA-capable device is detected ; GPU=0 ; hostname=x ; file=cuda_call.cc", "cuda:0: ONNX Runtime could not run m.onnx on this device (CUDA failure 100: no CUDA-capable device is detected ; GPU=0 ; hostname=x ; file=cuda_call.cc)")]
    [InlineData("cuda:0", "[ErrorCode:InvalidProtobuf] Load model from m.onnx failed:Protobuf parsing failed.", "m.onnx: ONNX Runtime cannot load it ([ErrorCode:InvalidProtobuf] Load model from m.onnx failed:Protobuf parsing failed.)")]
    [InlineData("cpu", "out of memory", "m.onnx: ONNX Runtime cannot load it (out of memory)")]
    public void SessionThatFails_BlamesTheDeviceOnlyForDeviceTrouble(string device, string ort, string said)
    {
        Assert.Equal(said, Devices.SessionFactory.LoadProblem("m.onnx", device, ort));
    }
}
