using System.Runtime.InteropServices;
using AlexNet.Realtime.Inference.Contract;
using AlexNet.Realtime.Inference.Devices;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using OpenCvSharp;

namespace AlexNet.Realtime.Inference.Engine;

/// <summary>
/// Classifies OpenCV frames with a model written by <c>alexnet-convert</c>. A continuous 8-bit
/// BGR frame is bound as the graph's input where it lies (no copy on the CPU); the graph
/// resizes, crops, normalizes, runs AlexNet, Softmax and TopK; the K answers land in buffers
/// allocated once. On the CPU, where the model names its crop_levels tensor, the engine resizes
/// and crops the frame itself, reading it where it lies, into the input of the model's network
/// alone (<see cref="EngineOptions.HostPreprocessing"/>, faster there). In steady state a frame
/// allocates no managed memory.
/// </summary>
/// <remarks>
/// One thread classifies at a time. <see cref="Cancel"/> and <see cref="Dispose"/> may be called
/// from any thread: both stop a run in progress (<see cref="RunOptions.Terminate"/>).
/// The engine owns its session, bindings, output buffers and scratch memory; it never owns the
/// caller's frames, and it does not keep them after a call returns. A lane
/// (<see cref="OpenLane"/>) shares its opener's session and owns the rest; the opener disposes
/// and cancels its lanes with itself.
/// </remarks>
public sealed class ClassifierEngine : IDisposable
{
    private const int SlotCount = 8;
    private const int MaxCudaGraphs = 16;

    private readonly string _modelPath;
    private readonly EngineOptions _options;
    private readonly Action<string>? _notice;
    private readonly RunOptions _runOptions = new();
    private readonly Lock _runLock = new();
    private readonly InputSlot?[] _slots = new InputSlot?[SlotCount];
    private readonly Dictionary<int, OutputSet> _outputs = [];
    private readonly Mat _scratch = new();
    private readonly Mat[] _batchScratch;
    private readonly Prediction[] _predictions;
    private readonly PredictionList _predictionList;
    private readonly string _inputName;
    private readonly ClassifierEngine? _sessionOwner;
    private readonly List<ClassifierEngine> _lanes = [];
    private readonly FrameTransfer _transfer;
    private readonly InputRebinder? _rebinder;
    private readonly HostInput? _host;
    private readonly List<RunOptions> _graphRunOptions = [];

    private InferenceSession _session;
    private (int Batch, int Height, int Width)? _staticShape;
    private unsafe byte* _batchBuffer;
    private long _batchBufferBytes;
    private long _clock;
    private volatile bool _cancelled;
    private volatile bool _stopping;
    private bool _disposed;

    private ClassifierEngine(string modelPath, EngineOptions options, Action<string>? notice, OpenedSession opened, ModelContract contract, ClassifierEngine? sessionOwner = null)
    {
        _sessionOwner = sessionOwner;
        _modelPath = modelPath;
        _options = options;
        _notice = notice;
        _session = opened.Session;
        DeviceKind = opened.Kind;
        Device = opened.Description;
        Contract = contract;
        _inputName = contract.InputName;
        _predictions = Enumerable.Range(0, options.MaxBatch).Select(_ => new Prediction(contract.TopK)).ToArray();
        _predictionList = new PredictionList(_predictions);
        _batchScratch = Enumerable.Range(0, options.MaxBatch).Select(_ => new Mat()).ToArray();
        _transfer = options.Transfer ?? opened.Kind switch
        {
            DeviceKind.Cuda => FrameTransfer.DeviceBuffers,
            DeviceKind.DirectML => FrameTransfer.RebindEachRun,
            _ => FrameTransfer.InPlace,
        };
        _rebinder = _transfer == FrameTransfer.RebindEachRun ? new InputRebinder(_inputName) : null;
        FrameMemory = _transfer == FrameTransfer.DeviceBuffers ? new PinnedHostMemory(options.Device.Index, notice) : null;
        _host = opened.NetworkOnly ? new HostInput(_session, contract, options.MaxBatch) : null;
    }

