using Microsoft.ML.OnnxRuntime;

namespace AlexNet.Realtime.Inference.Engine;

/// <summary>
/// One frame shape bound as the graph's uint8 input, with an IO binding whose outputs are bound
/// too; kept by <see cref="InputSlotCache"/> and reused for as long as the same frames come back.
/// How a frame reaches the device is the subclass's: <see cref="HostFramesSlot"/> (CPU, in place),
/// <see cref="RebindingSlot"/> (DirectML, bound again each run), <see cref="DeviceFramesSlot"/>
/// (CUDA, device buffers).
/// </summary>
/// <remarks>A slot owns its values, binding and device buffers; it does not own the frame memory or the outputs.</remarks>
internal abstract class InputSlot : IDisposable
{
    protected InputSlot(int batch, int rows, int cols, OutputSet outputs)
    {
        Batch = batch;
        Rows = rows;
        Cols = cols;
        Outputs = outputs;
    }

    public int Batch { get; }

    public int Rows { get; }

    public int Cols { get; }

    /// <summary>The frames' bytes: batch x rows x cols x 3.</summary>
    public long FrameBytes => (long)Batch * Rows * Cols * 3;

    /// <summary>Where the answers land once <see cref="AfterRun"/> returns.</summary>
    public OutputSet Outputs { get; }

    public OrtIoBinding Binding { get; protected set; } = null!;

    /// <summary>The run options of this slot's own CUDA graph; null: the engine's default ones.</summary>
    public RunOptions? RunOptions { get; init; }

    /// <summary>The host frames the input is bound over; zero where the slot takes any host frames (device buffers).</summary>
    public virtual IntPtr Data => IntPtr.Zero;

    /// <summary>Whether frames at <paramref name="data"/> of this shape run through this slot.</summary>
    public abstract bool Matches(IntPtr data, int batch, int rows, int cols);

    /// <summary>Gets the frames at <paramref name="data"/> (this slot's shape) where the session reads them, before a run.</summary>
    public virtual void BeforeRun(IntPtr data)
    {
    }

    /// <summary>Brings the top-K to <see cref="Outputs"/>, after a run, where the session did not write them there.</summary>
    public virtual void AfterRun()
    {
    }

    public abstract void Dispose();

    protected bool HasShape(int batch, int rows, int cols) => Batch == batch && Rows == rows && Cols == cols;
}
