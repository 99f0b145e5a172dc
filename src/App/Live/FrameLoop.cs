using System.Diagnostics;
using AlexNet.Realtime.Capture;
using AlexNet.Realtime.Inference.Engine;
using AlexNet.Realtime.Overlay;
using AlexNet.Realtime.Overlay.Presenters;
using AlexNet.Realtime.Overlay.Profiling;
using OpenCvSharp;
using FrameSource = AlexNet.Realtime.Capture.FrameSource;

namespace AlexNet.Realtime.App.Live;

/// <summary>
/// The game loop: each frame runs fixed phases (take the newest frame, classify, draw, present,
/// pace), each timed by a token into ring buffers made once. Capture runs on its own thread and
/// overlaps with everything here. Drawing frame N is not overlapped with inference of N+1: on the
/// CPU both want the same cores, and the overlay costs well under a millisecond (see the profile).
/// </summary>
internal sealed class FrameLoop
{
    private readonly FrameSource _source;
    private readonly ClassifierEngine _engine;
    private readonly OverlayRenderer _renderer;
    private readonly IPresenter _presenter;
    private readonly FrameProfiler _profiler;
    private readonly LoopOptions _options;
    private readonly OverlayState _state = new();
    private readonly GcMonitor _gc = new();
    private readonly long[] _frameEnds = new long[60];
    private readonly Prediction _lastPrediction;
    private readonly SteadyLabels? _steady;
    private int _frameEndCount;
    private int _frameEndNext;
    private readonly Action<string>? _say;
    private volatile string? _sourceProblem;

    /// <param name="say">Where the loop tells the person something once (a snapshot's file name); null: nowhere.</param>
    public FrameLoop(FrameSource source, ClassifierEngine engine, OverlayRenderer renderer, IPresenter presenter, FrameProfiler profiler, LoopOptions options, Action<string>? say = null)
    {
        _say = say;
        _source = source;
        _engine = engine;
        _renderer = renderer;
        _presenter = presenter;
        _profiler = profiler;
        _options = options;
        _lastPrediction = Prediction.Create(engine.Contract.TopK);
        OverlayModelInfo.Fill(_state, engine);
        _state.Source = source.Spec.DisplayName;
        _steady = options.Smoothing > 0 ? new SteadyLabels(engine.Contract.NumClasses, engine.Contract.TopK, options.Smoothing) : null;
        _state.Smoothing = options.Smoothing;
        _state.Threshold = (float)options.Threshold;
        source.StateChanged += (state, problem) => _sourceProblem = state is SourceState.Reconnecting or SourceState.Failed ? problem : null;
    }

    public OverlayState State => _state;

    public GcMonitor Gc => _gc;

    /// <summary>The newest answer as shown (smoothed with --smoothing; a copy the loop owns), for status lines.</summary>
    public Prediction LastPrediction => _lastPrediction;

    public long FramesDone { get; private set; }

    /// <summary>The size of the first frame, e.g. "640x480" (a folder of images may hold other sizes).</summary>
    public string FrameSize { get; private set; } = UnknownSize;

    private const string UnknownSize = "?";

    /// <summary>Managed bytes this loop's thread allocated over the counted (post-warm-up) frames.</summary>
    public long LoopThreadAllocatedBytes { get; private set; }

    /// <summary>Managed bytes every thread of the process allocated over the counted frames.</summary>
    public long ProcessAllocatedBytes { get; private set; }

