using System.Globalization;
using AlexNet.Realtime.Inference.Devices;
using Microsoft.ML.OnnxRuntime;

namespace AlexNet.Realtime.Inference.Engine;

/// <summary>
/// The bound-frames path on CUDA: each frame shape gets device buffers at fixed addresses
/// (<see cref="DeviceFramesSlot"/>), frames are uploaded from page-locked host memory
/// (<see cref="FrameMemory"/>, which the batch buffer and a capture pool allocate from), and,
/// with <see cref="EngineOptions.CudaGraph"/>, each slot replays its own CUDA graph.
/// </summary>
/// <remarks>
/// A captured graph replays the shapes and device addresses it was captured with, so each slot,
/// whose buffers are its own, gets its own graph id (ONNX Runtime's <c>gpu_graph_id</c>), and an
/// id is never given to a second slot, even after the first is evicted. Past
/// <see cref="MaxCudaGraphs"/> slots, runs go without a graph (id -1).
/// </remarks>
internal sealed class CudaFramesRunner : BoundFramesRunner
{
    private const int MaxCudaGraphs = 16;

    private readonly PinnedHostMemory _frameMemory;
    private readonly List<RunOptions> _graphs = [];

    public CudaFramesRunner(EngineSession session, RunControl control, Answers answers)
        : this(session, control, answers, new PinnedHostMemory(session.Options.Device.Index, session.Notice))
    {
    }

    private CudaFramesRunner(EngineSession session, RunControl control, Answers answers, PinnedHostMemory frameMemory)
        : base(session, control, answers, frameMemory)
    {
        _frameMemory = frameMemory;
    }

    public override PinnedHostMemory FrameMemory => _frameMemory;

    protected override InputSlot NewSlot(IntPtr data, int batch, int rows, int cols, OutputSet outputs) =>
        new DeviceFramesSlot(Session.Session, Session.Contract.InputName, Session.Options.Device.Index, batch, rows, cols, outputs)
        {
            RunOptions = Session.Options.CudaGraph ? NextGraph() : null,
        };

    /// <summary>Run options with the next graph id; past the limit, the one entry with id -1, shared by every later slot.</summary>
    private RunOptions NextGraph()
    {
        if (_graphs.Count > MaxCudaGraphs)
        {
            return _graphs[MaxCudaGraphs];
        }

        var id = _graphs.Count < MaxCudaGraphs ? _graphs.Count : -1;
        var options = new RunOptions();
        options.AddRunConfigEntry("gpu_graph_id", id.ToString(CultureInfo.InvariantCulture));
        _graphs.Add(Control.Track(options));
        return options;
    }
}
