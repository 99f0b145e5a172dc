using OpenCvSharp;

namespace AlexNet.Realtime.Inference.Engine;

/// <summary>
/// One way frames become answers on a session: <see cref="HostCropRunner"/> (the CPU resizes and
/// crops, the session runs the network alone) or <see cref="BoundFramesRunner"/> and its device
/// variants (frames bound as the graph's input, the graph preprocesses). The engine picks one at
/// open and classifies through it alone.
/// </summary>
/// <remarks>
/// A runner owns what it makes over the session (bindings, output buffers, scratch memory), never
/// the session or the caller's frames. One thread classifies at a time; runs take the engine's
/// <see cref="RunControl.Lock"/>, so that disposing and cancelling never meet a run half made.
/// </remarks>
internal abstract class FrameRunner : IDisposable
{
    private readonly Dictionary<int, OutputSet> _outputs = [];
    private readonly Mat[] _batchScratch;

    protected FrameRunner(EngineSession session, RunControl control, Answers answers)
    {
        Session = session;
        Control = control;
        Answers = answers;
        _batchScratch = new Mat[session.Options.MaxBatch];
        for (var i = 0; i < _batchScratch.Length; i++)
        {
            _batchScratch[i] = new Mat();
        }
    }

    /// <summary>
    /// Host memory the engine offers for frames (see <see cref="ClassifierEngine.FrameMemory"/>);
    /// null where any memory is as good.
    /// </summary>
    public virtual Devices.PinnedHostMemory? FrameMemory => null;

    protected EngineSession Session { get; }

    protected RunControl Control { get; }

    protected Answers Answers { get; }

    /// <summary>Where a single frame is converted when it is not BGR as the path takes it.</summary>
    protected Mat Scratch { get; } = new();

    /// <summary>Classifies one frame into answer place 0.</summary>
    public abstract void Classify(Mat frame);

    /// <summary>Classifies up to MaxBatch frames into answer places 0 on.</summary>
    public abstract void ClassifyBatch(IReadOnlyList<Mat> frames);

    /// <summary>Disposes what the runner made; the caller holds the run lock, and the session is still open.</summary>
    public virtual void Dispose()
    {
        foreach (var set in _outputs.Values)
        {
            set.Dispose();
        }

        _outputs.Clear();
        Scratch.Dispose();
        foreach (var mat in _batchScratch)
        {
            mat.Dispose();
        }
    }

    /// <summary>Where frame <paramref name="place"/> of a batch is converted when it has to be.</summary>
    protected Mat BatchScratch(int place) => _batchScratch[place];

    /// <summary>The top-K buffers of a batch size, made on its first run and kept.</summary>
    protected OutputSet Outputs(int batch)
    {
        if (!_outputs.TryGetValue(batch, out var set))
        {
            _outputs[batch] = set = new OutputSet(batch, Session.Contract.TopK);
        }

        return set;
    }
}
