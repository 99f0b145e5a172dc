using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using AlexNet.Realtime.App.Live;
using AlexNet.Realtime.App.Profiling;
using AlexNet.Realtime.Capture;
using AlexNet.Realtime.Inference;
using AlexNet.Realtime.Overlay.Presenters;
using Spectre.Console;

namespace AlexNet.Realtime.App.Commands;

/// <summary><c>alexnet-rt profile</c>: where the milliseconds go, per stage, with percentiles, GC and CPU.</summary>
internal static class ProfileCommand
{
    public static Command Create()
    {
        var capture = new CaptureOptionsBinder();
        var engineOptions = new EngineOptionsBinder(Inference.Engine.ThreadSpinning.WithinRun);
        var frames = new Option<int>("--frames", "-n") { Description = "Frames to measure.", DefaultValueFactory = _ => 300 };
        var warmup = new Option<int>("--warmup") { Description = "Frames to run first and leave out.", DefaultValueFactory = _ => 30 };
        var paced = new Option<double?>("--paced") { Description = "Also run the same frames paced at this rate (a camera's), and report both." };
        var report = new Option<FileInfo?>("--report") { Description = "Write the measurements as JSON." };
        var trace = new Option<FileInfo?>("--trace") { Description = "Write a Chrome trace (Perfetto, chrome://tracing): one slice per stage per frame." };
        var plot = new Option<FileInfo?>("--plot") { Description = "Write a PNG: latency histogram per stage and the per-frame timeline." };
        var window = new Option<bool>("--window") { Description = "Present to a window instead of discarding frames." };

        // The same default as live: profile measures the loop live runs (the average costs
        // microseconds, but a profile of another loop would not be live's); 0 measures raw labels.
        var smoothing = SteadyLabelOptions.Smoothing(Live.LoopOptions.LiveSmoothing, string.Create(CultureInfo.InvariantCulture, $"(default {Live.LoopOptions.LiveSmoothing}, as live)"));
        var threshold = SteadyLabelOptions.Threshold();
        var command = new Command("profile", "Measure the real pipeline: per-stage latency percentiles, frames/s, drops, allocation, GC, CPU and memory.")
        {
            frames, warmup, paced, report, trace, plot, window, smoothing, threshold,
        };
        capture.AddTo(command);
        engineOptions.AddTo(command);
        command.SetAction(parse => AppErrors.Guard(() =>
        {
            void Say(string line) => Console.Error.WriteLine($"alexnet-rt: {ErrorText.OneLine(line)}");
            var frameCount = parse.GetValue(frames);
            var warmupCount = parse.GetValue(warmup);
            if (frameCount < 1)
            {
                throw new AppException($"--frames must be 1 or more, got {frameCount}");
            }

            if (warmupCount < 0)
            {
                throw new AppException($"--warmup must be 0 or more, got {warmupCount}");
            }

            var smoothingValue = SteadyLabelOptions.CheckSmoothing(parse.GetValue(smoothing));
            var thresholdValue = SteadyLabelOptions.CheckThreshold(parse.GetValue(threshold));
            if (parse.GetValue(paced) is <= 0 and var badRate)
            {
                throw new AppException($"--paced must be positive, got {badRate}");
            }

            OutputPath.CheckFile("--report", parse.GetValue(report)?.FullName);
            OutputPath.CheckFile("--trace", parse.GetValue(trace)?.FullName);
            OutputPath.CheckFile("--plot", parse.GetValue(plot)?.FullName);
            using var cancel = new Cancellation();
            var bound = capture.Bind(parse);
            var spec = SourceResolver.Resolve(parse.GetValue(capture.Source), bound, Say);
            var inputs = OutputPath.InputsOf(parse, engineOptions, spec);
            OutputPath.CheckNotAnInput(inputs, "--report", parse.GetValue(report)?.FullName);
            OutputPath.CheckNotAnInput(inputs, "--trace", parse.GetValue(trace)?.FullName);
            OutputPath.CheckNotAnInput(inputs, "--plot", parse.GetValue(plot)?.FullName);
            CaptureOptions Options(double pace) => AppErrors.Flags.Build(() => new CaptureOptions
            {
                Width = bound.Width,
                Height = bound.Height,
                Fps = bound.Fps,
                CameraApi = bound.CameraApi,
                Policy = bound.Policy,
                Loop = bound.Loop || !spec.IsLive,
                Decoder = bound.Decoder,

                // A file's reader stays at most two frames ahead, so end-to-end latency is a
                // camera's (frame read to frame shown), not the depth of a read-ahead queue.
                QueueCapacity = 2,
                PaceFps = pace,
            });
            var captureOptions = Options(pace: 0);
            using var engine = engineOptions.Open(parse, Say, cancel: cancel.Token);
            var useWindow = parse.GetValue(window) && WindowPresenter.DisplayAvailable;
            if (useWindow)
            {
                using var probe = WindowPresenter.TryOpen("alexnet-rt profile", out var problem);
                if (probe is null)
                {
                    Say($"the display can't be used ({problem}): profiling with no window");
                    useWindow = false;
                }
            }

            Func<IPresenter> presenter = useWindow ? () => new WindowPresenter("alexnet-rt profile") : () => new NullPresenter();

            Say($"profiling {frameCount} frames of {engine.ModelName} ({Output.ModelPrecision.Describe(engine.Contract)}) after {warmupCount} warm-up frames on {engine.Device}, workers spinning {EngineOptionsBinder.SpinningName(engine.Options.Spinning)}{(spec.Kind == SourceKind.VideoFile ? $", decoder {captureOptions.ResolvedDecoder.ToString().ToLowerInvariant()}" : "")}");
            var frameMemory = EngineFrameMemory.For(engine);
            var run = ProfileRun.Measure(spec, captureOptions, engine, presenter, frameCount, warmupCount, 0, frameMemory, smoothingValue, thresholdValue, cancel.Token);
            if (run.Result.SourceState == SourceState.Failed)
            {
                throw new CaptureException(run.Result.Problem ?? "the source failed");
            }

            ProfileRun? pacedRun = null;
            if (parse.GetValue(paced) is { } rate)
            {
                Say($"again, paced at {rate:0.#} frames/s");

                // As a camera: a file's frames are released at the rate and the loop takes each as
                // it comes, so end-to-end latency is a camera's, not a queue's. A live source is
                // paced by itself; there the loop is held to the rate.
                pacedRun = ProfileRun.Measure(spec, Options(pace: rate), engine, presenter, frameCount, warmupCount, spec.IsLive ? rate : 0, frameMemory, smoothingValue, thresholdValue, cancel.Token);
            }

            var result = Build(run, pacedRun, parse.GetValue(paced), engine, spec, captureOptions, warmupCount, smoothingValue);
            Print(result, pacedRun is not null);
            if (parse.GetValue(report) is { } reportFile)
            {
                Output.OutputFile.Write(reportFile.FullName, System.Text.Encoding.UTF8.GetBytes(JsonSerializer.Serialize(result, ProfileJsonContext.Default.ProfileReport) + "\n"), "--report");
                Say($"report: {reportFile.FullName}");
            }

            if (parse.GetValue(trace) is { } traceFile)
            {
                TraceWriter.Write(traceFile.FullName, run.Profiler);
                Say($"trace: {traceFile.FullName}");
            }

            if (parse.GetValue(plot) is { } plotFile)
            {
                LatencyPlot.Write(plotFile.FullName, run.Profiler, $"{engine.ModelName} on {engine.Device}");
                Say($"plot: {plotFile.FullName}");
            }

            return run.Result.Cancelled ? AppErrors.Cancelled : AppErrors.Ok;
        }));
        return command;
    }

