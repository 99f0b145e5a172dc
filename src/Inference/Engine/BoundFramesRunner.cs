using AlexNet.Realtime.Inference.Devices;
using OpenCvSharp;

namespace AlexNet.Realtime.Inference.Engine;

/// <summary>
/// The path where the graph preprocesses: a continuous 8-bit BGR frame is bound as the graph's
/// uint8 input, which resizes, crops, normalizes, runs AlexNet, Softmax and TopK. Each frame buffer
/// and shape gets an <see cref="InputSlot"/> (kept in an <see cref="InputSlotCache"/>); a batch is
/// grouped by frame size and each group copied into the <see cref="BatchBuffer"/>, one run a group.
/// </summary>
/// <remarks>
/// As it is, this is the CPU's path for models without a crop_levels tensor (frames bound in place,
/// no copy, no allocation in steady state). The GPU providers differ in how a frame reaches the
/// device and what a new shape costs: <see cref="CudaFramesRunner"/> (device buffers and CUDA
/// graphs) and <see cref="DirectMLFramesRunner"/> (frames bound again each run, a static graph
/// re-opened on a new shape) override <see cref="NewSlot"/> and <see cref="BeforeSlot"/>.
/// </remarks>
internal class BoundFramesRunner : FrameRunner
{
    private readonly InputSlotCache _slots = new();
    private readonly BatchBuffer _batch;

    public BoundFramesRunner(EngineSession session, RunControl control, Answers answers)
        : this(session, control, answers, frameMemory: null)
    {
    }

    /// <param name="frameMemory">Where the batch buffer is allocated; null: ordinary native memory.</param>
    protected BoundFramesRunner(EngineSession session, RunControl control, Answers answers, PinnedHostMemory? frameMemory)
        : base(session, control, answers)
    {
        _batch = new BatchBuffer(frameMemory);
    }

    public override void Classify(Mat frame)
    {
        var bgr = FrameFormat.ToContinuousBgr(frame, Scratch);
        Run(bgr.Data, 1, bgr.Rows, bgr.Cols, 0);
    }

    /// <summary>Frames in as few runs as their sizes allow: frames of one size go in one batch.</summary>
    public override void ClassifyBatch(IReadOnlyList<Mat> frames)
    {
        var start = 0;
        while (start < frames.Count)
        {
            // Conversion keeps a frame's size, so the group is told by the frames as given;
            // RunGroup converts each one once.
            var first = frames[start] ?? throw new ArgumentException($"frame {start} of the batch is null", nameof(frames));
            var (rows, cols) = (first.Rows, first.Cols);
            var end = start + 1;
            while (end < frames.Count && HasSize(frames[end], rows, cols))
            {
                end++;
            }

            RunGroup(frames, start, end, rows, cols);
            start = end;
        }
    }

    public override void Dispose()
    {
        // Bindings go before the output sets and the memory they bind.
        _slots.Dispose();
        base.Dispose();
        _batch.Dispose();
    }

    /// <summary>A new slot for frames at <paramref name="data"/> of this shape, bound on the session as it is now.</summary>
    protected virtual InputSlot NewSlot(IntPtr data, int batch, int rows, int cols, OutputSet outputs) =>
        new HostFramesSlot(Session.Session, Session.Contract.InputName, data, batch, rows, cols, outputs);

    /// <summary>Called before a slot is looked up for a shape: where the session must change for it (DirectML).</summary>
    protected virtual void BeforeSlot(int batch, int rows, int cols)
    {
    }

    /// <summary>Disposes every slot: the session they were bound on is being replaced.</summary>
    protected void DropSlots() => _slots.Clear();

    private static bool HasSize(Mat? frame, int rows, int cols) => frame is not null && frame.Rows == rows && frame.Cols == cols;

    /// <summary>Frames <paramref name="start"/> to <paramref name="end"/> (one size) copied into the batch buffer, and one run.</summary>
    private unsafe void RunGroup(IReadOnlyList<Mat> frames, int start, int end, int rows, int cols)
    {
        var n = end - start;
        var frameBytes = (long)rows * cols * 3;
        var bytes = frameBytes * Session.Options.MaxBatch;
        if (!_batch.Fits(bytes))
        {
            // The slots bound to the old buffer would point at freed memory.
            _slots.DropBoundTo(_batch.Data);
            _batch.Grow(bytes);
        }

        var buffer = (byte*)_batch.Data;
        for (var i = 0; i < n; i++)
        {
            var bgr = FrameFormat.ToContinuousBgr(frames[start + i], BatchScratch(start + i));
            Buffer.MemoryCopy((void*)bgr.Data, buffer + (i * frameBytes), frameBytes, frameBytes);
        }

        Run(_batch.Data, n, rows, cols, start);
    }

    private void Run(IntPtr data, int batch, int rows, int cols, int answerStart)
    {
        var slot = SlotFor(data, batch, rows, cols);
        lock (Control.Lock)
        {
            Control.ThrowIfUnusable();
            slot.BeforeRun(data);
            Control.Run(Session, slot.Binding, slot.RunOptions);
            slot.AfterRun();
        }

        Answers.Fill(slot.Outputs, answerStart, batch);
    }

    private InputSlot SlotFor(IntPtr data, int batch, int rows, int cols)
    {
        BeforeSlot(batch, rows, cols);
        if (_slots.TryFind(data, batch, rows, cols, out var slot))
        {
            return slot;
        }

        var place = _slots.Evict();
        return _slots.Put(place, NewSlot(data, batch, rows, cols, Outputs(batch)));
    }
}