    /// <summary>The model's contract: labels, K, crop, weights kind.</summary>
    public ModelContract Contract { get; }

    /// <summary>The device the session runs on, in words (e.g. "CPU (2 threads)", "CUDA:0").</summary>
    public string Device { get; }

    public DeviceKind DeviceKind { get; }

    /// <summary>
    /// Host memory to keep frames in for this engine, or null where any memory is as good: on CUDA,
    /// page-locked memory, from which a frame is uploaded in one DMA (the engine's own batch buffer
    /// is in it too). A capture pool given it (<c>FrameSource</c>'s frame memory) saves the driver's
    /// staging copy on every frame. Where CUDA gives none, its blocks are ordinary memory, said once
    /// through the engine's notice. Null on the CPU, which reads frames in place, and on DirectML.
    /// </summary>
    public PinnedHostMemory? FrameMemory { get; }

    public string ModelName => Path.GetFileName(_modelPath);

    /// <summary>
    /// Whether this engine resizes and crops frames itself and runs the model's network alone
    /// (<see cref="EngineOptions.HostPreprocessing"/>, CPU); false where the graph does it.
    /// </summary>
    public bool NetworkOnly => _host is not null;

    /// <summary>Where frames are resized and cropped, in words, for reports.</summary>
    public string PreprocessingPlace => NetworkOnly ? "host" : "graph";

    public EngineOptions Options => _options;

    /// <summary>Opens a model, reads and checks its contract, picks the device and warms up.</summary>
    /// <param name="notice">Told once why <c>auto</c> fell back to another device, if it did, and when the model is optimized for the cache.</param>
    public static ClassifierEngine Open(string modelPath, EngineOptions? options = null, Action<string>? notice = null)
    {
        ArgumentNullException.ThrowIfNull(modelPath);
        options ??= new EngineOptions();
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
            contract = ReadContract(opened.Session, modelPath, opened.NetworkOnly);
        }
        catch
        {
            opened.Session.Dispose();
            throw;
        }

        if (opened.Kind == DeviceKind.Cpu && WrittenBeforeConvolutionDenseLayers(contract.ConverterVersion))
        {
            notices.Add($"{Path.GetFileName(modelPath)} was written by alexnet-convert {contract.ConverterVersion}, whose fully connected layers are Gemm; converting it again with 0.2.0 or later (1x1 convolutions) makes it faster on the CPU (4 to 19% a frame in the project's paired benchmark runs)");
        }

        if (opened.Kind == DeviceKind.Cpu && options.HostPreprocessing && Preprocessing.CropGeometry.Fast && !opened.NetworkOnly && contract.CropLevels is null)
        {
            notices.Add($"{Path.GetFileName(modelPath)} was written by alexnet-convert {contract.ConverterVersion} and names no crop_levels tensor, so its graph resizes the frames; converting it again with 0.3.1 or later lets the engine do it on the CPU (0.2 against 1.0 ms a 640x480 frame on 2 cores)");
        }

        if (DenseLayersNotice(Path.GetFileName(modelPath), new FileInfo(modelPath).Length, opened.Kind, contract, options) is { } dense)
        {
            notices.Add(dense);
        }

        notices.ForEach(n => notice?.Invoke(n));

        var engine = new ClassifierEngine(modelPath, options, notice, opened, contract);
        if (opened.Kind == DeviceKind.DirectML)
        {
            engine._staticShape = staticShape;
        }

