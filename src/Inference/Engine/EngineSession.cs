using AlexNet.Realtime.Inference.Contract;
using AlexNet.Realtime.Inference.Devices;
using Microsoft.ML.OnnxRuntime;

namespace AlexNet.Realtime.Inference.Engine;

/// <summary>
/// What every engine over one opened model shares: the ONNX Runtime session, the model's contract,
/// the device it runs on, and the lanes open over it. A lane holds this object, never the engine
/// that opened the model.
/// </summary>
/// <remarks>
/// Owned by the engine that opened the model (<see cref="ClassifierEngine.Open"/>), which disposes
/// and cancels the lanes before it lets the session go. Each engine owns its own bindings, output
/// buffers and answers over the session. ONNX Runtime runs concurrent calls of one session side by
/// side, so lanes need no lock of their own here.
/// </remarks>
internal sealed class EngineSession : IDisposable
{
    private readonly List<ClassifierEngine> _lanes = [];

    private EngineSession(string modelPath, EngineOptions options, Action<string>? notice, OpenedSession opened, ModelContract contract, (int Batch, int Height, int Width)? staticShape)
    {
        ModelPath = modelPath;
        Options = options;
        Notice = notice;
        Session = opened.Session;
        Kind = opened.Kind;
        Device = opened.Description;
        NetworkOnly = opened.NetworkOnly;
        Contract = contract;
        StaticShape = staticShape;
    }

    public string ModelPath { get; }

    public string ModelName => Path.GetFileName(ModelPath);

    public EngineOptions Options { get; }

    /// <summary>Where the engines' notices go (a re-opened DirectML session and CUDA's frame memory speak through it).</summary>
    public Action<string>? Notice { get; }

    /// <summary>The session; replaced only by <see cref="Reopen"/> (DirectML).</summary>
    public InferenceSession Session { get; private set; }

    public DeviceKind Kind { get; }

    /// <summary>The device in words (e.g. "CPU (2 threads)", "CUDA:0").</summary>
    public string Device { get; }

    /// <summary>The session runs the model's network alone, from its crop_levels tensor: the engine resizes and crops frames itself.</summary>
    public bool NetworkOnly { get; }

    public ModelContract Contract { get; }

    /// <summary>DirectML: the batch, height and width the session's graph is fixed to; null where any shape runs.</summary>
    public (int Batch, int Height, int Width)? StaticShape { get; private set; }

    /// <summary>The lanes open over this session (tests check that disposed ones are let go).</summary>
    public int LaneCount
    {
        get
        {
            lock (_lanes)
            {
                return _lanes.Count;
            }
        }
    }

    /// <summary>Opens a model, reads and checks its contract and says what there is to say about the model (<see cref="ModelAdvisories"/>).</summary>
    public static EngineSession Open(string modelPath, EngineOptions options, Action<string>? notice)
    {
        if (!File.Exists(modelPath))
        {
            throw new InferenceException(
                $"{modelPath}: no such model; write one with 'alexnet-convert convert <weights.pth> -o {modelPath}' (or 'alexnet-convert synthetic -o {modelPath}' for a demo)");
        }

        // Read whole (hashed for the model cache, parsed by ONNX Runtime): a device would be read
        // forever, a FIFO would block the open, each deaf to Ctrl-C.
        if (InputFiles.NotARegularFile(modelPath) is { } notAFile)
        {
            throw new InferenceException($"{modelPath}: {notAFile}; --model takes an ONNX model file written by alexnet-convert");
        }

        var staticShape = (1, options.WarmUpSize.Height, options.WarmUpSize.Width);
        // What opening has to say waits for the contract: a model that is refused gets its one error line only.
        var notices = new List<string>();
        var opened = SessionFactory.Open(modelPath, options, options.Device, staticShape, notices.Add);
        ModelContract contract;
        try
        {
            contract = ContractCheck.Read(opened.Session, Path.GetFileName(modelPath), opened.NetworkOnly);
        }
        catch
        {
            opened.Session.Dispose();
            throw;
        }

        notices.AddRange(ModelAdvisories.For(modelPath, opened, contract, options));
        notices.ForEach(n => notice?.Invoke(n));
        return new EngineSession(modelPath, options, notice, opened, contract, opened.Kind == DeviceKind.DirectML ? staticShape : null);
    }

    /// <summary>
    /// DirectML compiles one static graph: a new frame shape needs a new session, fixed to it. The
    /// caller holds its run lock and has disposed every binding made on the old session.
    /// </summary>
    public void Reopen((int Batch, int Height, int Width) shape)
    {
        Session.Dispose();
        StaticShape = shape;
        Session = SessionFactory.Open(ModelPath, Options, new DeviceRequest(Kind, Options.Device.Index), shape, Notice).Session;
    }

    public void AddLane(ClassifierEngine lane)
    {
        lock (_lanes)
        {
            _lanes.Add(lane);
        }
    }

    public void RemoveLane(ClassifierEngine lane)
    {
        lock (_lanes)
        {
            _lanes.Remove(lane);
        }
    }

    public ClassifierEngine[] Lanes()
    {
        lock (_lanes)
        {
            return [.. _lanes];
        }
    }

    /// <summary>Lets the session go; the owner disposes the lanes and its own bindings first.</summary>
    public void Dispose() => Session.Dispose();
}
