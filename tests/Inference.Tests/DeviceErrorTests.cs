using AlexNet.Realtime.Inference.Devices;
using AlexNet.Realtime.TestSupport;
using Xunit;

namespace AlexNet.Realtime.Inference.Tests;

/// <summary>ONNX Runtime's messages about a device that can't be had, said in the user's terms (no GPU here: the messages are ONNX Runtime's own).</summary>
[Collection("Models")]
public sealed class DeviceErrorTests(TestModels models)
{
    [Fact]
    public void CudaLibraryMissing_NamedInTheUsersTerms()
    {
        // ONNX Runtime 1.31's message on a machine without CUDA's libraries (seen with the CUDA build here).
        const string ort = "[ErrorCode:Fail] /onnxruntime_src/onnxruntime/core/session/provider_bridge_ort.cc:2043 onnxruntime::Provider& onnxruntime::ProviderLibrary::Get() [ONNXRuntimeError] : 1 : FAIL : Failed to load library /app/runtimes/linux-x64/native/libonnxruntime_providers_cuda.so with error: libcublasLt.so.13: cannot open shared object file: No such file or directory";
        Assert.Equal(
            "libcublasLt.so.13 is missing: the CUDA build needs CUDA 13 and cuDNN 9 installed, and an NVIDIA driver",
            SessionProblems.CudaProblem(ort));
        Assert.Equal("something else", SessionProblems.CudaProblem("something else\nsecond line"));
    }

    /// <summary>
    /// Whose fault is what the CPU check found, whatever ONNX Runtime's words: a message that names
    /// CUDA does not blame the device for a model the CPU refuses too, and one that names nothing
    /// blames the device when the CPU loads the model.
    /// </summary>
    [Theory]
    [InlineData(true, "CUDA failure 100: no CUDA-capable device is detected ; GPU=0", "cuda:0: ONNX Runtime could not run m.onnx on this device (CUDA failure 100: no CUDA-capable device is detected ; GPU=0)")]
    [InlineData(true, "[ErrorCode:Fail] something new\nsecond line", "cuda:0: ONNX Runtime could not run m.onnx on this device ([ErrorCode:Fail] something new)")]
    [InlineData(false, "[ErrorCode:InvalidProtobuf] Load model from m.onnx failed:Protobuf parsing failed.", "m.onnx: ONNX Runtime cannot load it ([ErrorCode:InvalidProtobuf] Load model from m.onnx failed:Protobuf parsing failed.)")]
    [InlineData(false, "CUDA error: out of memory while reading the DML graph", "m.onnx: ONNX Runtime cannot load it (CUDA error: out of memory while reading the DML graph)")]
    public void SessionThatFails_BlamesTheDeviceOnlyWhenTheCpuLoadsTheModel(bool deviceAtFault, string ort, string said)
    {
        Assert.Equal(said, SessionProblems.LoadProblem("m.onnx", "cuda:0", ort, deviceAtFault));
    }

    [Fact]
    public void LoadsWithoutDevice_TrueForAModel_FalseForDamagedOrForeignBytes()
    {
        Assert.True(SessionProblems.LoadsWithoutDevice(models.MiniFrames));

        using var dir = new TempDirectory();
        var bytes = File.ReadAllBytes(models.MiniFrames);
        var truncated = dir.File("truncated.onnx");
        File.WriteAllBytes(truncated, bytes[..(bytes.Length / 2)]);
        Assert.False(SessionProblems.LoadsWithoutDevice(truncated));

        var text = dir.File("text.onnx");
        File.WriteAllText(text, "not a model\n");
        Assert.False(SessionProblems.LoadsWithoutDevice(text));
    }
}
