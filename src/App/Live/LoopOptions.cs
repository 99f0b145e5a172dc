namespace AlexNet.Realtime.App.Live;

/// <summary>How the frame loop runs: sealed, init-only, checked as set.</summary>
internal sealed class LoopOptions
{
    private readonly long _maxFrames;
    private readonly int _warmupFrames;
    private readonly double _maxFps;

    /// <summary>Stop after this many frames (0: until the source ends or Ctrl-C). Warm-up frames are not counted.</summary>
    public long MaxFrames { get => _maxFrames; init => _maxFrames = value >= 0 ? value : throw new Commands.AppException($"--frames must be 0 or more, got {value}"); }

    /// <summary>Frames run first and left out of the statistics.</summary>
    public int WarmupFrames { get => _warmupFrames; init => _warmupFrames = value >= 0 ? value : throw new Commands.AppException($"--warmup must be 0 or more, got {value}"); }

    /// <summary>Pace the loop to at most this rate (0: as fast as it goes).</summary>
    public double MaxFps { get => _maxFps; init => _maxFps = value >= 0 ? value : throw new Commands.AppException($"--max-fps must be 0 or more, got {value}"); }

    /// <summary>How long to wait for a frame before checking the source's state again.</summary>
    public TimeSpan TakeTimeout { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Where 's' (and the end of the run, when given) saves the overlaid frame.</summary>
    public string? SnapshotPath { get; init; }

    /// <summary>Refresh the overlay's p50/p99 every this many frames.</summary>
    public int StatsEvery { get; init; } = 10;
}
