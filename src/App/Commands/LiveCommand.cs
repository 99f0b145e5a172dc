using System.CommandLine;
using System.Globalization;
using AlexNet.Realtime.App.Live;
using AlexNet.Realtime.Capture;
using AlexNet.Realtime.Inference;
using AlexNet.Realtime.Overlay.Presenters;
using AlexNet.Realtime.Overlay.Profiling;
using AlexNet.Realtime.Overlay;

namespace AlexNet.Realtime.App.Commands;

/// <summary><c>alexnet-rt live</c>: classify a camera, file or stream and show the labels and timings on the picture.</summary>
internal static class LiveCommand
{
    public static Command Create()
    {
        var capture = new CaptureOptionsBinder();
        var engineOptions = new EngineOptionsBinder(Inference.Engine.ThreadSpinning.WithinRun);
        var headless = new Option<bool>("--headless") { Description = "No window: one status line per second (the default without a display)." };
        var frames = new Option<long>("--frames", "-n") { Description = "Stop after N frames (default: until the source ends or Ctrl-C)." };
        var maxFps = new Option<double?>("--max-fps") { Description = "Pace the loop to at most this many frames a second (default: a file's own rate in a window, else unpaced)." };
        var record = new Option<FileInfo?>("--record") { Description = "Also write the overlaid frames to a video file (.mp4 or .avi)." };
        var snapshot = new Option<FileInfo?>("--snapshot") { Description = "Save the last overlaid frame as an image at the end." };
        var smoothing = SteadyLabelOptions.Smoothing(LoopOptions.LiveSmoothing, string.Create(CultureInfo.InvariantCulture, $"(default {LoopOptions.LiveSmoothing}: at 30 frames/s a change shows 90% within a third of a second)"));
        var threshold = SteadyLabelOptions.Threshold();
        var command = new Command("live", "Live classification: the top-5 labels and per-stage timing drawn on the picture.")
        {
            headless, frames, maxFps, record, snapshot, smoothing, threshold,
        };
        capture.AddTo(command);
        engineOptions.AddTo(command);
        command.SetAction(parse => AppErrors.Guard(() =>
        {
            void Say(string line) => Console.Error.WriteLine($"alexnet-rt: {ErrorText.OneLine(line)}");
            SteadyLabelOptions.CheckSmoothing(parse.GetValue(smoothing));
            SteadyLabelOptions.CheckThreshold(parse.GetValue(threshold));
            OutputPath.CheckFile("--record", parse.GetValue(record)?.FullName);
            OutputPath.CheckFile("--snapshot", parse.GetValue(snapshot)?.FullName);
            using var cancel = new Cancellation();
            var captureOptions = capture.Bind(parse);
            var spec = SourceResolver.Resolve(parse.GetValue(capture.Source), captureOptions, Say);
            var inputs = OutputPath.InputsOf(parse, engineOptions, spec);
            OutputPath.CheckNotAnInput(inputs, "--record", parse.GetValue(record)?.FullName);
            OutputPath.CheckNotAnInput(inputs, "--snapshot", parse.GetValue(snapshot)?.FullName);
            using var engine = engineOptions.Open(parse, Say, cancel: cancel.Token);
            Say($"{engine.ModelName} ({Output.ModelPrecision.Describe(engine.Contract)}) on {engine.Device}");
            using var source = new FrameSource(spec, captureOptions, onUnreadable: (file, why) => Say($"{file}: {why}, skipped"), frameMemory: EngineFrameMemory.For(engine));
            var window = !parse.GetValue(headless) && WindowPresenter.DisplayAvailable;
            if (!window && !parse.GetValue(headless))
            {
                Say("no display: running headless");
            }

            WindowPresenter? opened = null;
            if (window && (opened = WindowPresenter.TryOpen($"alexnet-rt: {engine.ModelName} ({engine.Contract.Precision}) on {spec.DisplayName}", out var problem)) is null)
            {
                Say($"the display can't be used ({problem}): running headless");
                window = false;
            }

            if (opened is null)
            {
                // Subscribed before the source starts, so its first failure is said too.
                _ = new SourceStateLines(source, line => Console.Out.WriteLine(line));
            }

            source.Start();
            var pace = parse.GetValue(maxFps) ?? (window && !spec.IsLive && source.SourceFramesPerSecond > 0 ? source.SourceFramesPerSecond : 0);
            var profiler = new FrameProfiler(window: 300);
            FrameLoop? loop = null;
            var presenters = new List<IPresenter>();
            if (opened is not null)
            {
                presenters.Add(opened);
            }
            else
            {
                presenters.Add(new HeadlessPresenter(Console.Out, () => StatusLine(loop!)));
            }

            if (parse.GetValue(record) is { } recordFile)
            {
                presenters.Add(new VideoFilePresenter(recordFile.FullName, source.SourceFramesPerSecond > 0 ? source.SourceFramesPerSecond : 30));
            }

            using var presenter = new PresenterSet([.. presenters]);
            loop = new FrameLoop(source, engine, new OverlayRenderer(), presenter, profiler, new LoopOptions
            {
                MaxFrames = parse.GetValue(frames),
                MaxFps = pace,
                SnapshotPath = parse.GetValue(snapshot)?.FullName,
                Smoothing = parse.GetValue(smoothing),
                Threshold = parse.GetValue(threshold),
            }, Say);
            var result = loop.Run(cancel.Token);
            source.Stop();
            presenter.Complete();
            Say(string.Create(CultureInfo.InvariantCulture,
                $"{result.Frames} frames in {result.Elapsed.TotalSeconds:0.0} s ({result.FramesPerSecond:0.0} frames/s), {result.Dropped} dropped; inference p50 {profiler.WindowStats(Stage.Inference).P50:0.0} ms"));
            if (result.SourceState == SourceState.Failed)
            {
                throw new CaptureException(result.Problem ?? "the source failed");
            }

            if (result.Frames == 0 && !result.Cancelled && result.SourceState == SourceState.Ended)
            {
                // A file that ends before giving one frame is a failure, as label says it is.
                throw new CaptureException($"{spec.Text}: no frames could be decoded (corrupt or empty video)");
            }

            if (!result.Cancelled && result.SourceState == SourceState.Ended && spec.Kind == SourceKind.VideoFile
                && FrameShortfall.Problem(source.FramesRead, source.FrameCount, source.FrameCountIsExact) is { } shortfall)
            {
                // Played to its end but short of its frames: a damaged file, as label says.
                throw new CaptureException($"{spec.Text}: {shortfall}");
            }

            return result.Cancelled ? AppErrors.Cancelled : AppErrors.Ok;
        }));
        return command;
    }

    private static string StatusLine(FrameLoop loop)
    {
        var state = loop.State;
        var label = TopText(loop.LastPrediction[0], state);
        return string.Create(CultureInfo.InvariantCulture,
            $"frame {state.Frame,6}  {state.FramesPerSecond,5:0.0} fps  top: {label}  inference p50 {state[Stage.Inference].P50:0.0} ms p99 {state[Stage.Inference].P99:0.0} ms  dropped {state.Dropped}{(state.Problem is null ? "" : "  [" + state.Problem + "]")}{(state.PrecisionWarning is null ? "" : "  [" + state.PrecisionWarning + "]")}{(state.SyntheticWeights ? "  [synthetic weights: labels mean nothing]" : "")}");
    }

    /// <summary>The status line's top label, as the overlay shows it: marked when smoothed, and said when under the threshold.</summary>
    internal static string TopText(Inference.Engine.TopEntry top, OverlayState state) =>
        top.Probability >= state.Threshold
            ? string.Create(CultureInfo.InvariantCulture, $"{top.Label} ({top.Probability * 100:0.0}%{(state.Smoothing > 0 ? ", smoothed" : "")})")
            : string.Create(CultureInfo.InvariantCulture, $"no label reaches {state.Threshold * 100:0.#}%");
}
