using AlexNet.Realtime.Inference.Contract;
using AlexNet.Realtime.Inference.Devices;
using Microsoft.ML.OnnxRuntime;
using OpenCvSharp;

namespace AlexNet.Realtime.Inference.Engine;

/// <summary>
/// Classifies OpenCV frames with a model written by <c>alexnet-convert</c>: 8-bit frames in, the
/// model's top K classes out, in answers allocated once. In steady state a frame allocates no
/// managed memory on the CPU.
/// </summary>
/// <remarks>
/// <para>
/// A facade over one runner, picked at open for the device and the model: on the CPU, where the
/// model names its crop_levels tensor, <see cref="HostCropRunner"/> resizes and crops each frame
/// itself into the network's input (<see cref="EngineOptions.HostPreprocessing"/>); elsewhere the
/// frame is bound as the graph's input, which preprocesses: <see cref="BoundFramesRunner"/> on the
/// CPU, <see cref="CudaFramesRunner"/> on CUDA, <see cref="DirectMLFramesRunner"/> on DirectML.
/// </para>
/// <para>
/// One thread classifies at a time. <see cref="Cancel"/> and <see cref="Dispose"/> may be called
/// from any thread: both stop a run in progress (<see cref="RunOptions.Terminate"/>). The engine
/// owns its runner (bindings, output buffers, scratch memory) and, when it opened the model, the
/// <see cref="EngineSession"/>; it never owns the caller's frames, and does not keep them after a
/// call returns. A lane (<see cref="OpenLane"/>) holds the same session and owns the rest; the
/// engine that opened the model disposes and cancels its lanes with itself.
/// </para>
/// </remarks>
public sealed class ClassifierEngine : IDisposable
{
    private readonly EngineSession _session;
    private readonly bool _ownsSession;
    private readonly RunControl _control = new();
    private readonly Answers _answers;
    private readonly FrameRunner _runner;

    private ClassifierEngine(EngineSession session, bool ownsSession)
    {
        _session = session;
        _ownsSession = ownsSession;
        _answers = new Answers(session.Contract, session.Options.MaxBatch);
        _runner = RunnerFor(session, _control, _answers);
    }

    /// <summary>The model's contract: labels, K, crop, weights kind.</summary>
    public ModelContract Contract => _session.Contract;

    /// <summary>The device the session runs on, in words (e.g. "CPU (2 threads)", "CUDA:0").</summary>
    public string Device => _session.Device;

    public DeviceKind DeviceKind => _session.Kind;

    /// <summary>
    /// Host memory to keep frames in for this engine, or null where any memory is as good: on CUDA,
    /// page-locked memory, from which a frame is uploaded in one DMA (the engine's own batch buffer
    /// is in it too). A capture pool given it (<c>FrameSource</c>'s frame memory) saves the driver's
    /// staging copy on every frame. Where CUDA gives none, its blocks are ordinary memory, said once
    /// through the engine's notice. Null on the CPU, which reads frames in place, and on DirectML.
    /// </summary>
    public PinnedHostMemory? FrameMemory => _runner.FrameMemory;

    public string ModelName => _session.ModelName;

    /// <summary>
    /// Whether this engine resizes and crops frames itself and runs the model's network alone
    /// (<see cref="EngineOptions.HostPreprocessing"/>, CPU); false where the graph does it.
    /// </summary>
    public bool NetworkOnly => _session.NetworkOnly;

    /// <summary>Where frames are resized and cropped, in words, for reports.</summary>
    public string PreprocessingPlace => NetworkOnly ? "host" : "graph";

    public EngineOptions Options => _session.Options;

    /// <summary>The lanes open over this engine's session (tests check that disposed ones are let go).</summary>
    internal int OpenLanes => _session.LaneCount;

    /// <summary>Opens a model, reads and checks its contract, picks the device and warms up.</summary>
    /// <param name="notice">Told once why <c>auto</c> fell back to another device, if it did, and when the model is optimized for the cache.</param>
    public static ClassifierEngine Open(string modelPath, EngineOptions? options = null, Action<string>? notice = null)
    {
        ArgumentNullException.ThrowIfNull(modelPath);
        var session = EngineSession.Open(modelPath, options ?? new EngineOptions(), notice);
        ClassifierEngine engine;
        try
        {
            engine = new ClassifierEngine(session, ownsSession: true);
        }
        catch
        {
            session.Dispose();
            throw;
        }

        engine.WarmUp();
        return engine;
    }

