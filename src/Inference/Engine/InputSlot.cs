using Microsoft.ML.OnnxRuntime;

namespace AlexNet.Realtime.Inference.Engine;

/// <summary>
/// One frame buffer bound as the graph's input: an <see cref="OrtValue"/> over the buffer's
/// memory (no copy) and an IO binding with that input and the output buffers already bound.
/// Binding a name marshals it (a managed allocation), so a slot is bound once and reused for
/// as long as the same buffer comes back: the capture pool hands out a few buffers in turn.
/// Owns its value and binding; it does not own the frame memory.
/// </summary>
internal sealed class InputSlot : IDisposable
{
    public InputSlot(InferenceSession session, string inputName, IntPtr data, int batch, int rows, int cols, OutputSet outputs)
    {
        Data = data;
        Batch = batch;
        Rows = rows;
        Cols = cols;
        Outputs = outputs;
        var bytes = (long)batch * rows * cols * 3;
        Value = OrtValue.CreateTensorValueWithData(OrtMemoryInfo.DefaultInstance, Microsoft.ML.OnnxRuntime.Tensors.TensorElementType.UInt8, [batch, rows, cols, 3], data, bytes);
        Binding = session.CreateIoBinding();
        Binding.BindInput(inputName, Value);
        outputs.BindTo(Binding);
    }

    public IntPtr Data { get; }

    public int Batch { get; }

    public int Rows { get; }

    public int Cols { get; }

    public OutputSet Outputs { get; }

    public OrtValue Value { get; }

    public OrtIoBinding Binding { get; }

    public long LastUsed { get; set; }

    public bool Matches(IntPtr data, int batch, int rows, int cols) =>
        Data == data && Batch == batch && Rows == rows && Cols == cols;

    public void Dispose()
    {
        Binding.Dispose();
        Value.Dispose();
    }
}
