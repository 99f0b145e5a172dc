using System.Diagnostics;
using AlexNet.Realtime.Capture.Handoff;
using AlexNet.Realtime.Capture.Readers;
using OpenCvSharp;

namespace AlexNet.Realtime.Capture;

/// <summary>
/// A source of frames read on its own thread. Live sources hand over the newest frame (drops
/// counted); files hand over every frame in order. A live source that fails, stalls or freezes
/// is opened again with exponential backoff, and its state says so.
/// </summary>
/// <remarks>
/// The source owns its reader (VideoCapture inside), its thread and its frame pool. Frames taken
/// with <see cref="TryTake"/> belong to the pool: give each back with <see cref="Return"/>
/// (latest-frame-wins: before the next take).
/// Why one class of about 370 lines: the capture thread, the stall watchdog and the callers that
/// read <see cref="State"/> share one state (frames read, last frame's time, backoff, problem)
/// under one gate; split, each part would reach into the others' fields.
/// </remarks>
public sealed class FrameSource : IDisposable
{
    private readonly IFrameReader _reader;
    private readonly CaptureOptions _options;
    private readonly IFrameHandoff _handoff;
    private readonly CancellationTokenSource _stop = new();
    private readonly FreezeDetector _freeze;
    private readonly bool _reconnects;
    private readonly IFrameMemory? _frameMemory;
    private readonly Lock _stateGate = new();
    private Thread? _thread;
    private long _framesRead;
    private long _readStarted;
    private long _lastFrameAt;
    private long _openedAt;
    private Timer? _watchdog;
    private bool _disposed;

    /// <param name="reader">The reader to use instead of the one the spec implies (tests use fakes).</param>
    /// <param name="onUnreadable">Told (file, reason) for each image of a list that can't be decoded.</param>
    /// <param name="frameMemory">Where the pool's frames keep their pixels (a CUDA engine's page-locked memory); null: OpenCV's memory.</param>
    public FrameSource(SourceSpec spec, CaptureOptions? options = null, IFrameReader? reader = null, Action<string, string>? onUnreadable = null, IFrameMemory? frameMemory = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        Spec = spec;
        _frameMemory = frameMemory;
        _options = options ?? new CaptureOptions();
        _reader = reader ?? CreateReader(spec, _options, onUnreadable);
        Policy = _options.Policy ?? spec.DefaultPolicy;
        _handoff = Policy == HandoffPolicy.Latest ? new LatestFrameHandoff() : new QueueHandoff(_options.QueueCapacity);
        _reconnects = spec.IsLive;
        _freeze = new FreezeDetector(spec.IsLive ? _options.FreezeFrames : 0);
    }

    public SourceSpec Spec { get; }

    public HandoffPolicy Policy { get; }

    public SourceState State { get; private set; } = SourceState.Connecting;

    /// <summary>Why the source is reconnecting or failed; null while all is well.</summary>
    public string? Problem { get; private set; }

    /// <summary>Raised on the capture thread (or the stall watchdog) when the state changes.</summary>
    public event Action<SourceState, string?>? StateChanged;

    /// <summary>Frames read from the source, including ones dropped before they were taken.</summary>
    public long FramesRead => Interlocked.Read(ref _framesRead);

    /// <summary>Frames replaced by a newer one before the consumer took them.</summary>
    public long Dropped => _handoff.Dropped;

    /// <summary>Times the source was opened again after a failure.</summary>
    public int Reconnects { get; private set; }

    public double SourceFramesPerSecond => _reader.FramesPerSecond;

    /// <summary>Frames in the source when known (files), else -1.</summary>
    public long FrameCount => _reader.FrameCount;

    /// <summary>Whether <see cref="FrameCount"/> is the container's own count, not an estimate (see <see cref="IFrameReader.FrameCountIsExact"/>).</summary>
    public bool FrameCountIsExact => _reader.FrameCountIsExact;

    /// <summary>True once the source has ended, failed or stopped and every frame was taken.</summary>
    public bool IsFinished => _handoff.IsDrained;