    private static ProfileReport Build(ProfileRun run, ProfileRun? paced, double? pacedRate, Inference.Engine.ClassifierEngine engine, SourceSpec spec, CaptureOptions capture, int warmup, double smoothing) =>
        new(run.ToRunReport(null))
        {
            Smoothing = smoothing,
            Warmup = warmup,
            Device = engine.Device,
            Model = engine.ModelName,
            Weights = engine.Contract.Weights.ToString().ToLowerInvariant(),
            Precision = Output.ModelPrecision.Of(engine.Contract),
            PrecisionTop1Agreement = Output.ModelPrecision.Top1Agreement(engine.Contract),
            PrecisionForced = Output.ModelPrecision.Forced(engine.Contract),
            Threads = engine.Options.IntraOpThreads,
            Spinning = EngineOptionsBinder.SpinningName(engine.Options.Spinning),
            FrameSize = run.FrameSize,
            Preprocessing = engine.PreprocessingPlace,
            Source = spec.DisplayName,
            Decoder = spec.Kind == SourceKind.VideoFile ? capture.ResolvedDecoder.ToString().ToLowerInvariant() : null,
            DecoderVersion = spec.Kind == SourceKind.VideoFile ? Capture.DecoderVersion.Of(capture.ResolvedDecoder) : null,
            Cpu = Inference.Devices.HardwareInfo.CpuName(),
            LogicalCores = Environment.ProcessorCount,
            Paced = paced?.ToRunReport(pacedRate),
        };

