namespace AlexNet.Realtime.App.Live;

/// <summary>How the frame loop runs: sealed, init-only, checked as set.</summary>
internal sealed class LoopOptions
{
    private readonly long _maxFrames;
    private readonly int _warmupFrames;
    private readonly double _maxFps;
    private readonly double _smoothing;
    private readonly double _threshold;

    /// <summary>
    /// <c>live</c>'s <c>--smoothing</c> when not given. At 30 frames/s, 0.8 shows half of a change of
    /// scene within 3 frames (0.1 s) and 90% within 10 (a third of a second): a ranking that
    /// flickers between near-equal classes settles, and pointing the camera elsewhere still
    /// reads at once. 0.9 lags twice as long; 0.6 reaches 90% within 5 frames, so averages
    /// over fewer. Chosen by these time constants, not by a user study.
    /// </summary>
    public const double LiveSmoothing = 0.8;

    /// <summary>Stop after this many frames (0: until the source ends or Ctrl-C). Warm-up frames are not counted.</summary>
    public long MaxFrames { get => _maxFrames; init => _maxFrames = value >= 0 ? value : throw new Commands.AppException($"--frames must be 0 or more, got {value}"); }

    /// <summary>Frames run first and left out of the statistics.</summary>
    public int WarmupFrames { get => _warmupFrames; init => _warmupFrames = value >= 0 ? value : throw new Commands.AppException($"--warmup must be 0 or more, got {value}"); }

    /// <summary>Pace the loop to at most this rate (0: as fast as it goes).</summary>
    public double MaxFps { get => _maxFps; init => _maxFps = value >= 0 ? value : throw new Commands.AppException($"--max-fps must be 0 or more, got {value}"); }

    /// <summary>
    /// The weight of the past in a moving average of the labels' probabilities across frames:
    /// 0 (the default here) shows each frame's own answer; up to but not including 1.
    /// </summary>
    public double Smoothing { get => _smoothing; init => _smoothing = Commands.SteadyLabelOptions.CheckSmoothing(value); }

    /// <summary>Labels below this probability are not shown (0: all of the top K).</summary>
    public double Threshold { get => _threshold; init => _threshold = Commands.SteadyLabelOptions.CheckThreshold(value); }

    /// <summary>How long to wait for a frame before checking the source's state again.</summary>
    public TimeSpan TakeTimeout { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Where 's' (and the end of the run, when given) saves the overlaid frame.</summary>
    public string? SnapshotPath { get; init; }

    /// <summary>Refresh the overlay's p50/p99 every this many frames.</summary>
    public int StatsEvery { get; init; } = 10;
}