    public static IFrameReader CreateReader(SourceSpec spec, CaptureOptions options, Action<string, string>? onUnreadable = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(options);
        return spec.Kind switch
        {
            SourceKind.Synthetic => new SyntheticPatternReader(options.Width, options.Height, options.Fps),
            SourceKind.ImageFile or SourceKind.ImageFolder or SourceKind.ImageGlob => new ImageSequenceReader(spec.Files!, onUnreadable),
            SourceKind.Stream when spec.Text.StartsWith("http", StringComparison.OrdinalIgnoreCase) => new FallbackReader(
                new MjpegHttpReader(new Uri(spec.Text), options.ReadTimeout), new VideoCaptureReader(spec, options), new FfmpegPipeReader(spec.Text, options.ReadTimeout)),
            SourceKind.Stream => new FallbackReader(new VideoCaptureReader(spec, options), new FfmpegPipeReader(spec.Text, options.ReadTimeout)),
            SourceKind.VideoFile when options.ResolvedDecoder == VideoDecoder.Ffmpeg => new FfmpegVideoReader(spec.Text, spec.Text, options.ReadTimeout),
            SourceKind.VideoFile when options.ResolvedDecoder == VideoDecoder.Libav => new LibavVideoReader(spec.Text, spec.Text),
            SourceKind.VideoFile => new VideoCaptureReader(spec, options, SizeChangeReader(spec, options)),
            _ => new VideoCaptureReader(spec, options),
        };
    }

    /// <summary>
    /// What reads on when OpenCV's reader meets a change of frame size: FFmpeg's libraries, else
    /// the ffmpeg program, else nothing (null). Asked only then: finding the program runs it.
    /// </summary>
    private static Func<IFrameReader?> SizeChangeReader(SourceSpec spec, CaptureOptions options) => () =>
        LibavVideoReader.Available ? new LibavVideoReader(spec.Text, spec.Text)
        : FfmpegVideoReader.Installed ? new FfmpegVideoReader(spec.Text, spec.Text, options.ReadTimeout)
        : null;

