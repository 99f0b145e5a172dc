using System.Runtime.InteropServices;
using AlexNet.Realtime.Inference.Contract;
using AlexNet.Realtime.Inference.Preprocessing;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using OpenCvSharp;

namespace AlexNet.Realtime.Inference.Engine;

/// <summary>
/// The network's input when the engine resizes and crops frames itself (CPU): one buffer of up to
/// MaxBatch crops (the model's crop_levels tensor), each frame resized straight into its place from
/// where the frame lies, and an IO binding per batch size over the buffer's first frames.
/// </summary>
/// <remarks>
/// Owns the buffer (native, 64-byte aligned), its OrtValues and bindings, and the resizers of the
/// last <see cref="ResizerCount"/> frame sizes (a new size makes one: its taps and row buffer, the
/// only allocation); it binds, but does not own, the engine's output sets. Frames of any sizes go
/// in one batch: each becomes a crop of the same size.
/// </remarks>
internal sealed unsafe class HostInput : IDisposable
{
    private const int ResizerCount = 4;

    private readonly InferenceSession _session;
    private readonly string _inputName;
    private readonly int _crop;
    private readonly int _resizeShorter;
    private readonly long _frameFloats;
    private readonly float* _levels;
    private readonly OrtValue?[] _values;
    private readonly OrtIoBinding?[] _bindings;
    private readonly ICropResizer?[] _resizers = new ICropResizer?[ResizerCount];
    private readonly bool _pilExact;
    private int _nextResizer;
    private bool _disposed;

    public HostInput(InferenceSession session, ModelContract contract, int maxBatch)
    {
        _session = session;
        _inputName = contract.CropLevels ?? throw new ArgumentException("the model names no crop_levels tensor", nameof(contract));
        _crop = contract.CropSize;
        _resizeShorter = contract.ResizeShorter;
        _pilExact = contract.CropLevelsPilExact;
        _frameFloats = 3L * _crop * _crop;
        _levels = (float*)NativeMemory.AlignedAlloc((nuint)(_frameFloats * maxBatch * sizeof(float)), 64);
        _values = new OrtValue?[maxBatch + 1];
        _bindings = new OrtIoBinding?[maxBatch + 1];
    }

    /// <summary>Resizes and crops a BGR frame (rows may be padded) into batch place <paramref name="index"/>.</summary>
    public void Resize(int index, Mat bgr)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var resizer = ResizerFor(bgr.Rows, bgr.Cols);
        resizer.Run((byte*)bgr.Data, bgr.Step(), _levels + (index * _frameFloats));
        GC.KeepAlive(bgr);
    }

    /// <summary>The binding that runs the first <paramref name="batch"/> crops into <paramref name="outputs"/> (made once per batch size).</summary>
    public OrtIoBinding Binding(int batch, OutputSet outputs)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_bindings[batch] is { } bound)
        {
            return bound;
        }

        var value = OrtValue.CreateTensorValueWithData(OrtMemoryInfo.DefaultInstance, TensorElementType.Float, [batch, 3, _crop, _crop], (IntPtr)_levels, batch * _frameFloats * sizeof(float));
        OrtIoBinding? binding = null;
        try
        {
            binding = _session.CreateIoBinding();
            binding.BindInput(_inputName, value);
            outputs.BindTo(binding);
        }
        catch
        {
            binding?.Dispose();
            value.Dispose();
            throw;
        }

        _values[batch] = value;
        return _bindings[batch] = binding;
    }

    private ICropResizer ResizerFor(int rows, int cols)
    {
        foreach (var resizer in _resizers)
        {
            if (resizer is not null && resizer.Height == rows && resizer.Width == cols)
            {
                return resizer;
            }
        }

        var made = CropGeometry.For(rows, cols, _resizeShorter, _crop, _pilExact);
        _resizers[_nextResizer] = made;
        _nextResizer = (_nextResizer + 1) % ResizerCount;
        return made;
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        foreach (var binding in _bindings)
        {
            binding?.Dispose();
        }

        foreach (var value in _values)
        {
            value?.Dispose();
        }

        NativeMemory.AlignedFree(_levels);
    }
}
