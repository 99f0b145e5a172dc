using System.Diagnostics;
using AlexNet.Realtime.App.Output;
using AlexNet.Realtime.Capture;
using AlexNet.Realtime.Inference.Engine;
using AlexNet.Realtime.Overlay;
using OpenCvSharp;
using FrameSource = AlexNet.Realtime.Capture.FrameSource;

namespace AlexNet.Realtime.App.Labeling;

/// <summary>What a labeling run did.</summary>
internal sealed record LabelSummary(int Files, int Failed, long Frames, long Rows, TimeSpan Elapsed, bool Cancelled)
{
    /// <summary>Rows whose probabilities were not numbers (written with an error field).</summary>
    public long NonFiniteRows { get; init; }

    public double FramesPerSecond => Elapsed > TimeSpan.Zero ? Frames / Elapsed.TotalSeconds : 0;
}

/// <summary>
/// Labels every frame (or every Nth) of each input in order: a capture thread decodes ahead
/// into a bounded queue, the engine takes batches, rows are written and flushed as they come,
/// and an optional annotated copy gets the overlay. A file that can't be read gets an error row
/// and the run goes on.
/// </summary>
/// <remarks>
/// With several engines (lanes of one CPU session, see <see cref="ClassifierEngine.OpenLane"/>),
/// batch k goes to lane k mod n, each on its own thread, and batch k's rows are written once it is
/// done and batch k-1's are: side by side, in order, the same rows as one engine writes.
/// Why one class of about 400 lines: the ordered hand-over between lanes, the per-input error
/// rows and the resume skipping all act on one run's state (the input in hand, its frame count,
/// the batch in flight); the pieces that stand alone are already apart (RowWriter, InputDecoder,
/// BatchLane, Annotation, ResumeState).
/// </remarks>
internal sealed class LabelRunner
{
    private readonly ClassifierEngine _engine;
    private readonly IReadOnlyList<ClassifierEngine> _engines;
    private readonly LabelOptions _options;
    private readonly Action<string> _say;
    private readonly OverlayRenderer _renderer = new();
    private readonly OverlayState _overlay = new() { ShowTiming = false };
    private readonly PredictionSmoother? _smoother;

    /// <param name="engines">The engines that classify batches side by side, one a lane (<see cref="LabelOptions.Lanes"/>); they share a contract.</param>
    public LabelRunner(IReadOnlyList<ClassifierEngine> engines, LabelOptions options, Action<string> say)
    {
        if (engines.Count != options.Lanes)
        {
            throw new ArgumentException($"{options.Lanes} lanes asked for and {engines.Count} engines given", nameof(engines));
        }

        _engines = engines;
        var engine = _engine = engines[0];
        _options = options;
        _say = say;
        Live.OverlayModelInfo.Fill(_overlay, engine);
        _overlay.Smoothing = options.Smoothing;
        _smoother = options.Smoothing > 0 ? new PredictionSmoother(engine.Contract.NumClasses, engine.Contract.TopK, options.Smoothing) : null;
    }

    /// <summary>Told after each batch with the total rows written so far (tests cancel from here).</summary>
    public Action<long>? RowsWritten { get; init; }