    public void Start()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_thread is not null)
        {
            return;
        }

        _thread = new Thread(Run) { IsBackground = true, Name = $"capture: {Spec.DisplayName}" };
        _thread.Start();
        if (_reconnects)
        {
            var period = TimeSpan.FromMilliseconds(Math.Clamp(_options.ReadTimeout.TotalMilliseconds / 4, 10, 1000));
            _watchdog = new Timer(_ => CheckStall(), null, period, period);
        }
    }

    /// <summary>The next frame, waiting up to <paramref name="timeout"/>. False on timeout, or once the source is finished.</summary>
    public bool TryTake(TimeSpan timeout, out CapturedFrame? frame) => _handoff.TryTake(timeout, out frame);

    /// <summary>Gives a taken frame back to the pool.</summary>
    public void Return(CapturedFrame frame)
    {
        ArgumentNullException.ThrowIfNull(frame);
        _handoff.Return(frame);
    }

    /// <summary>Stops reading; a waiting consumer wakes. The thread is joined by <see cref="Dispose"/>.</summary>
    public void Stop()
    {
        if (!_stop.IsCancellationRequested)
        {
            _stop.Cancel();
        }

        _handoff.Complete();
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        Stop();
        _watchdog?.Dispose();

        // A native read blocked past its own timeout cannot be interrupted safely; the reader
        // and buffers are then left to the (background) thread rather than freed under it.
        var joined = _thread is null || _thread.Join(_options.ReadTimeout + TimeSpan.FromSeconds(2));
        if (joined)
        {
            _reader.Dispose();
            _handoff.Dispose();
        }

        _stop.Dispose();
    }

    private void Run()
    {
        var backoff = _options.BackoffInitial;
        var failures = 0;
        while (!_stop.IsCancellationRequested)
        {
            string? problem;
            try
            {
                SetState(Reconnects == 0 && failures == 0 ? SourceState.Connecting : SourceState.Reconnecting, Problem);

                // A FIFO would block the reader's open, deaf to a stop; a device would never end.
                if (Spec.Kind == SourceKind.VideoFile && LocalFile.NotARegularFile(Spec.Text) is { } notAFile)
                {
                    throw new CaptureException($"{Spec.Text}: {notAFile}");
                }

                _reader.Open();
                _freeze.Reset();
                _openedAt = Stopwatch.GetTimestamp();
                SetState(SourceState.Running, null);
                problem = ReadUntilProblem(ref failures, ref backoff);
                if (problem is null)
                {
                    return;
                }
            }
            catch (CaptureException e)
            {
                problem = e.Message;
            }
            catch (OpenCVException e)
            {
                problem = $"{Spec.DisplayName}: OpenCV: {FirstLine.Of(e.Message)}";
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // Never let the capture thread take the process down: an unexpected failure
                // ends the source with the reason instead.
                SetState(SourceState.Failed, $"{Spec.DisplayName}: {e.GetType().Name}: {FirstLine.Of(e.Message)}");
                _handoff.Complete();
                return;
            }

            if (_stop.IsCancellationRequested)
            {
                break;
            }

            failures++;
            if (!_reconnects || (_options.MaxReconnects > 0 && failures > _options.MaxReconnects))
            {
                SetState(SourceState.Failed, _reconnects ? $"{problem} (gave up after {failures - 1} reconnects)" : problem);
                _handoff.Complete();
                return;
            }

            SetState(SourceState.Reconnecting, string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{problem}; retrying in {backoff.TotalSeconds:0.##} s"));
            if (_stop.Token.WaitHandle.WaitOne(backoff))
            {
                break;
            }

            backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, _options.BackoffMax.Ticks));
            Reconnects++;
        }

        SetState(SourceState.Stopped, null);
        _handoff.Complete();
    }

    /// <summary>Reads until the end (null) or a problem (its description).</summary>
    private string? ReadUntilProblem(ref int failures, ref TimeSpan backoff)
    {
        var pacePeriod = _options.PaceFps > 0 && !Spec.IsLive ? (long)(Stopwatch.Frequency / _options.PaceFps) : 0;
        var nextDue = Stopwatch.GetTimestamp();
        while (!_stop.IsCancellationRequested)
        {
            if (pacePeriod > 0)
            {
                // A frame no sooner than a camera would give it; late (a slow reader or consumer),
                // the next one is due a period after now, not in a burst to catch up.
                var beforeWait = Stopwatch.GetTimestamp();
                if (nextDue > beforeWait)
                {
                    if (_stop.Token.WaitHandle.WaitOne(Stopwatch.GetElapsedTime(beforeWait, nextDue)))
                    {
                        break;
                    }
                }
                else
                {
                    nextDue = beforeWait;
                }

                nextDue += pacePeriod;
            }

            var frame = _handoff.Rent(_stop.Token);
            if (frame is null)
            {
                break;
            }

            var readStart = Stopwatch.GetTimestamp();
            Interlocked.Exchange(ref _readStarted, readStart);
            bool got;
            try
            {
                got = _reader.Read(frame);
            }
            catch
            {
                _handoff.Abandon(frame);
                throw;
            }
            finally
            {
                Interlocked.Exchange(ref _readStarted, 0);
            }

            var now = Stopwatch.GetTimestamp();
            if (!got)
            {
                _handoff.Abandon(frame);
                if (_options.Loop && FramesRead > 0)
                {
                    _reader.Rewind();
                    continue;
                }

                SetState(SourceState.Ended, null);
                _handoff.Complete();
                return null;
            }

            if (_reconnects && Stopwatch.GetElapsedTime(LastFrameOrOpen(), now) > _options.ReadTimeout)
            {
                _handoff.Abandon(frame);
                return $"{Spec.DisplayName}: stalled (no frame for {Stopwatch.GetElapsedTime(LastFrameOrOpen(), now).TotalSeconds:0.0} s)";
            }

            if (_freeze.IsFrozen(frame.Image))
            {
                _handoff.Abandon(frame);
                return $"{Spec.DisplayName}: frozen (the same picture {_options.FreezeFrames} times in a row)";
            }

            if (_frameMemory is not null)
            {
                try
                {
                    frame.KeepIn(_frameMemory);
                }
                catch
                {
                    _handoff.Abandon(frame);
                    throw;
                }
            }

            frame.Sequence = Interlocked.Increment(ref _framesRead) - 1;
            frame.CaptureTimestamp = now;
            frame.ReadStartTimestamp = readStart;
            if (Spec.Kind == SourceKind.Camera)
            {
                frame.SourceTimeMs = Stopwatch.GetElapsedTime(_openedAt, now).TotalMilliseconds;
            }

            Interlocked.Exchange(ref _lastFrameAt, now);
            _handoff.Publish(frame);
            if (State != SourceState.Running)
            {
                SetState(SourceState.Running, null);
            }

            failures = 0;
            backoff = _options.BackoffInitial;
        }

        return null;
    }

    private long LastFrameOrOpen() => Math.Max(Interlocked.Read(ref _lastFrameAt), _openedAt);

    /// <summary>The watchdog: a read that has not returned within the timeout is reported at once.</summary>
    private void CheckStall()
    {
        var started = Interlocked.Read(ref _readStarted);
        if (started == 0 || State != SourceState.Running)
        {
            return;
        }

        var waited = Stopwatch.GetElapsedTime(started);
        if (waited > _options.ReadTimeout)
        {
            SetState(SourceState.Reconnecting, $"{Spec.DisplayName}: stalled (no frame for {waited.TotalSeconds:0.0} s)");
        }
    }

    private void SetState(SourceState state, string? problem)
    {
        lock (_stateGate)
        {
            if (State == state && Problem == problem)
            {
                return;
            }

            State = state;
            Problem = problem;
        }

        StateChanged?.Invoke(state, problem);
    }
}
