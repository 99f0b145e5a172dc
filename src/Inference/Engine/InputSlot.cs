using AlexNet.Realtime.Inference.Contract;
using AlexNet.Realtime.Inference.Devices;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace AlexNet.Realtime.Inference.Engine;

/// <summary>
/// One frame shape bound as the graph's input, with an IO binding whose outputs are bound too.
/// On the CPU the input is an <see cref="OrtValue"/> over the frame buffer's own memory (no copy):
/// binding a name marshals it (a managed allocation), so a slot is bound once and reused for as
/// long as the same buffer comes back (the capture pool hands out a few buffers in turn). On a GPU
/// the frame has to be copied to the device before each run; <see cref="FrameTransfer"/> says how.
/// Owns its values, binding and device buffers; it does not own the frame memory or the outputs.
/// </summary>
internal sealed class InputSlot : IDisposable
{
    private readonly FrameTransfer _transfer;
    private readonly InputRebinder? _rebinder;
    private readonly OrtMemoryInfo? _deviceMemory;
    private readonly IntPtr _deviceFrames;
    private readonly IntPtr _deviceProbabilities;
    private readonly IntPtr _deviceIndices;
    private readonly OrtValue? _probabilitiesValue;
    private readonly OrtValue? _indicesValue;
    private readonly long _frameBytes;

    /// <param name="data">The host frames bound in place (CPU, DirectML); unused with <see cref="FrameTransfer.DeviceBuffers"/>.</param>
    /// <param name="rebinder">For <see cref="FrameTransfer.RebindEachRun"/>: the engine's, used before each run.</param>
    /// <param name="device">For <see cref="FrameTransfer.DeviceBuffers"/>: the CUDA device.</param>
    public InputSlot(InferenceSession session, string inputName, IntPtr data, int batch, int rows, int cols, OutputSet outputs, FrameTransfer transfer, InputRebinder? rebinder = null, int device = 0)
    {
        _transfer = transfer;
        _rebinder = rebinder;
        Batch = batch;
        Rows = rows;
        Cols = cols;
        Outputs = outputs;
        _frameBytes = (long)batch * rows * cols * 3;
        long[] shape = [batch, rows, cols, 3];
        try
        {
            if (transfer == FrameTransfer.DeviceBuffers)
            {
                _deviceMemory = new OrtMemoryInfo(OrtMemoryInfo.allocatorCUDA, OrtAllocatorType.DeviceAllocator, device, OrtMemType.Default);
                var topBytes = (long)batch * outputs.K;
                _deviceFrames = CudaRuntime.Allocate(device, _frameBytes);
                _deviceProbabilities = CudaRuntime.Allocate(device, topBytes * sizeof(float));
                _deviceIndices = CudaRuntime.Allocate(device, topBytes * sizeof(long));
                Value = OrtValue.CreateTensorValueWithData(_deviceMemory, TensorElementType.UInt8, shape, _deviceFrames, _frameBytes);
                _probabilitiesValue = OrtValue.CreateTensorValueWithData(_deviceMemory, TensorElementType.Float, [batch, outputs.K], _deviceProbabilities, topBytes * sizeof(float));
                _indicesValue = OrtValue.CreateTensorValueWithData(_deviceMemory, TensorElementType.Int64, [batch, outputs.K], _deviceIndices, topBytes * sizeof(long));
                Binding = session.CreateIoBinding();
                Binding.BindInput(inputName, Value);
                Binding.BindOutput(ModelContract.ProbsTopOutputName, _probabilitiesValue);
                Binding.BindOutput(ModelContract.IndexTopOutputName, _indicesValue);
            }
            else
            {
                Data = data;
                Value = OrtValue.CreateTensorValueWithData(OrtMemoryInfo.DefaultInstance, TensorElementType.UInt8, shape, data, _frameBytes);
                Binding = session.CreateIoBinding();
                Binding.BindInput(inputName, Value);
                outputs.BindTo(Binding);
            }
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>The host frames bound in place; zero for device buffers, which take any host frames.</summary>
    public IntPtr Data { get; }

    public int Batch { get; }

    public int Rows { get; }

    public int Cols { get; }

    public OutputSet Outputs { get; }

    public OrtValue Value { get; } = null!;

    public OrtIoBinding Binding { get; } = null!;

    public long LastUsed { get; set; }

    /// <summary>The run options of this slot's shape when it has its own CUDA graph; else null (the engine's).</summary>
    public RunOptions? RunOptions { get; init; }

    public bool Matches(IntPtr data, int batch, int rows, int cols) =>
        (_transfer == FrameTransfer.DeviceBuffers || Data == data) && Batch == batch && Rows == rows && Cols == cols;

    /// <summary>Gets the frames at <paramref name="data"/> (this slot's shape) to the device, before a run.</summary>
    public void BeforeRun(IntPtr data)
    {
        switch (_transfer)
        {
            case FrameTransfer.RebindEachRun:
                _rebinder!.Rebind(Binding, Value);
                break;
            case FrameTransfer.DeviceBuffers:
                CudaRuntime.Upload(_deviceFrames, data, _frameBytes);
                break;
        }
    }

    /// <summary>Brings the top-K back to <see cref="Outputs"/>, after a run.</summary>
    public unsafe void AfterRun()
    {
        if (_transfer != FrameTransfer.DeviceBuffers)
        {
            return;
        }

        var count = (long)Batch * Outputs.K;
        CudaRuntime.Synchronize();
        fixed (float* probabilities = Outputs.Probabilities)
        fixed (long* indices = Outputs.Indices)
        {
            CudaRuntime.Download((IntPtr)probabilities, _deviceProbabilities, count * sizeof(float));
            CudaRuntime.Download((IntPtr)indices, _deviceIndices, count * sizeof(long));
        }
    }

    public void Dispose()
    {
        Binding?.Dispose();
        Value?.Dispose();
        _probabilitiesValue?.Dispose();
        _indicesValue?.Dispose();
        _deviceMemory?.Dispose();
        CudaRuntime.Free(_deviceFrames);
        CudaRuntime.Free(_deviceProbabilities);
        CudaRuntime.Free(_deviceIndices);
    }
}
