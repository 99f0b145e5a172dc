using AlexNet.Realtime.Inference.Devices;

namespace AlexNet.Realtime.Inference.Engine;

/// <summary>How the engine runs: sealed, init-only, each value checked as it is set.</summary>
public sealed class EngineOptions
{
    private readonly int _intraOpThreads = DefaultThreads;
    private readonly int _maxBatch = 8;
    private readonly int _warmUpBatch = 1;

    /// <summary>
    /// Intra-op threads. Default: the logical core count, capped at 4. Measured only on the
    /// 2-core benchmark machine, where 2 threads beat 1 (labeling at batch 8: 99 against 66
    /// frames/s); the cap of 4 is a guess, not a measurement: beyond a few threads the fully
    /// connected layers (memory-bound at batch 1) are not expected to gain.
    /// </summary>
    public static int DefaultThreads => Math.Clamp(Environment.ProcessorCount, 1, 4);

    /// <summary>The most intra-op threads <c>--threads</c> takes.</summary>
    public const int MaxThreads = 256;

    public DeviceRequest Device { get; init; } = DeviceRequest.Auto;

    public int IntraOpThreads
    {
        get => _intraOpThreads;
        init => _intraOpThreads = value is >= 1 and <= MaxThreads ? value : throw new InferenceException($"--threads must be 1..{MaxThreads}, got {value}");
    }

    /// <summary>
    /// Whether ONNX Runtime's worker threads spin while they wait (see <see cref="ThreadSpinning"/>
    /// for what each costs). Off by default here: the capture thread decodes on the same cores, and
    /// spinning workers starve it in a tight loop (bench compare, demo clip: 86 frames/s off against
    /// 80 on); the live, profile and classify modes ask for <see cref="ThreadSpinning.WithinRun"/>.
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
        init => _maxBatch = value is >= 1 and <= 256 ? value : throw new InferenceException($"--batch must be 1..256, got {value}");
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
        init => _warmUpBatch = value is >= 1 and <= 256 ? value : throw new InferenceException($"the warm-up batch must be 1..256, got {value}");
    }

    /// <summary>Frame size used for the warm-up run.</summary>
    public (int Width, int Height) WarmUpSize { get; init; } = (640, 480);

    /// <summary>
    /// CPU only: a folder where ONNX Runtime's optimized graph of each model is kept for this
    /// machine, so that later starts skip the optimization (see <see cref="Devices.OptimizedModelCache"/>;
    /// full-size model: 2.2 instead of 6.6 s). Null (the default for library callers): optimize at
    /// every start. The app passes <see cref="Devices.OptimizedModelCache.DefaultDirectory"/>.
    /// </summary>
    public string? OptimizedModelCache { get; init; }

    /// <summary>
    /// CPU only: resize and crop frames in this process (<c>CropResizer</c>) and run the model's
    /// network alone from its crop_levels tensor, instead of the graph's own preprocessing. On by
    /// default, because it resizes only the crop's window, straight from the frame's rows, several
    /// times faster than the graph's Resize, transpose and cast (bench/README.md); a model converted
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