    public LoopResult Run(CancellationToken cancel)
    {
        var clock = Stopwatch.StartNew();
        var frames = 0L;
        var warmup = _options.WarmupFrames;
        var paused = false;
        using var pausedFrame = new Mat();
        var pacingPeriod = _options.MaxFps > 0 ? (long)(Stopwatch.Frequency / _options.MaxFps) : 0;
        var nextDue = Stopwatch.GetTimestamp();
        var input = PresenterInput.None;
        var allocatedAtStart = warmup == 0 ? GC.GetAllocatedBytesForCurrentThread() : 0;
        var processAllocatedAtStart = warmup == 0 ? GC.GetTotalAllocatedBytes(precise: true) : 0;
        while (!cancel.IsCancellationRequested && (_options.MaxFrames == 0 || frames < _options.MaxFrames))
        {
            if ((input & PresenterInput.Quit) != 0)
            {
                break;
            }

            if ((input & PresenterInput.TogglePause) != 0)
            {
                paused = !paused && !pausedFrame.Empty();
                _state.Paused = paused;
                if (paused)
                {
                    // The frame on screen, copied when the key came, now marked: a paused loop takes
                    // no frames (a live source's capture keeps only its newest; a file waits).
                    _renderer.DrawPaused(pausedFrame);
                }
            }

            if ((input & PresenterInput.ToggleTiming) != 0)
            {
                _state.ShowTiming = !_state.ShowTiming;
            }

            if (paused)
            {
                if ((input & PresenterInput.Snapshot) != 0)
                {
                    SaveSnapshot(pausedFrame, NextSnapshotName(), announce: true);
                }

                input = _presenter.Refresh(pausedFrame);
                Thread.Sleep(15);
                continue;
            }

            _profiler.BeginFrame();
            var waitStart = Stopwatch.GetTimestamp();
            if (!_source.TryTake(_options.TakeTimeout, out var frame))
            {
                if (_source.IsFinished)
                {
                    break;
                }

                continue;
            }

            _profiler.Record(Stage.CaptureWait, waitStart, Stopwatch.GetTimestamp());
            _profiler.RecordCapture(frame!.ReadStartTimestamp, frame.CaptureTimestamp);
            try
            {
                Prediction prediction;
                using (_profiler.Time(Stage.Inference))
                {
                    prediction = _engine.Classify(frame!.Image);
                }

                // Outside the inference stage's time (it is the network's); end to end counts it.
                prediction = _steady?.Next(frame.Origin, frame.FrameInOrigin, prediction) ?? prediction;

                prediction.CopyTo(_lastPrediction);
                if (ReferenceEquals(FrameSize, UnknownSize))
                {
                    FrameSize = $"{frame.Image.Cols}x{frame.Image.Rows}";
                }

                UpdateState(frames);
                using (_profiler.Time(Stage.Overlay))
                {
                    _renderer.Draw(frame.Image, prediction, _state);
                }

                using (_profiler.Time(Stage.Present))
                {
                    input = _presenter.Present(frame.Image);
                }

                // The frame goes back to the pool below, so keep a copy of it only when it is needed:
                // for a snapshot or pause now, or because it may be the last frame of the run.
                var mayBeLast = _options.MaxFrames == 0 || frames + 1 >= _options.MaxFrames;
                if ((input & (PresenterInput.Snapshot | PresenterInput.TogglePause)) != 0 || (_options.SnapshotPath is not null && mayBeLast))
                {
                    frame.Image.CopyTo(pausedFrame);
                }

                if ((input & PresenterInput.Snapshot) != 0)
                {
                    SaveSnapshot(pausedFrame, NextSnapshotName(), announce: true);
                }

                _profiler.Record(Stage.EndToEnd, frame.CaptureTimestamp, Stopwatch.GetTimestamp());
            }
            finally
            {
                _source.Return(frame!);
            }

            var counted = warmup == 0;
            _profiler.EndFrame(record: counted);
            if (counted)
            {
                frames++;
                FramesDone = frames;
            }
            else
            {
                warmup--;
                if (warmup == 0)
                {
                    _gc.Reset();
                    clock.Restart();
                    allocatedAtStart = GC.GetAllocatedBytesForCurrentThread();
                    processAllocatedAtStart = GC.GetTotalAllocatedBytes(precise: true);
                }
            }

            MarkFrameEnd();
            if (pacingPeriod > 0)
            {
                nextDue += pacingPeriod;
                var now = Stopwatch.GetTimestamp();
                if (nextDue > now)
                {
                    Thread.Sleep(Stopwatch.GetElapsedTime(now, nextDue));
                }
                else
                {
                    nextDue = now;
                }
            }
        }

        clock.Stop();
        LoopThreadAllocatedBytes = GC.GetAllocatedBytesForCurrentThread() - allocatedAtStart;
        ProcessAllocatedBytes = GC.GetTotalAllocatedBytes(precise: true) - processAllocatedAtStart;
        if (_options.SnapshotPath is { } path && !pausedFrame.Empty())
        {
            SaveSnapshot(pausedFrame, path, announce: false);
        }

        return new LoopResult(frames, clock.Elapsed, _source.Dropped, _source.State, _source.Problem, cancel.IsCancellationRequested);
    }

