using AlexNet.Realtime.Inference.Contract;
using AlexNet.Realtime.Inference.Devices;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace AlexNet.Realtime.Inference.Engine;

/// <summary>
/// CUDA's frames: a device buffer for the frames and two for the top-K, bound once; each run
/// copies the frames in and the top-K out. The addresses never change, which a CUDA graph needs
/// (its replay reads the addresses it captured); any host frames of the slot's shape run through it.
/// </summary>
/// <remarks>Owns its device buffers and the values over them; the output set's arrays are only written.</remarks>
internal sealed class DeviceFramesSlot : InputSlot
{
    private readonly OrtMemoryInfo? _deviceMemory;
    private readonly IntPtr _deviceFrames;
    private readonly IntPtr _deviceProbabilities;
    private readonly IntPtr _deviceIndices;
    private readonly OrtValue? _framesValue;
    private readonly OrtValue? _probabilitiesValue;
    private readonly OrtValue? _indicesValue;

    /// <param name="device">The CUDA device's index.</param>
    public DeviceFramesSlot(InferenceSession session, string inputName, int device, int batch, int rows, int cols, OutputSet outputs)
        : base(batch, rows, cols, outputs)
    {
        var topBytes = (long)batch * outputs.K;
        try
        {
            _deviceMemory = new OrtMemoryInfo(OrtMemoryInfo.allocatorCUDA, OrtAllocatorType.DeviceAllocator, device, OrtMemType.Default);
            _deviceFrames = CudaRuntime.Allocate(device, FrameBytes);
            _deviceProbabilities = CudaRuntime.Allocate(device, topBytes * sizeof(float));
            _deviceIndices = CudaRuntime.Allocate(device, topBytes * sizeof(long));
            _framesValue = OrtValue.CreateTensorValueWithData(_deviceMemory, TensorElementType.UInt8, [batch, rows, cols, 3], _deviceFrames, FrameBytes);
            _probabilitiesValue = OrtValue.CreateTensorValueWithData(_deviceMemory, TensorElementType.Float, [batch, outputs.K], _deviceProbabilities, topBytes * sizeof(float));
            _indicesValue = OrtValue.CreateTensorValueWithData(_deviceMemory, TensorElementType.Int64, [batch, outputs.K], _deviceIndices, topBytes * sizeof(long));
            Binding = session.CreateIoBinding();
            Binding.BindInput(inputName, _framesValue);
            Binding.BindOutput(ModelContract.ProbsTopOutputName, _probabilitiesValue);
            Binding.BindOutput(ModelContract.IndexTopOutputName, _indicesValue);
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public override bool Matches(IntPtr data, int batch, int rows, int cols) => HasShape(batch, rows, cols);

    public override void BeforeRun(IntPtr data) => CudaRuntime.Upload(_deviceFrames, data, FrameBytes);

    public override unsafe void AfterRun()
    {
        var count = (long)Batch * Outputs.K;
        CudaRuntime.Synchronize();
        fixed (float* probabilities = Outputs.Probabilities)
        fixed (long* indices = Outputs.Indices)
        {
            CudaRuntime.Download((IntPtr)probabilities, _deviceProbabilities, count * sizeof(float));
            CudaRuntime.Download((IntPtr)indices, _deviceIndices, count * sizeof(long));
        }
    }

    public override void Dispose()
    {
        Binding?.Dispose();
        _framesValue?.Dispose();
        _probabilitiesValue?.Dispose();
        _indicesValue?.Dispose();
        _deviceMemory?.Dispose();
        CudaRuntime.Free(_deviceFrames);
        CudaRuntime.Free(_deviceProbabilities);
        CudaRuntime.Free(_deviceIndices);
    }
}
