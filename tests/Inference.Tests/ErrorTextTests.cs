using Xunit;

namespace AlexNet.Realtime.Inference.Tests;

public sealed class ErrorTextTests
{
    [Fact]
    public void ControlCharacters_AreEscapedIntoOneVisibleLine()
    {
        Assert.Equal(
            "tv.pth: tensor a\\nb\\x1b[31m\\t\\r\\x7f is not a tensor",
            ErrorText.OneLine("tv.pth: tensor a\nb\x1b[31m\t\r\x7f is not a tensor"));
    }

    [Fact]
    public void PlainMessage_IsKeptAsItIs()
    {
        const string message = "model.onnx: no such file (ü, 日本)";
        Assert.Same(message, ErrorText.OneLine(message));
    }

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
}
