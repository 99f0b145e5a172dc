using AlexNet.Realtime.Inference.Devices;

namespace AlexNet.Realtime.Inference.Engine;

/// <summary>
/// How the engine runs: sealed, init-only, each value checked as it is set
/// (<see cref="ArgumentOutOfRangeException"/> naming the property; a command line names its flag).
/// </summary>
public sealed class EngineOptions
{
    private readonly int _intraOpThreads = DefaultThreads;
    private readonly int _maxBatch = 8;
    private readonly int _warmUpBatch = 1;

    /// <summary>
    /// Intra-op threads. Default: the logical core count, capped at 4. One thread a core keeps the
    /// convolutions busy on every core (the measurements: bench/README.md); the
    /// cap is a judgement, not a measurement: the fully connected layers, bound by the memory's
    /// bandwidth at batch 1, are not expected to gain from more threads than a few.
    /// </summary>
    public static int DefaultThreads => Math.Clamp(Environment.ProcessorCount, 1, 4);

    /// <summary>The most intra-op threads <c>--threads</c> takes.</summary>
    public const int MaxThreads = 256;

    public DeviceRequest Device { get; init; } = DeviceRequest.Auto;

    public int IntraOpThreads
    {
        get => _intraOpThreads;
        init => _intraOpThreads = value is >= 1 and <= MaxThreads ? value : throw new ArgumentOutOfRangeException(nameof(IntraOpThreads), value, $"intra-op threads must be 1..{MaxThreads}");
    }

    /// <summary>
    /// Whether ONNX Runtime's worker threads spin while they wait (see <see cref="ThreadSpinning"/>
    /// for what each costs). Off by default here: the capture thread decodes on the same cores, and
    /// spinning workers take the cores it needs in a tight loop; the live, profile and classify
    /// modes ask for <see cref="ThreadSpinning.WithinRun"/>.
    /// </summary>
    public ThreadSpinning Spinning { get; init; } = ThreadSpinning.Off;

    /// <summary>
    /// Let ONNX Runtime prepack constant weights at load (its own default,
    /// <c>session.disable_prepacking</c> = 0). Off, one-frame runs were faster; on, batches were
    /// (models whose fully connected layers are <c>Gemm</c>; the figures: bench/README.md, "Figures
    /// behind design choices"). Off by default; labeling turns it on for batches. In the converter's
    /// default models (1x1 convolutions, see the converter's <c>DenseOps</c>) the CPU optimizer
    /// reorders every weight into its blocked layout itself.
    /// </summary>
    public bool PrepackWeights { get; init; }

    /// <summary>The most frames one batch call takes (larger lists are split).</summary>
    public int MaxBatch
    {
        get => _maxBatch;
        init => _maxBatch = value is >= 1 and <= 256 ? value : throw new ArgumentOutOfRangeException(nameof(MaxBatch), value, "a batch must hold 1..256 frames");
    }

    /// <summary>Run one frame at open, so the first real frame is not the slow one.</summary>
    public bool WarmUp { get; init; } = true;

    /// <summary>
    /// Frames in one warm-up batch, after the single frame (at most <see cref="MaxBatch"/>). The
    /// first run of a new batch size grows ONNX Runtime's memory arena and binds new buffers; a
    /// mode that runs full batches (labeling) warms them up here rather than in its first batch.
    /// </summary>
    public int WarmUpBatch
    {
        get => _warmUpBatch;
        init => _warmUpBatch = value is >= 1 and <= 256 ? value : throw new ArgumentOutOfRangeException(nameof(WarmUpBatch), value, "the warm-up batch must hold 1..256 frames");
    }

    /// <summary>Frame size used for the warm-up run.</summary>
    public (int Width, int Height) WarmUpSize { get; init; } = (640, 480);

    /// <summary>
    /// CPU only: a folder where ONNX Runtime's optimized graph of each model is kept for this
    /// machine, so that later starts skip the optimization, most of a start's time on the CPU (see
    /// <see cref="Devices.OptimizedModelCache"/>). Null (the default for library callers): optimize at
    /// every start. The app passes <see cref="Devices.OptimizedModelCache.DefaultDirectory"/>.
    /// </summary>
    public string? OptimizedModelCache { get; init; }

    /// <summary>
    /// CPU only: resize and crop frames in this process (<c>CropResizer</c>) and run the model's
    /// network alone from its crop_levels tensor, instead of the graph's own preprocessing. On by
    /// default, because it resizes only the crop's window, straight from the frame's rows, where the
    /// graph resizes the whole frame and then transposes and casts it; a model converted
    /// with <c>--exact-resize</c> gets Pillow's integer resize, bit-exact. Where
    /// the model names no crop_levels tensor (written before 0.3.0; 0.3.1 for --exact-resize), and on
    /// CPUs without 256-bit vectors in hardware (ARM64; see <c>CropGeometry.Fast</c>), the graph does it.
    /// </summary>
    public bool HostPreprocessing { get; init; } = true;

    /// <summary>CUDA only: ask ONNX Runtime to capture a CUDA graph (it refuses graphs with CPU-side shape ops).</summary>
    public bool CudaGraph { get; init; }

    /// <summary>
    /// CUDA only: let cuDNN and cuBLAS use TF32 tensor-core math for float32 convolutions and matrix
    /// products (10-bit mantissas inside the products). Off by default, so a GPU gives the float32
    /// results the contract's weights promise; ONNX Runtime's own default is on.
    /// </summary>
    public bool CudaTf32 { get; init; }

    /// <summary>Tests only: how frames reach the session, in place of the device's way (see <see cref="FrameTransfer"/>).</summary>
    internal FrameTransfer? Transfer { get; init; }
}
