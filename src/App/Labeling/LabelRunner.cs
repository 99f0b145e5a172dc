using System.Diagnostics;
using AlexNet.Realtime.Capture;
using AlexNet.Realtime.Inference.Engine;
using AlexNet.Realtime.Overlay;
using OpenCvSharp;
using FrameSource = AlexNet.Realtime.Capture.FrameSource;

namespace AlexNet.Realtime.App.Labeling;

/// <summary>What a labeling run did.</summary>
internal sealed record LabelSummary(int Files, int Failed, long Frames, long Rows, TimeSpan Elapsed, bool Cancelled)
{
    public double FramesPerSecond => Elapsed > TimeSpan.Zero ? Frames / Elapsed.TotalSeconds : 0;
}

/// <summary>
/// Labels every frame (or every Nth) of each input in order: a capture thread decodes ahead
/// into a bounded queue, the engine takes batches, rows are written and flushed as they come,
/// and an optional annotated copy gets the overlay. A file that can't be read gets an error row
/// and the run goes on.
/// </summary>
internal sealed class LabelRunner
{
    private readonly ClassifierEngine _engine;
    private readonly LabelOptions _options;
    private readonly Action<string> _say;
    private readonly OverlayRenderer _renderer = new();
    private readonly OverlayState _overlay = new() { ShowTiming = false };

    public LabelRunner(ClassifierEngine engine, LabelOptions options, Action<string> say)
    {
        _engine = engine;
        _options = options;
        _say = say;
        _overlay.Device = engine.Device;
        _overlay.Model = engine.ModelName;
        _overlay.SyntheticWeights = engine.Contract.Weights == Inference.Contract.WeightsKind.Synthetic;
    }

    /// <summary>Told after each batch with the total rows written so far (tests cancel from here).</summary>
    public Action<long>? RowsWritten { get; init; }

    public LabelSummary Run(IReadOnlyList<LabelInput> inputs, RowWriter rows, ResumeState resume, Func<int, long, ILabelProgress> progressFactory, CancellationToken cancel)
    {
        var clock = Stopwatch.StartNew();
        var expected = inputs.Select(i => i.IsImage ? 1 : ProbeFrames(i.Path)).ToArray();
        var progress = progressFactory(inputs.Count, expected.Sum());
        var failed = 0;
        long frames = 0;
        var files = 0;
        for (var i = 0; i < inputs.Count && !cancel.IsCancellationRequested; i++)
        {
            var input = inputs[i];
            var doneThrough = resume.DoneThrough(input.Name);
            if (doneThrough == long.MaxValue)
            {
                continue;
            }

            files++;
            progress.StartFile(i, input.Name, expected[i]);
            var (read, error) = LabelOne(input, doneThrough, rows, progress, cancel);
            progress.EndFile();
            frames += read;
            if (error is not null && !cancel.IsCancellationRequested)
            {
                failed++;
                _say($"{input.Name}: {error}");
                rows.WriteError(input.Name, error);
            }
        }

        return new LabelSummary(files, failed, frames, rows.Rows, clock.Elapsed, cancel.IsCancellationRequested);
    }

    private (long Frames, string? Error) LabelOne(LabelInput input, long doneThrough, RowWriter rows, ILabelProgress progress, CancellationToken cancel)
    {
        if (!File.Exists(input.Path))
        {
            return (0, "no such file");
        }

        var spec = input.IsImage
            ? new SourceSpec(SourceKind.ImageFile, input.Path, Files: [input.Path])
            : new SourceSpec(SourceKind.VideoFile, input.Path);
        string? unreadable = null;
        using var source = new FrameSource(spec, new CaptureOptions { Policy = HandoffPolicy.Every, QueueCapacity = Math.Max(8, (2 * _options.Batch) + 2) },
            onUnreadable: (_, why) => unreadable = why);
        source.Start();
        using var annotated = Annotation.For(_options.AnnotatedDirectory, input, source.SourceFramesPerSecond);
        var pending = new List<CapturedFrame>(_options.Batch);
        var labeled = new List<Mat>(_options.Batch);
        var labeledIndex = new List<int>(_options.Batch);
        var lastPrediction = Prediction.Create(_engine.Contract.TopK);
        var havePrediction = false;
        long read = 0;
        var writeRowsFrom = doneThrough + 1;

        // Without an annotated copy, frames already in the output are decoded and skipped; with
        // one, the whole file is classified again so its copy is complete.
        var classifySkipped = annotated is not null;
        while (!cancel.IsCancellationRequested && source.TryTake(TimeSpan.FromSeconds(30), out var frame))
        {
            read++;
            progress.Advance(1);
            var index = frame!.FrameInOrigin;
            var wanted = index % _options.Every == 0 && (index >= writeRowsFrom || classifySkipped);
            if (!wanted && annotated is null)
            {
                source.Return(frame);
                continue;
            }

            pending.Add(frame);
            if (pending.Count == _options.Batch)
            {
                Flush();
            }
        }

        Flush();
        if (cancel.IsCancellationRequested)
        {
            return (read, null);
        }

        annotated?.Complete();
        if (source.State == SourceState.Failed)
        {
            return (read, source.Problem ?? "cannot be read");
        }

        if (read == 0)
        {
            return (0, unreadable ?? (input.IsImage ? "cannot be decoded as an image" : "no frames could be decoded (corrupt or empty video)"));
        }

        var declared = source.FrameCount;
        if (!input.IsImage && declared > 10 && read < declared * 9 / 10)
        {
            return (read, $"truncated or corrupt: decoded {read} of {declared} frames");
        }

        return (read, null);

        void Flush()
        {
            if (pending.Count == 0)
            {
                return;
            }

            labeled.Clear();
            labeledIndex.Clear();
            for (var i = 0; i < pending.Count; i++)
            {
                var at = pending[i].FrameInOrigin;
                if (at % _options.Every == 0 && (at >= writeRowsFrom || classifySkipped))
                {
                    labeled.Add(pending[i].Image);
                    labeledIndex.Add(i);
                }
            }

            var predictions = labeled.Count > 0 ? _engine.ClassifyBatch(labeled) : Array.Empty<Prediction>();
            var next = 0;
            for (var i = 0; i < pending.Count; i++)
            {
                var frame = pending[i];
                if (next < labeledIndex.Count && labeledIndex[next] == i)
                {
                    var prediction = predictions[next++];
                    prediction.CopyTo(lastPrediction);
                    havePrediction = true;
                    if (frame.FrameInOrigin >= writeRowsFrom)
                    {
                        rows.Write(input.Name, frame.FrameInOrigin, frame.SourceTimeMs, prediction);
                    }
                }

                if (annotated is not null)
                {
                    _overlay.Frame = frame.FrameInOrigin;
                    _renderer.Draw(frame.Image, havePrediction ? lastPrediction : null, _overlay);
                    annotated.Write(frame.Image);
                }

                source.Return(frame);
            }

            pending.Clear();
            rows.Flush();
            RowsWritten?.Invoke(rows.Rows);
        }
    }

    private static long ProbeFrames(string path)
    {
        if (!File.Exists(path))
        {
            return 0;
        }

        using var capture = new VideoCapture(path);
        return capture.IsOpened() ? (long)Math.Max(0, capture.Get(VideoCaptureProperties.FrameCount)) : 0;
    }
}
