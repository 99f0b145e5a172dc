using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace AlexNet.Realtime.Inference.Engine;

/// <summary>
/// Frames bound where they lie: the input is an <see cref="OrtValue"/> over the host buffer's own
/// memory (no copy), the outputs are the engine's managed arrays. Binding a name marshals it (a
/// managed allocation), so the slot is bound once and reused for as long as the same buffer comes
/// back (a capture pool hands out a few buffers in turn). The CPU runs from it as it is.
/// </summary>
internal class HostFramesSlot : InputSlot
{
    public HostFramesSlot(InferenceSession session, string inputName, IntPtr data, int batch, int rows, int cols, OutputSet outputs)
        : base(batch, rows, cols, outputs)
    {
        InputName = inputName;
        Data = data;
        try
        {
            Value = OrtValue.CreateTensorValueWithData(OrtMemoryInfo.DefaultInstance, TensorElementType.UInt8, [batch, rows, cols, 3], data, FrameBytes);
            Binding = session.CreateIoBinding();
            Binding.BindInput(inputName, Value);
            outputs.BindTo(Binding);
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public override IntPtr Data { get; }

    protected string InputName { get; }

    protected OrtValue Value { get; } = null!;

    public override bool Matches(IntPtr data, int batch, int rows, int cols) => Data == data && HasShape(batch, rows, cols);

    public override void Dispose()
    {
        Binding?.Dispose();
        Value?.Dispose();
    }
}