    /// <summary>
    /// Another engine over this one's session, with its own bindings, output buffers and answers,
    /// so that two threads classify at once (CPU only). ONNX Runtime runs concurrent calls of one
    /// session side by side; with one intra-op thread each call runs on its caller's thread.
    /// </summary>
    /// <remarks>
    /// Why: in a labeling loop the decoder's thread shares the cores, and stalls every parallel op
    /// of a session that runs on all of them; two single-threaded calls of one session at once were
    /// faster on the project's 2-core machine (bench/README.md). The lane shares the weights (no
    /// second copy, no second load) and is disposed and cancelled with the engine that opened the model.
    /// </remarks>
    /// <exception cref="InferenceException">The engine does not run on the CPU.</exception>
    public ClassifierEngine OpenLane()
    {
        _control.ThrowIfUnusable();
        if (DeviceKind != DeviceKind.Cpu)
        {
            throw new InferenceException($"lanes share a CPU session; this engine runs on {Device}");
        }

        var lane = new ClassifierEngine(_session, ownsSession: false);
        _session.AddLane(lane);
        lane.WarmUp();
        return lane;
    }

    /// <summary>
    /// Classifies one frame (8-bit BGR of any size; grey and BGRA are converted). The returned
    /// answer is owned by the engine and overwritten by the next call.
    /// </summary>
    public Prediction Classify(Mat frame)
    {
        _control.ThrowIfUnusable();
        _runner.Classify(frame);
        return _answers.Single;
    }

    /// <summary>
    /// Classifies up to <see cref="EngineOptions.MaxBatch"/> frames. When the engine resizes frames
    /// itself (<see cref="NetworkOnly"/>) all go in one run, whatever their sizes, each resized
    /// straight into its place in the network's input; otherwise in as few runs as their sizes
    /// allow (frames of one size go in one batch), copied into one batch buffer, the one copy a
    /// batch needs. The list and its answers are reused by the next call.
    /// </summary>
    public IReadOnlyList<Prediction> ClassifyBatch(IReadOnlyList<Mat> frames)
    {
        ArgumentNullException.ThrowIfNull(frames);
        _control.ThrowIfUnusable();
        if (frames.Count > Options.MaxBatch)
        {
            throw new ArgumentException($"{frames.Count} frames is more than the engine's batch of {Options.MaxBatch}", nameof(frames));
        }

        _runner.ClassifyBatch(frames);
        return _answers.First(frames.Count);
    }

    /// <summary>Stops a run in progress; later calls throw <see cref="OperationCanceledException"/>.</summary>
    public void Cancel()
    {
        _control.Cancel();
        if (_ownsSession)
        {
            foreach (var lane in _session.Lanes())
            {
                lane.Cancel();
            }
        }
    }

    public void Dispose()
    {
        // The lanes run on this session: they go first.
        if (_ownsSession)
        {
            foreach (var lane in _session.Lanes())
            {
                lane.Dispose();
            }
        }
        else
        {
            _session.RemoveLane(this);
        }

        _control.Stop();
        lock (_control.Lock)
        {
            if (!_control.Retire())
            {
                return;
            }

            // Bindings go before the session they were made on.
            _runner.Dispose();
            if (_ownsSession)
            {
                _session.Dispose();
            }

            _control.Dispose();
        }
    }

    /// <summary>The runner for the session's device and model (see the remarks on the class).</summary>
    private static FrameRunner RunnerFor(EngineSession session, RunControl control, Answers answers)
    {
        if (session.NetworkOnly)
        {
            return new HostCropRunner(session, control, answers);
        }

        var transfer = session.Options.Transfer ?? session.Kind switch
        {
            DeviceKind.Cuda => FrameTransfer.DeviceBuffers,
            DeviceKind.DirectML => FrameTransfer.RebindEachRun,
            _ => FrameTransfer.InPlace,
        };
        return transfer switch
        {
            FrameTransfer.DeviceBuffers => new CudaFramesRunner(session, control, answers),
            FrameTransfer.RebindEachRun => new DirectMLFramesRunner(session, control, answers),
            _ => new BoundFramesRunner(session, control, answers),
        };
    }

    private void WarmUp()
    {
        if (!Options.WarmUp)
        {
            return;
        }

        try
        {
            using var frame = new Mat(Options.WarmUpSize.Height, Options.WarmUpSize.Width, MatType.CV_8UC3, Scalar.All(0));
            Classify(frame);
            var batch = Math.Min(Options.WarmUpBatch, Options.MaxBatch);
            if (batch > 1)
            {
                ClassifyBatch(Enumerable.Repeat(frame, batch).ToArray());
            }
        }
        catch
        {
            Dispose();
            throw;
        }
    }
}