    /// <param name="expected">The frames each input holds, from <see cref="CountFrames"/> (0 where unknown).</param>
    /// <param name="firstDecoder">The first input's decoder, if the caller started it already; the runner takes it over.</param>
    public LabelSummary Run(IReadOnlyList<LabelInput> inputs, IReadOnlyList<long> expected, RowWriter rows, ResumeState resume, Func<int, long, ILabelProgress> progressFactory, CancellationToken cancel, InputDecoder? firstDecoder = null)
    {
        var clock = Stopwatch.StartNew();
        var progress = progressFactory(inputs.Count, expected.Sum());
        var failed = 0;
        long frames = 0;
        var files = 0;

        // The next input's decoder, started when the current one has read its whole file.
        (int Index, InputDecoder? Decoder)? ahead = firstDecoder is null ? null : (NextToLabel(0), firstDecoder);
        var batches = _engines.Select(e => new Batch(new BatchLane(e, ownThread: _engines.Count > 1), _options.Batch)).ToArray();
        try
        {
            for (var i = 0; i < inputs.Count && !cancel.IsCancellationRequested; i++)
            {
                var input = inputs[i];
                var doneThrough = resume.DoneThrough(input.Name);
                if (doneThrough == long.MaxValue)
                {
                    continue;
                }

                InputDecoder? decoder = null;
                var following = i + 1;
                files++;
                progress.StartFile(i, input.Name, expected[i]);
                long read = 0;
                string? error;
                try
                {
                    if (ahead is { } next && next.Index == i)
                    {
                        decoder = next.Decoder;
                        ahead = null;
                    }
                    else
                    {
                        decoder = InputDecoder.Start(input, _options.FramesHeld, _options.Batch, _options.Decoder);
                    }

                    using (decoder)
                    {
                        (read, error) = LabelOne(input, decoder, doneThrough, rows, progress, batches, StartNext, cancel);
                    }
                }
                catch (Exception e) when (IsInputProblem(e))
                {
                    // One input that can't be opened, decoded or copied is its own error row; the run goes on.
                    error = InputProblem(e);
                }

                progress.EndFile();
                frames += read;
                if (error is not null && !cancel.IsCancellationRequested)
                {
                    failed++;

                    // Capture's messages lead with the file already; the row names it as its source.
                    var why = error.StartsWith(input.Name + ": ", StringComparison.Ordinal) ? error[(input.Name.Length + 2)..] : error;
                    _say($"{input.Name}: {why}");
                    rows.WriteError(input.Name, why);
                }

                void StartNext()
                {
                    if (ahead is null && NextToLabel(following) is var j and >= 0)
                    {
                        try
                        {
                            ahead = (j, InputDecoder.Start(inputs[j], _options.FramesHeld, _options.Batch, _options.Decoder));
                        }
                        catch (Exception e) when (IsInputProblem(e))
                        {
                            // Not this input's problem: the next one is started again in its turn, and says why there.
                        }
                    }
                }
            }
        }
        finally
        {
            ahead?.Decoder?.Dispose();
            foreach (var batch in batches)
            {
                batch.Lane.Dispose();
            }
        }

        return new LabelSummary(files, failed, frames, rows.Rows, clock.Elapsed, cancel.IsCancellationRequested) { NonFiniteRows = rows.NonFiniteRows };

        int NextToLabel(int from)
        {
            for (var j = from; j < inputs.Count; j++)
            {
                if (resume.DoneThrough(inputs[j].Name) != long.MaxValue)
                {
                    return j;
                }
            }

            return -1;
        }
    }

    /// <summary>
    /// An exception that is this input's own problem (an unreadable, damaged or oversized file, a
    /// copy that can't be made of it), not the run's: a failed write of an output, the engine
    /// failing, or a cancellation ends the run instead; so does a bug (reported as one).
    /// </summary>
    private static bool IsInputProblem(Exception e) =>
        e is not (OutputWriteException or OperationCanceledException or Inference.InferenceException)
        && e.GetType().Namespace?.StartsWith("Microsoft.ML.OnnxRuntime", StringComparison.Ordinal) != true
        && e is CaptureException or OpenCVException or IOException or UnauthorizedAccessException or InvalidDataException
            or FormatException or OutOfMemoryException;

    private static string InputProblem(Exception e) => e switch
    {
        CaptureException or IOException or UnauthorizedAccessException => Inference.ErrorText.FirstLine(e.Message),
        OpenCVException => $"OpenCV: {Inference.ErrorText.FirstLine(e.Message)}",
        OutOfMemoryException => "too large to decode in the memory there is",
        _ => $"{e.GetType().Name}: {Inference.ErrorText.FirstLine(e.Message)}",
    };

    /// <param name="startNext">Called once the input is read to its end, to start the next input's decoder.</param>
    private (long Frames, string? Error) LabelOne(LabelInput input, InputDecoder? decoder, long doneThrough, RowWriter rows, ILabelProgress progress, Batch[] batches, Action startNext, CancellationToken cancel)
    {
        if (decoder is null)
        {
            return (0, "no such file");
        }

        var source = decoder.Source;
        using var annotated = Annotation.For(_options.AnnotatedDirectory, input, source.SourceFramesPerSecond);
        var lastPrediction = Prediction.Create(_engine.Contract.TopK);
        var havePrediction = false;
        long read = 0;
        var writeRowsFrom = doneThrough + 1;

        // Without an annotated copy, frames already in the output are decoded and skipped; with
        // one, the whole file is classified again so its copy is complete, and so it is with
        // smoothing, whose rows depend on the frames before them: a resumed run writes the rows
        // an uninterrupted one would. Batches finish in frame order, so the average runs in it.
        var classifySkipped = annotated is not null || _smoother is not null;
        _smoother?.Reset();
        var filling = 0;
        try
        {
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

                batches[filling].Pending.Add(frame);
                if (batches[filling].Pending.Count == _options.Batch)
                {
                    Start(batches[filling]);
                    filling = (filling + 1) % batches.Length;

                    // Round robin: the lane to fill next holds the oldest batch in flight.
                    if (batches[filling].Lane.Busy)
                    {
                        Finish(batches[filling]);
                    }
                }
            }

            if (batches[filling].Pending.Count > 0)
            {
                Start(batches[filling]);
            }

            for (var k = 1; k <= batches.Length; k++)
            {
                var oldest = batches[(filling + k) % batches.Length];
                if (oldest.Lane.Busy)
                {
                    Finish(oldest);
                }
            }
        }
        finally
        {
            // A batch that failed leaves the others running on frames of this source: wait for
            // them before the source (and its frames) goes.
            foreach (var batch in batches)
            {
                batch.Lane.Drain();
                batch.Pending.Clear();
            }
        }

