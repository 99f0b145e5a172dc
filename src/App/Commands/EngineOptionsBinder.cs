using System.CommandLine;
using AlexNet.Realtime.Inference.Devices;
using AlexNet.Realtime.Inference.Engine;

namespace AlexNet.Realtime.App.Commands;

/// <summary>The options every mode shares: model, device, threads, spinning, where frames are resized.</summary>
internal sealed class EngineOptionsBinder
{
    private readonly ThreadSpinning _defaultSpinning;

    public Option<FileInfo?> Model { get; } = new("--model", "-m")
    {
        Description = $"The ONNX model written by alexnet-convert (default {ModelLocator.DefaultPath}, made on first use from torchvision's IMAGENET1K_V1 weights: PyTorch's cached copy, else downloaded; offline, a synthetic model).",
    };

    public Option<bool> Offline { get; } = new("--offline")
    {
        Description = $"Never download: with no model at {ModelLocator.DefaultPath}, make it from PyTorch's cached weights if there, else synthetic (also {AlexNet.Realtime.WeightConverter.Fetching.DownloadOptions.OfflineVariable}=1).",
    };

    public Option<string> Device { get; } = new("--device", "-d")
    {
        Description = "auto, cpu, dml[:N] (Windows) or cuda[:N] (Linux GPU build).",
        DefaultValueFactory = _ => "auto",
    };

    public Option<int> Threads { get; } = new("--threads")
    {
        Description = "ONNX Runtime intra-op threads (default: logical cores, at most 4).",
        DefaultValueFactory = _ => EngineOptions.DefaultThreads,
    };

    /// <param name="defaultSpinning">The mode's spinning when <c>--spin</c> is not given.</param>
    public EngineOptionsBinder(ThreadSpinning defaultSpinning = ThreadSpinning.Off)
    {
        _defaultSpinning = defaultSpinning;

        // Checked as the command line is parsed: label divides --threads among its lanes before
        // the engine sees it (300 passed as 18 a lane, 100000 was reported as "got 6250"), and
        // a bad value should not wait for the model to load.
        Threads.Validators.Add(result =>
        {
            if (result.Tokens.Count > 0 && int.TryParse(result.Tokens[^1].Value, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var threads)
                && threads is < 1 or > EngineOptions.MaxThreads)
            {
                result.AddError($"--threads must be 1..{EngineOptions.MaxThreads}, got {threads}");
            }
        });
        Spin = new Option<string?>("--spin")
        {
            Description = $"ONNX Runtime's worker threads wait by spinning: off, run (between the ops of a frame, then sleep: faster frames at a camera's pace at about the same CPU) or on (always, also what --spin alone means: the steadiest paced latency, with the workers busy even between frames; slows a tight loop whose decoder shares the cores). Default here: {SpinningName(defaultSpinning)}.",
            Arity = ArgumentArity.ZeroOrOne,
        };
        Spin.AcceptOnlyFromAmong("off", "run", "on");
    }

    public Option<string?> Spin { get; }

    public Option<string> Preprocess { get; } = CreatePreprocess();

    public Option<bool> CudaGraph { get; } = new("--cuda-graph")
    {
        Description = "CUDA only: ask ONNX Runtime to capture the graph as a CUDA graph (it refuses graphs with shape ops on the CPU, and then says so).",
    };

    public Option<bool> Tf32 { get; } = new("--tf32")
    {
        Description = "CUDA only: allow TF32 tensor-core math in float32 convolutions and matrix products (faster on recent GPUs, about 1e-3 relative error; off: float32 throughout).",
    };

    public void AddTo(Command command)
    {
        command.Options.Add(CudaGraph);
        command.Options.Add(Tf32);
        command.Options.Add(Model);
        command.Options.Add(Offline);
        command.Options.Add(Device);
        command.Options.Add(Threads);
        command.Options.Add(Spin);
        command.Options.Add(Preprocess);
    }

    private static Option<string> CreatePreprocess()
    {
        var option = new Option<string>("--preprocess")
        {
            Description = "CPU: who resizes and crops the frames: host (the default: the engine resizes only the crop, straight from the frame, faster than the graph) or graph (the model's own nodes, as a GPU runs them: for comparing with what a GPU computes). The engine resizes as the model's graph does: --exact-resize models bit-exactly as PIL. A model that names no crop_levels tensor (converted before 0.3.1) always uses its graph.",
            DefaultValueFactory = _ => "host",
        };
        option.AcceptOnlyFromAmong("host", "graph");
        return option;
    }

    /// <param name="fullBatches">
    /// The mode runs full batches of <paramref name="maxBatch"/> (labeling): warm one up at open, and
    /// let ONNX Runtime prepack the weights, which is faster for batches and slower for one frame.
    /// </param>
    /// <param name="threads">Intra-op threads in place of <c>--threads</c> (labeling's lanes take their share each).</param>
    public EngineOptions Bind(ParseResult parse, int maxBatch = 8, bool fullBatches = false, int? threads = null) => AppErrors.Flags.Build(() => new EngineOptions
    {
        WarmUpBatch = fullBatches ? maxBatch : 1,
        PrepackWeights = fullBatches && maxBatch > 1,
        Device = DeviceOf(parse),
        IntraOpThreads = threads ?? parse.GetValue(Threads),
        Spinning = SpinningOf(parse),
        CudaGraph = parse.GetValue(CudaGraph),
        CudaTf32 = parse.GetValue(Tf32),
        MaxBatch = maxBatch,
        OptimizedModelCache = OptimizedModelCache.DefaultDirectory(),
        HostPreprocessing = parse.GetValue(Preprocess) != "graph",
    });

    /// <summary>The spinning asked for: <c>--spin</c> alone is <c>on</c>; absent, the mode's default.</summary>
    public ThreadSpinning SpinningOf(ParseResult parse) =>
        parse.GetResult(Spin) is null ? _defaultSpinning : parse.GetValue(Spin) switch
        {
            "off" => ThreadSpinning.Off,
            "run" => ThreadSpinning.WithinRun,
            _ => ThreadSpinning.Always,
        };

    /// <summary>How <c>--spin</c> spells a setting.</summary>
    public static string SpinningName(ThreadSpinning spinning) => spinning switch
    {
        ThreadSpinning.Off => "off",
        ThreadSpinning.WithinRun => "run",
        _ => "on",
    };

    /// <param name="cancel">Ctrl-C or SIGTERM: stops the first run's download and conversion between steps.</param>
    public ClassifierEngine Open(ParseResult parse, Action<string> say, int maxBatch = 8, bool fullBatches = false, int? threads = null, CancellationToken cancel = default)
    {
        var options = Bind(parse, maxBatch, fullBatches, threads);
        var path = ModelLocator.Resolve(parse.GetValue(Model), parse.GetValue(Offline), say, cancel);
        return ClassifierEngine.Open(path, options, say);
    }

    /// <summary>The <c>--device</c> asked for; a name the library does not know is said with the flag.</summary>
    public DeviceRequest DeviceOf(ParseResult parse)
    {
        var text = parse.GetValue(Device);
        try
        {
            return DeviceRequest.Parse(text);
        }
        catch (Inference.InferenceException e)
        {
            throw new Inference.InferenceException($"--device {e.Message}", e);
        }
    }
}