    private static void Print(ProfileReport report, bool withPaced)
    {
        var table = new Table().Border(TableBorder.Rounded)
            .Title(Markup.Escape(ErrorText.OneLine($"{report.Frames} frames, {report.Fps:0.0} frames/s, {report.Model} ({report.Precision}), {report.Device}, {report.FrameSize}")))
            .AddColumn("stage").AddColumn(new TableColumn("min").RightAligned()).AddColumn(new TableColumn("p50").RightAligned())
            .AddColumn(new TableColumn("p90").RightAligned()).AddColumn(new TableColumn("p99").RightAligned())
            .AddColumn(new TableColumn("p99.9").RightAligned()).AddColumn(new TableColumn("max").RightAligned());
        if (withPaced)
        {
            table.AddColumn(new TableColumn($"paced p50").RightAligned()).AddColumn(new TableColumn("paced p99").RightAligned());
        }

        foreach (var (name, s) in report.Stages)
        {
            var cells = new List<string> { name, F(s.MinMs), F(s.P50Ms), F(s.P90Ms), F(s.P99Ms), F(s.P999Ms), F(s.MaxMs) };
            if (withPaced && report.Paced!.Stages.TryGetValue(name, out var p))
            {
                cells.Add(F(p.P50Ms));
                cells.Add(F(p.P99Ms));
            }

            table.AddRow(cells.Select(Markup.Escape).ToArray());
        }

        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Out) });
        console.Write(table);
        console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"dropped {report.Dropped}; allocated {report.AllocatedBytesPerFrame:0.#} B/frame on the loop thread ({report.ProcessAllocatedBytesPerFrame:0.#} B/frame in the process); GC gen0/1/2 {report.Gc.Gen0}/{report.Gc.Gen1}/{report.Gc.Gen2}, pause {report.Gc.PauseMs:0.###} ms; CPU {report.CpuPercent:0.#}% of {report.LogicalCores} cores; peak RSS {report.PeakRssMb:0} MB"));
        if (report.Precision != Inference.Contract.ModelContract.Fp32)
        {
            // Speed bought with precision is only half the story: what it cost, as measured when the model was made.
            console.WriteLine(report.PrecisionTop1Agreement is { } top1
                ? string.Create(CultureInfo.InvariantCulture, $"{report.Precision}: top-1 agreement with fp32 {top1:0.0000} (measured by the converter, from the model's contract){(report.PrecisionForced ? "; FORCED below the converter's threshold" : "")}")
                : $"{report.Precision}: no agreement with fp32 recorded in the model's contract");
        }

        if (withPaced)
        {
            var p = report.Paced!;
            console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"paced at {p.PacedFps:0.#} frames/s: {p.Fps:0.0} frames/s, CPU {p.CpuPercent:0.#}%, inference p50 {p.Stages["inference"].P50Ms:0.00} ms vs {report.Stages["inference"].P50Ms:0.00} ms unpaced"));
        }
    }

    private static string F(double ms) => ms.ToString("0.00", CultureInfo.InvariantCulture);
}