        engine.WarmUp();
        return engine;
    }

    /// <summary>
    /// What to say when a model's fully connected layers are in the slower form for the device:
    /// 1x1 convolutions (the converter's default, the CPU's fastest) on CUDA in float32 ran 1.6
    /// times slower than Gemm on an H200; with TF32 the two forms ran alike. Null: nothing to say.
    /// That was the full-size model (244 MB of fully connected weights); a model under
    /// <see cref="DenseNoticeMinBytes"/> (tv_mini, 90 KB) is not said to be slow on a figure that is not its own.
    /// </summary>
    internal const long DenseNoticeMinBytes = 64L * 1024 * 1024;

    internal static string? DenseLayersNotice(string modelName, long modelBytes, DeviceKind device, ModelContract contract, EngineOptions options) =>
        device == DeviceKind.Cuda && contract.DenseOps == "conv" && !options.CudaTf32 && modelBytes >= DenseNoticeMinBytes
            ? $"{modelName}'s fully connected layers are 1x1 convolutions, the CPU's fastest form; on CUDA in float32 they ran 1.6 times slower than Gemm (an H200: 1.48 against 0.91 ms a frame): 'alexnet-convert --fc-ops gemm' writes them as Gemm, and --tf32 runs both about as fast"
            : null;

    /// <summary>
    /// Another engine over this one's session, with its own bindings, output buffers and answers,
    /// so that two threads classify at once (CPU only). ONNX Runtime runs concurrent calls of one
    /// session side by side; with one intra-op thread each call runs on its caller's thread.
    /// </summary>
    /// <remarks>
    /// Why: a bare labeling loop on a 2-core machine, OpenCV's decoder on a third thread, ran 137-146
    /// frames/s as one session on 2 threads and 156-159 as two single-threaded calls of one session
    /// at once (batch 8, runs in turn): the decoder no longer stalls both threads of every parallel op.
    /// The lane shares the weights (no second copy, no second load) and is disposed and cancelled
    /// with this engine.
    /// </remarks>
    /// <exception cref="InferenceException">The engine does not run on the CPU.</exception>
    public ClassifierEngine OpenLane()
    {
        ThrowIfUnusable();
        if (DeviceKind != DeviceKind.Cpu)
        {
            throw new InferenceException($"lanes share a CPU session; this engine runs on {Device}");
        }

        if (_sessionOwner is not null)
        {
            return _sessionOwner.OpenLane();
        }

        var lane = new ClassifierEngine(_modelPath, _options, _notice, new OpenedSession(_session, DeviceKind, Device, NetworkOnly), Contract, sessionOwner: this);
        lock (_lanes)
        {
            _lanes.Add(lane);
        }

        lane.WarmUp();
        return lane;
    }

    private void WarmUp()
    {
        if (!_options.WarmUp)
        {
            return;
        }

        try
        {
            using var frame = new Mat(_options.WarmUpSize.Height, _options.WarmUpSize.Width, MatType.CV_8UC3, Scalar.All(0));
            Classify(frame);
            var batch = Math.Min(_options.WarmUpBatch, _options.MaxBatch);
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

    /// <summary>
    /// Classifies one frame (8-bit BGR of any size; grey and BGRA are converted). The returned
    /// answer is owned by the engine and overwritten by the next call.
    /// </summary>
    public Prediction Classify(Mat frame)
    {
        ThrowIfUnusable();
        if (_host is { } host)
        {
            var frameBgr = FrameFormat.ToBgr(frame, _scratch, continuous: false);
            var outputs = Outputs(1);
            lock (_runLock)
            {
                ThrowIfUnusable();
                host.Resize(0, frameBgr);
                RunLocked(host.Binding(1, outputs), _runOptions);
            }

            Answer(outputs, 0, 1);
            return _predictions[0];
        }

        var bgr = FrameFormat.ToContinuousBgr(frame, _scratch);
        var slot = Slot(bgr.Data, 1, bgr.Rows, bgr.Cols);
        Run(slot, bgr.Data);
        Answer(slot.Outputs, 0, 1);
        return _predictions[0];
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
        ThrowIfUnusable();
        if (frames.Count > _options.MaxBatch)
        {
            throw new ArgumentException($"{frames.Count} frames is more than the engine's batch of {_options.MaxBatch}", nameof(frames));
        }

        if (_host is not null)
        {
            RunHostBatch(frames);
            _predictionList.Count = frames.Count;
            return _predictionList;
        }

        var start = 0;
        while (start < frames.Count)
        {
            // Conversion keeps a frame's size, so the group is told by the frames as given;
            // RunBatch converts each one once.
            var first = frames[start] ?? throw new ArgumentException($"frame {start} of the batch is null", nameof(frames));
            var (rows, cols) = (first.Rows, first.Cols);
            var end = start + 1;
            while (end < frames.Count && HasSize(frames[end], rows, cols))
            {
                end++;
            }

            RunBatch(frames, start, end, rows, cols);
            start = end;
        }

        _predictionList.Count = frames.Count;
        return _predictionList;
    }

    private static bool HasSize(Mat? frame, int rows, int cols) => frame is not null && frame.Rows == rows && frame.Cols == cols;

    /// <summary>Stops a run in progress; later calls throw <see cref="OperationCanceledException"/>.</summary>
    public void Cancel()
    {
        _cancelled = true;
        _stopping = true;
        _runOptions.Terminate = true;
        foreach (var options in AllGraphRunOptions())
        {
            options.Terminate = true;
        }

        foreach (var lane in Lanes())
        {
            lane.Cancel();
        }
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        // The lanes run on this session: they go first.
        foreach (var lane in Lanes())
        {
            lane.Dispose();
        }

        if (_sessionOwner is not null)
        {
            lock (_sessionOwner._lanes)
            {
                _sessionOwner._lanes.Remove(this);
            }
        }

        _stopping = true;
        _runOptions.Terminate = true;
        foreach (var options in AllGraphRunOptions())
        {
            options.Terminate = true;
        }

        lock (_runLock)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            DropSlots();

            // Bindings go before the session they were made on.
            _host?.Dispose();
            foreach (var set in _outputs.Values)
            {
                set.Dispose();
            }

            _outputs.Clear();
            if (_sessionOwner is null)
            {
                _session.Dispose();
            }

            _runOptions.Dispose();
            foreach (var options in AllGraphRunOptions())
            {
                options.Dispose();
            }

            _scratch.Dispose();
            foreach (var mat in _batchScratch)
            {
                mat.Dispose();
            }

            FreeBatchBuffer();
        }
    }

    /// <summary>Converter versions before 0.2.0 wrote the fully connected layers as Gemm (see the converter's DenseOps).</summary>
    internal static bool WrittenBeforeConvolutionDenseLayers(string converterVersion) =>
        Version.TryParse(converterVersion.Split('-', '+')[0], out var version) && version < new Version(0, 2, 0);

    private static ModelContract ReadContract(InferenceSession session, string modelPath, bool networkOnly)
    {
        ModelContract contract;
        try
        {
            contract = ModelContract.FromMetadata(session.ModelMetadata.CustomMetadataMap);
        }
        catch (ModelContractException e)
        {
            throw new ModelContractException($"{Path.GetFileName(modelPath)}: {e.Message}", e);
        }

        if (contract.InputLayout != InputLayout.Frames)
        {
            throw new ModelContractException(
                $"{Path.GetFileName(modelPath)}: the model takes normalized nchw tensors, but the engine feeds camera frames; convert it again with '--input frames' (the default)");
        }

        if (networkOnly)
        {
            if (contract.CropLevels is not { } levels || !session.InputMetadata.TryGetValue(levels, out var network) || network.ElementDataType != TensorElementType.Float)
            {
                throw new ModelContractException($"{Path.GetFileName(modelPath)}: the network graph has no float input named for the contract's crop_levels tensor");
            }
        }
        else if (!session.InputMetadata.TryGetValue(ModelContract.FramesInputName, out var input) || input.ElementDataType != TensorElementType.UInt8)
        {
            throw new ModelContractException($"{Path.GetFileName(modelPath)}: the contract says frames, but the graph has no uint8 input named '{ModelContract.FramesInputName}'");
        }

        foreach (var name in new[] { ModelContract.ProbsTopOutputName, ModelContract.IndexTopOutputName })
        {
            if (!session.OutputMetadata.ContainsKey(name))
            {
                throw new ModelContractException($"{Path.GetFileName(modelPath)}: the graph has no output named '{name}'");
            }
        }

        return contract;
    }

    private unsafe void RunBatch(IReadOnlyList<Mat> frames, int start, int end, int rows, int cols)
    {
        var n = end - start;
        var frameBytes = (long)rows * cols * 3;
        EnsureBatchBuffer(frameBytes * _options.MaxBatch);
        for (var i = 0; i < n; i++)
        {
            var bgr = FrameFormat.ToContinuousBgr(frames[start + i], _batchScratch[start + i]);
            Buffer.MemoryCopy((void*)bgr.Data, _batchBuffer + (i * frameBytes), frameBytes, frameBytes);
        }

        var slot = Slot((IntPtr)_batchBuffer, n, rows, cols);
        Run(slot, (IntPtr)_batchBuffer);
        Answer(slot.Outputs, start, n);
    }

    /// <summary>The answers of a run's <paramref name="n"/> frames into the engine's predictions from <paramref name="start"/> on.</summary>
    private void Answer(OutputSet outputs, int start, int n)
    {
        var k = Contract.TopK;
        for (var i = 0; i < n; i++)
        {
            _predictions[start + i].Fill(outputs.Indices.AsSpan(i * k, k), outputs.Probabilities.AsSpan(i * k, k), Contract.Labels);
        }
    }

    /// <summary>Every frame resized into its place in the network's input, then one run: frames of any sizes make crops of one size.</summary>
    private void RunHostBatch(IReadOnlyList<Mat> frames)
    {
        var host = _host!;
        var n = frames.Count;
        var outputs = Outputs(n);
        lock (_runLock)
        {
            ThrowIfUnusable();
            for (var i = 0; i < n; i++)
            {
                var frame = frames[i] ?? throw new ArgumentException($"frame {i} of the batch is null", nameof(frames));
                host.Resize(i, FrameFormat.ToBgr(frame, _batchScratch[i], continuous: false));
            }

            RunLocked(host.Binding(n, outputs), _runOptions);
        }

        Answer(outputs, 0, n);
    }

    private void Run(InputSlot slot, IntPtr frames)
    {
        lock (_runLock)
        {
            ThrowIfUnusable();
            slot.BeforeRun(frames);
            RunLocked(slot.Binding, slot.RunOptions ?? _runOptions);
            slot.AfterRun();
        }
    }

    /// <summary>One run of the session; the caller holds the run lock.</summary>
    private void RunLocked(OrtIoBinding binding, RunOptions runOptions)
    {
        try
        {
            _session.RunWithBinding(runOptions, binding);
        }
        catch (OnnxRuntimeException) when (_stopping)
        {
            throw new OperationCanceledException("classification was cancelled");
        }
        catch (OnnxRuntimeException e)
        {
            throw new InferenceException($"{ModelName} on {Device}: {ErrorText.FirstLine(e.Message)}", e);
        }
    }

    /// <summary>The binding for this buffer and shape: found among the recent ones, or made (and the oldest dropped).</summary>
    private InputSlot Slot(IntPtr data, int batch, int rows, int cols)
    {
        EnsureStaticShape(batch, rows, cols);
        _clock++;
        InputSlot? oldest = null;
        var oldestIndex = 0;
        for (var i = 0; i < _slots.Length; i++)
        {
            var slot = _slots[i];
            if (slot is not null && slot.Matches(data, batch, rows, cols))
            {
                slot.LastUsed = _clock;
                return slot;
            }

            if (slot is null || oldest is null || slot.LastUsed < oldest.LastUsed)
            {
                oldest = slot;
                oldestIndex = i;
                if (slot is null)
                {
                    break;
                }
            }
        }

        // Emptied before the new slot is made: a slot that fails to be made leaves no disposed one behind.
        oldest?.Dispose();
        _slots[oldestIndex] = null;
        var created = new InputSlot(_session, _inputName, data, batch, rows, cols, Outputs(batch), _transfer, _rebinder, _options.Device.Index)
        {
            LastUsed = _clock,
            RunOptions = _transfer == FrameTransfer.DeviceBuffers && _options.CudaGraph ? NewGraphRunOptions() : null,
        };
        _slots[oldestIndex] = created;
        return created;
    }

    /// <summary>
    /// Run options that give a new slot its own CUDA graph (ONNX Runtime's <c>gpu_graph_id</c>): a
    /// captured graph replays the shapes and device addresses it was captured with, so each slot,
    /// whose buffers are its own, needs its own graph, and an id is never given to a second slot.
    /// Past <see cref="MaxCudaGraphs"/> slots, runs go without a graph (id -1).
    /// </summary>
    private RunOptions NewGraphRunOptions()
    {
        lock (_graphRunOptions)
        {
            // Past the limit, one more entry holds id -1, shared by every later slot.
            if (_graphRunOptions.Count > MaxCudaGraphs)
            {
                return _graphRunOptions[MaxCudaGraphs];
            }

            var id = _graphRunOptions.Count < MaxCudaGraphs ? _graphRunOptions.Count : -1;
            var options = new RunOptions { Terminate = _stopping };
            options.AddRunConfigEntry("gpu_graph_id", id.ToString(System.Globalization.CultureInfo.InvariantCulture));
            _graphRunOptions.Add(options);
            return options;
        }
    }

    private RunOptions[] AllGraphRunOptions()
    {
        lock (_graphRunOptions)
        {
            return [.. _graphRunOptions];
        }
    }

    private OutputSet Outputs(int batch)
    {
        if (!_outputs.TryGetValue(batch, out var set))
        {
            _outputs[batch] = set = new OutputSet(batch, Contract.TopK);
        }

        return set;
    }

    /// <summary>DirectML compiles one static graph: a new frame size means a new session.</summary>
    private void EnsureStaticShape(int batch, int rows, int cols)
    {
        if (_staticShape is not { } shape || shape == (batch, rows, cols))
        {
            return;
        }

        lock (_runLock)
        {
            DropSlots();
            _session.Dispose();
            _staticShape = (batch, rows, cols);
            _session = SessionFactory.Open(_modelPath, _options, new DeviceRequest(DeviceKind, _options.Device.Index), _staticShape, _notice).Session;
        }
    }

    private void DropSlots()
    {
        for (var i = 0; i < _slots.Length; i++)
        {
            _slots[i]?.Dispose();
            _slots[i] = null;
        }
    }

    private unsafe void EnsureBatchBuffer(long bytes)
    {
        if (_batchBufferBytes >= bytes)
        {
            return;
        }

        // The slots bound to the old buffer point at freed memory once it is replaced.
        for (var i = 0; i < _slots.Length; i++)
        {
            if (_slots[i] is { } slot && slot.Data == (IntPtr)_batchBuffer)
            {
                slot.Dispose();
                _slots[i] = null;
            }
        }

        FreeBatchBuffer();
        _batchBuffer = FrameMemory is { } pinned ? (byte*)pinned.Allocate(bytes) : (byte*)NativeMemory.AlignedAlloc((nuint)bytes, 64);
        _batchBufferBytes = bytes;
    }

    private unsafe void FreeBatchBuffer()
    {
        if (_batchBuffer != null)
        {
            if (FrameMemory is { } pinned)
            {
                pinned.Free((IntPtr)_batchBuffer);
            }
            else
            {
                NativeMemory.AlignedFree(_batchBuffer);
            }

            _batchBuffer = null;
            _batchBufferBytes = 0;
        }
    }

    /// <summary>The lanes open over this engine's session (tests check that disposed ones are let go).</summary>
    internal int OpenLanes
    {
        get
        {
            lock (_lanes)
            {
                return _lanes.Count;
            }
        }
    }

    private ClassifierEngine[] Lanes()
    {
        lock (_lanes)
        {
            return [.. _lanes];
        }
    }

    private void ThrowIfUnusable()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_cancelled)
        {
            throw new OperationCanceledException("classification was cancelled");
        }
    }

    /// <summary>A fixed list over the engine's answers whose visible length changes per call (no allocation).</summary>
    private sealed class PredictionList(Prediction[] items) : IReadOnlyList<Prediction>
    {
        public int Count { get; set; }

        public Prediction this[int index] => (uint)index < (uint)Count ? items[index] : throw new ArgumentOutOfRangeException(nameof(index));

        public IEnumerator<Prediction> GetEnumerator() => items.Take(Count).GetEnumerator();

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