    private void UpdateState(long frames)
    {
        _state.Frame = frames;
        _state.Dropped = _source.Dropped;
        _state.Problem = _sourceProblem;
        _state.FramesPerSecond = FramesPerSecond();
        if (frames % _options.StatsEvery == 0 || _profiler.WindowCount < _options.StatsEvery)
        {
            foreach (var stage in Stages.All)
            {
                _state[stage] = _profiler.WindowStats(stage);
            }

            _state.GcPauseMs = _gc.PauseMs;
        }
    }

    private void MarkFrameEnd()
    {
        _frameEnds[_frameEndNext] = Stopwatch.GetTimestamp();
        _frameEndNext = (_frameEndNext + 1) % _frameEnds.Length;
        _frameEndCount = Math.Min(_frameEndCount + 1, _frameEnds.Length);
    }

    private double FramesPerSecond()
    {
        if (_frameEndCount < 2)
        {
            return 0;
        }

        var newest = _frameEnds[(_frameEndNext - 1 + _frameEnds.Length) % _frameEnds.Length];
        var oldest = _frameEnds[(_frameEndNext - _frameEndCount + _frameEnds.Length) % _frameEnds.Length];
        var seconds = Stopwatch.GetElapsedTime(oldest, newest).TotalSeconds;
        return seconds > 0 ? (_frameEndCount - 1) / seconds : 0;
    }

    /// <summary>A name for the snapshot 's' takes: beside <c>--snapshot</c> if given, else in the working folder; never an existing file.</summary>
    private string NextSnapshotName()
    {
        var folder = _options.SnapshotPath is { } given ? Path.GetDirectoryName(Path.GetFullPath(given))! : Environment.CurrentDirectory;
        var stamp = DateTime.Now.ToString("yyyyMMdd-HHmmss", System.Globalization.CultureInfo.InvariantCulture);
        var path = Path.Combine(folder, $"snapshot-{stamp}.png");
        for (var n = 2; File.Exists(path); n++)
        {
            path = Path.Combine(folder, $"snapshot-{stamp}-{n}.png");
        }

        return path;
    }

    /// <summary>
    /// Encodes the image in memory (its format from the name) and writes it whole under a new
    /// temporary name, renamed when complete (<see cref="Output.OutputFile"/>); a failure of a
    /// snapshot taken with 's' is said, not thrown mid-run.
    /// </summary>
    private void SaveSnapshot(Mat frame, string path, bool announce)
    {
        var full = Path.GetFullPath(path);
        try
        {
            var extension = Path.GetExtension(full) is { Length: > 1 } given ? given : ".png";
            if (!Cv2.ImEncode(extension, frame, out var encoded))
            {
                throw new IOException($"OpenCV cannot write {extension} images");
            }

            Output.OutputFile.Write(full, encoded, announce ? null : "--snapshot");
            if (announce)
            {
                _say?.Invoke($"snapshot: {full}");
            }
        }
        catch (Exception e) when (announce && e is IOException or UnauthorizedAccessException or OpenCVException or Output.OutputWriteException)
        {
            _say?.Invoke($"snapshot {full}: {Inference.ErrorText.OneLine(e.Message)}");
        }
    }
}
