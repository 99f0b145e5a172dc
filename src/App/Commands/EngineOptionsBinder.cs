using System.CommandLine;
using AlexNet.Realtime.Inference.Devices;
using AlexNet.Realtime.Inference.Engine;

namespace AlexNet.Realtime.App.Commands;

/// <summary>The options every mode shares: model, device, threads, spinning.</summary>
internal sealed class EngineOptionsBinder
{
    public Option<FileInfo?> Model { get; } = new("--model", "-m")
    {
        Description = $"The ONNX model written by alexnet-convert (default {ModelLocator.DefaultPath}, made synthetic on first use).",
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

    public Option<bool> Spin { get; } = new("--spin")
    {
        Description = "Let ONNX Runtime's threads spin between ops (helps only when nothing else needs the cores, e.g. with a GPU doing the decoding).",
    };

    public Option<bool> CudaGraph { get; } = new("--cuda-graph")
    {
        Description = "CUDA only: ask ONNX Runtime to capture the graph as a CUDA graph (it refuses graphs with shape ops on the CPU, and then says so).",
    };

    public void AddTo(Command command)
    {
        command.Options.Add(CudaGraph);
        command.Options.Add(Model);
        command.Options.Add(Device);
        command.Options.Add(Threads);
        command.Options.Add(Spin);
    }

    /// <param name="fullBatches">
    /// The mode runs full batches of <paramref name="maxBatch"/> (labeling): warm one up at open, and
    /// let ONNX Runtime prepack the weights, which is faster for batches and slower for one frame.
    /// </param>
    /// <param name="threads">Intra-op threads in place of <c>--threads</c> (labeling's lanes take their share each).</param>
    public EngineOptions Bind(ParseResult parse, int maxBatch = 8, bool fullBatches = false, int? threads = null) => new()
    {
        WarmUpBatch = fullBatches ? maxBatch : 1,
        PrepackWeights = fullBatches && maxBatch > 1,
        Device = DeviceRequest.Parse(parse.GetValue(Device)),
        IntraOpThreads = threads ?? parse.GetValue(Threads),
        AllowSpinning = parse.GetValue(Spin),
        CudaGraph = parse.GetValue(CudaGraph),
        MaxBatch = maxBatch,
        OptimizedModelCache = OptimizedModelCache.DefaultDirectory(),
    };

    public ClassifierEngine Open(ParseResult parse, Action<string> say, int maxBatch = 8, bool fullBatches = false, int? threads = null)
    {
        var options = Bind(parse, maxBatch, fullBatches, threads);
        var path = ModelLocator.Resolve(parse.GetValue(Model), say);
        return ClassifierEngine.Open(path, options, say);
    }
}
