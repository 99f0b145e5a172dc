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

    public void AddTo(Command command)
    {
        command.Options.Add(Model);
        command.Options.Add(Device);
        command.Options.Add(Threads);
        command.Options.Add(Spin);
    }

    public EngineOptions Bind(ParseResult parse, int maxBatch = 8) => new()
    {
        Device = DeviceRequest.Parse(parse.GetValue(Device)),
        IntraOpThreads = parse.GetValue(Threads),
        AllowSpinning = parse.GetValue(Spin),
        MaxBatch = maxBatch,
    };

    public ClassifierEngine Open(ParseResult parse, Action<string> say, int maxBatch = 8)
    {
        var options = Bind(parse, maxBatch);
        var path = ModelLocator.Resolve(parse.GetValue(Model), say);
        return ClassifierEngine.Open(path, options, say);
    }
}
