using System.Globalization;
using AlexNet.Realtime.Bench;
using AlexNet.Realtime.Bench.Compare;
using BenchmarkDotNet.Running;
using Spectre.Console;

// engine:  BenchmarkDotNet microbenchmark of one frame against ONNX Runtime alone.
// paired:  the engine and ONNX Runtime alone in turn, frame by frame (a steadier ratio).
// compare: this project against what a C# user would reach for, same frames, same weights
//          (--precision int8: every contender that can run it on the int8 model).
// See bench/README.md.
if (args.Length > 0 && args[0] == "engine")
{
    BenchmarkRunner.Run<EngineBenchmarks>(args: args[1..]);
    return 0;
}

if (args.Length > 0 && args[0] == "paired")
{
    return PairedEngineRun.Run(Option(args, "--frames", 400), Option(args, "--warmup", 20), Option(args, "--threads", 2));
}

if (args.Length > 0 && args[0] == "compare")
{
    var frames = Option(args, "--frames", 300);
    var warmup = Option(args, "--warmup", 20);
    var rounds = Option(args, "--rounds", 2);
    var threads = Option(args, "--threads", 2);
    var json = args.SkipWhile(a => a != "--json").Skip(1).FirstOrDefault();
    var clip = BenchModels.DemoClip;
    Console.Error.WriteLine($"preparing the full-size synthetic models in {BenchModels.Directory} ...");
    var int8 = args.SkipWhile(a => a != "--precision").Skip(1).FirstOrDefault() == "int8";
    var framesModel = int8 ? BenchModels.FramesInt8 : BenchModels.Frames;
    var nchwModel = BenchModels.Nchw;

    // The others start from the graph a C# user has: torch.onnx.export's, fully connected layers
    // as Gemm; with --precision int8 every contender that can run it gets that graph in int8.
    var exportedModel = int8 ? BenchModels.NchwInt8 : BenchModels.NchwGemm;
    var contenders = new List<Func<IContender>>
    {
        () => new ThisProjectContender(framesModel, clip, threads),
        () => new OrtSampleContender(exportedModel, clip, threads),
    };
    if (OpenCvDnnContender.TryCreate(exportedModel, clip, threads, out var dnn, out var why))
    {
        contenders.Add(() => dnn!);
    }
    else
    {
        Console.Error.WriteLine($"OpenCV DNN: does not load {Path.GetFileName(exportedModel)} ({why}); left out");
    }

    contenders.Add(() => new ThisProjectContender(framesModel, clip, threads, AlexNet.Realtime.Inference.Engine.ThreadSpinning.WithinRun));
    contenders.Add(() => new ThisProjectContender(framesModel, clip, threads, decoder: AlexNet.Realtime.Capture.VideoDecoder.OpenCv));
    if (!int8)
    {
        contenders.AddRange(OptionalContenders.Create(clip, threads));
        contenders.Add(() => new OrtFloorContender(nchwModel, threads, "this project's graph"));
    }

    contenders.Add(() => new OrtFloorContender(exportedModel, threads, int8 ? "torch.onnx.export's graph in int8" : "torch.onnx.export's graph", prepackWeights: int8));

    var report = ComparisonRunner.Run(contenders, frames, warmup, rounds, threads, line => Console.Error.WriteLine(line));
    var table = new Table().Border(TableBorder.Rounded)
        .Title($"{report.Frames} frames of the demo clip, decoding included, {report.Threads} threads, {(int8 ? "int8 models" : "fp32 models")}, {report.Cpu}")
        .AddColumn("pipeline").AddColumn(new TableColumn("frames/s").RightAligned()).AddColumn(new TableColumn("p50 ms").RightAligned())
        .AddColumn(new TableColumn("p99 ms").RightAligned()).AddColumn(new TableColumn("this project is").RightAligned()).AddColumn(new TableColumn("same top-1").RightAligned());
    foreach (var c in report.Contenders)
    {
        table.AddRow(Markup.Escape(c.Name), F(c.Fps), F(c.P50Ms), F(c.P99Ms), $"{F(c.RatioOfThisProject)}x", c.Top1Agreement is { } a ? $"{a * 100:0}%" : "-");
    }

    AnsiConsole.Write(table);
    if (json is not null)
    {
        File.WriteAllText(json, ComparisonRunner.ToJson(report) + "\n");
        Console.Error.WriteLine($"json: {json}");
    }

    return 0;
}

Console.Error.WriteLine("usage: dotnet run -c Release --project bench -- engine | paired [--frames 400] [--threads 2] | compare [--frames 300] [--warmup 20] [--rounds 2] [--threads 2] [--precision fp32|int8] [--json out.json]");
return 2;

static int Option(string[] args, string name, int fallback)
{
    var value = args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();
    return value is not null && int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : fallback;
}

static string F(double v) => v.ToString("0.0", CultureInfo.InvariantCulture);
