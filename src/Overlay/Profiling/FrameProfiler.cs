using System.Diagnostics;

namespace AlexNet.Realtime.Overlay.Profiling;

/// <summary>
/// Times each stage of each frame into ring buffers allocated once (as osu-framework's
/// PerformanceMonitor does with its pooled frame statistics). A rolling window feeds the overlay's
/// p50/p99; an optional run record keeps every frame for the profile report. Timing a stage is a
/// struct token: nothing is allocated per frame.
/// </summary>
/// <remarks>Single-threaded: the frame loop records, and reads the statistics.</remarks>
public sealed class FrameProfiler
{
    private readonly double[][] _window;
    private readonly double[][] _record;
    private readonly long[][] _recordStarts;
    private readonly long[] _frameStart;
    private readonly long[] _captureStart;
    private readonly long[] _captureEnd;
    private long _currentCaptureStart;
    private long _currentCaptureEnd;
    private readonly double[] _scratch;
    private int _windowCount;
    private int _windowNext;
    private int _recordCount;
    private long _currentFrameStart;

    /// <param name="window">Frames in the rolling window shown by the overlay.</param>
    /// <param name="recordCapacity">Frames kept for a full-run report (0: none).</param>
    public FrameProfiler(int window = 300, int recordCapacity = 0)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(window, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(recordCapacity);
        var stages = Stages.All.Length;
        _window = new double[stages][];
        _record = new double[stages][];
        _recordStarts = new long[stages][];
        for (var s = 0; s < stages; s++)
        {
            _window[s] = new double[window];
            _record[s] = new double[recordCapacity];
            _recordStarts[s] = new long[recordCapacity];
        }

        _frameStart = new long[recordCapacity];
        _captureStart = new long[recordCapacity];
        _captureEnd = new long[recordCapacity];
        _scratch = new double[Math.Max(window, recordCapacity)];
        Current = new double[stages];
        Starts = new long[stages];
    }

    /// <summary>This frame's stage times so far (ms).</summary>
    internal double[] Current { get; }

    /// <summary>This frame's stage start timestamps (for traces).</summary>
    internal long[] Starts { get; }

    public int WindowCount => _windowCount;

    /// <summary>Frames kept in the run record.</summary>
    public int RecordedFrames => _recordCount;

    public void BeginFrame()
    {
        Array.Clear(Current);
        Array.Clear(Starts);
        _currentCaptureStart = 0;
        _currentCaptureEnd = 0;
        _currentFrameStart = Stopwatch.GetTimestamp();
    }

    /// <summary>Times a stage until the token is disposed: <c>using (profiler.Time(Stage.Inference)) { ... }</c>.</summary>
    public StageToken Time(Stage stage) => new(this, stage, Stopwatch.GetTimestamp());

    /// <summary>Adds a measured duration to this frame's stage.</summary>
    public void Record(Stage stage, long startTimestamp, long endTimestamp)
    {
        if (Starts[(int)stage] == 0)
        {
            Starts[(int)stage] = startTimestamp;
        }

        Current[(int)stage] += Stopwatch.GetElapsedTime(startTimestamp, endTimestamp).TotalMilliseconds;
    }

    /// <summary>When the capture thread read this frame (its own track in a trace).</summary>
    public void RecordCapture(long readStart, long readEnd)
    {
        _currentCaptureStart = readStart;
        _currentCaptureEnd = readEnd;
    }

    /// <summary>Closes the frame: its stage times enter the window and, while there is room, the run record.</summary>
    /// <param name="record">False for warm-up frames, which the window shows but the report leaves out.</param>
    public void EndFrame(bool record = true)
    {
        for (var s = 0; s < Current.Length; s++)
        {
            _window[s][_windowNext] = Current[s];
        }

        _windowNext = (_windowNext + 1) % _window[0].Length;
        _windowCount = Math.Min(_windowCount + 1, _window[0].Length);
        if (record && _recordCount < _frameStart.Length)
        {
            for (var s = 0; s < Current.Length; s++)
            {
                _record[s][_recordCount] = Current[s];
                _recordStarts[s][_recordCount] = Starts[s];
            }

            _frameStart[_recordCount] = _currentFrameStart;
            _captureStart[_recordCount] = _currentCaptureStart;
            _captureEnd[_recordCount] = _currentCaptureEnd;
            _recordCount++;
        }
    }

    /// <summary>Statistics over the rolling window (sorted in a buffer allocated once).</summary>
    public StageStats WindowStats(Stage stage) => Stats(_window[(int)stage].AsSpan(0, _windowCount));

    /// <summary>Statistics over the run record.</summary>
    public StageStats RecordStats(Stage stage) => Stats(_record[(int)stage].AsSpan(0, _recordCount));

    /// <summary>The recorded per-frame times of a stage, in frame order.</summary>
    public ReadOnlySpan<double> Recorded(Stage stage) => _record[(int)stage].AsSpan(0, _recordCount);

    /// <summary>The recorded start timestamps of a stage (Stopwatch ticks), in frame order.</summary>
    public ReadOnlySpan<long> RecordedStarts(Stage stage) => _recordStarts[(int)stage].AsSpan(0, _recordCount);

    /// <summary>The recorded frames' start timestamps.</summary>
    public ReadOnlySpan<long> RecordedFrameStarts => _frameStart.AsSpan(0, _recordCount);

    /// <summary>The recorded frames' capture-thread read spans (Stopwatch ticks).</summary>
    public ReadOnlySpan<long> RecordedCaptureStarts => _captureStart.AsSpan(0, _recordCount);

    public ReadOnlySpan<long> RecordedCaptureEnds => _captureEnd.AsSpan(0, _recordCount);


    private StageStats Stats(ReadOnlySpan<double> values)
    {
        var sorted = _scratch.AsSpan(0, values.Length);
        values.CopyTo(sorted);
        sorted.Sort();
        return StageStats.FromSorted(sorted);
    }

    /// <summary>Ends a stage's timing when disposed; a struct, so <c>using</c> allocates nothing.</summary>
    public readonly struct StageToken(FrameProfiler profiler, Stage stage, long start) : IDisposable
    {
        public void Dispose() => profiler.Record(stage, start, Stopwatch.GetTimestamp());
    }
}