        if (cancel.IsCancellationRequested)
        {
            return (read, null);
        }

        annotated?.Complete();
        if (read == 0 && input.IsImage && decoder.Unreadable is { } unreadable)
        {
            // The image reader's own reason, without the path the row already names.
            return (0, unreadable);
        }

        if (source.State == SourceState.Failed)
        {
            // Readers name the file they failed on; the row and its line name it already.
            var problem = source.Problem ?? "cannot be read";
            var named = $"{input.Path}: ";
            return (read, problem.StartsWith(named, StringComparison.Ordinal) ? problem[named.Length..] : problem);
        }

        if (read == 0)
        {
            return (0, decoder.Unreadable ?? (input.IsImage ? "cannot be decoded as an image" : "no frames could be decoded (corrupt or empty video)"));
        }

        var declared = input.IsImage ? -1 : source.FrameCount;
        if (FrameShortfall.Problem(read, declared, source.FrameCountIsExact) is { } shortfall)
        {
            return (read, shortfall);
        }

        var missing = declared <= 0 ? 0 : declared - read;

        if (missing > 0)
        {
            _say($"{input.Name}: decoded {read} of the {declared} frames its container declares (an estimate in some formats)");
        }

        return (read, null);

        void Start(Batch batch)
        {
            batch.Labeled.Clear();
            batch.LabeledIndex.Clear();
            for (var i = 0; i < batch.Pending.Count; i++)
            {
                var at = batch.Pending[i].FrameInOrigin;
                if (at % _options.Every == 0 && (at >= writeRowsFrom || classifySkipped))
                {
                    batch.Labeled.Add(batch.Pending[i].Image);
                    batch.LabeledIndex.Add(i);
                }
            }

            batch.Lane.Start(batch.Labeled);
        }

        void Finish(Batch batch)
        {
            var predictions = batch.Lane.Wait();
            var next = 0;
            for (var i = 0; i < batch.Pending.Count; i++)
            {
                var frame = batch.Pending[i];
                if (next < batch.LabeledIndex.Count && batch.LabeledIndex[next] == i)
                {
                    var prediction = predictions[next++];
                    prediction = _smoother?.Update(prediction) ?? prediction;
                    if (annotated is not null)
                    {
                        // The overlay of later unlabeled frames (--every) shows the last answer.
                        prediction.CopyTo(lastPrediction);
                        havePrediction = true;
                    }

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

            batch.Pending.Clear();
            rows.Flush();
            RowsWritten?.Invoke(rows.Rows);
            if (source.State is SourceState.Ended or SourceState.Failed)
            {
                startNext();
            }
        }
    }

    /// <summary>
    /// The frames each input holds, as its container declares them (an image is one frame), for
    /// progress and the ETA: through FFmpeg's libraries in this process when the run decodes with
    /// them (opening a video through OpenCV's reader for its count took about 0.12 s of CPU), else
    /// through OpenCV's reader (the ffmpeg program would mean a process per file). 0 where unknown.
    /// </summary>
    public static long[] CountFrames(IReadOnlyList<LabelInput> inputs, VideoDecoder decoder = VideoDecoder.Auto)
    {
        var counting = CaptureOptions.Resolve(decoder) == VideoDecoder.Libav ? VideoDecoder.Libav : VideoDecoder.OpenCv;
        return inputs.Select(i => i.IsImage ? 1 : ProbeFrames(i.Path, counting)).ToArray();
    }

    private static long ProbeFrames(string path, VideoDecoder decoder)
    {
        if (!File.Exists(path))
        {
            return 0;
        }

        // The reader the run itself would make for this decoder (FrameSource's choice), opened for its count.
        try
        {
            using var reader = FrameSource.CreateReader(SourceSpec.Parse(path), new CaptureOptions { Decoder = decoder });
            reader.Open();
            return Math.Max(0, reader.FrameCount);
        }
        catch (Exception e) when (IsInputProblem(e) || e is InvalidOperationException)
        {
            // A file that can't be opened gets its error line when the run reaches it: counting
            // is for the progress bar, and must not end the run (it runs before the first row).
            return 0;
        }
    }

    /// <summary>A batch being filled, classified or written, and the lane that classifies it.</summary>
    private sealed class Batch(BatchLane lane, int size)
    {
        public BatchLane Lane { get; } = lane;

        public List<CapturedFrame> Pending { get; } = new(size);

        public List<Mat> Labeled { get; } = new(size);

        public List<int> LabeledIndex { get; } = new(size);
    }
}
