using OpenCvSharp;

namespace AlexNet.Realtime.Capture.Readers;

/// <summary>
/// A camera, video file or network stream through OpenCV's VideoCapture (FFmpeg inside the
/// OpenCvSharp runtime). Decodes straight into the pooled frame's buffer. Open and read timeouts
/// are asked of OpenCV (CAP_PROP_OPEN/READ_TIMEOUT_MSEC) so a dead stream should return instead
/// of hanging the capture thread; the FrameSource watchdog reports a read that does not.
/// </summary>
/// <remarks>
/// A video file whose frame size changes mid-stream is more than this reader can follow (see
/// <see cref="StaleFrameDetector"/>). Where a keyframe repeats the frame before it, a second
/// VideoCapture sought to that frame tells a still video (the same pixels) from a size change
/// (other pixels: its converter is made there, for the new size). After a size change the reader
/// given as <c>takeOver</c> (FFmpeg's, which follows such changes) opens the file, passes over
/// the frames already read and reads on; without one, the read fails with that reason rather than
/// repeat a frame for the rest of the file.
/// </remarks>
public sealed class VideoCaptureReader : IFrameReader
{
    private const int OpenTimeoutMsec = 53;
    private const int ReadTimeoutMsec = 54;

    // CAP_PROP_FRAME_TYPE: the decoded picture's type as a character ('I', 'P', 'B').
    private const int FrameTypeProperty = 69;

    // Frames from one check of a still run for a size change hidden in it to the next: from the
    // first, doubling to the last (see Read).
    private const int FirstStillRecheck = 5;
    private const int LastStillRecheck = 320;

    private readonly SourceSpec _spec;
    private readonly CaptureOptions _options;
    private readonly Func<IFrameReader?>? _takeOver;
    private readonly StaleFrameDetector _stale = new();
    private VideoCapture? _capture;
    private IFrameReader? _successor;
    private long _frameInFile;
    private bool? _countIsExact;
    private long _stillCheckedAt = -1;
    private bool _previousWasKeyFrame;
    private int _stillRecheck = FirstStillRecheck;

    /// <param name="spec">The camera, file or stream.</param>
    /// <param name="options">Timeouts, and a camera's size and rate.</param>
    /// <param name="takeOver">Makes the reader that reads on when a video file's frame size changes, or gives null when none can be made here (null: none); the reader made is owned by this one.</param>
    public VideoCaptureReader(SourceSpec spec, CaptureOptions options, Func<IFrameReader?>? takeOver = null)
    {
        _spec = spec;
        _options = options;
        _takeOver = takeOver;
    }

    /// <summary>
    /// OpenCV gives the container's count where there is one and an estimate where not, without
    /// saying which: FFmpeg's libraries, where they load, are asked once (after a hand-over, the
    /// reader that took over says); without them a count is taken as an estimate.
    /// </summary>
    public bool FrameCountIsExact => _successor?.FrameCountIsExact ?? (_countIsExact ??= CountIsExactByLibav());

    /// <summary>The reader that took over after a change of frame size, or null.</summary>
    public IFrameReader? Successor => _successor;

    public double FramesPerSecond { get; private set; }

    public long FrameCount { get; private set; } = -1;

    public void Open()
    {
        _capture?.Dispose();
        _capture = null;
        _successor?.Dispose();
        _successor = null;
        _stale.Reset();
        _stillCheckedAt = -1;
        _previousWasKeyFrame = false;
        _stillRecheck = FirstStillRecheck;
        var opening = System.Diagnostics.Stopwatch.GetTimestamp();
        var capture = _spec.Kind == SourceKind.Camera ? new VideoCapture(_spec.CameraIndex, _options.CameraApi) : OpenFileOrStream();

        if (!capture.IsOpened())
        {
            capture.Dispose();
            throw new CaptureException(_spec.Kind switch
            {
                SourceKind.Camera => $"camera {_spec.CameraIndex} did not open (is one connected, and free? --camera-api {_options.CameraApi})",
                SourceKind.Stream => StreamNotOpened(System.Diagnostics.Stopwatch.GetElapsedTime(opening)),
                _ => $"{_spec.Text}: cannot be opened as a video (corrupt, truncated or an unknown format)",
            });
        }

        if (_spec.Kind == SourceKind.Camera)
        {
            if (_options.Width > 0)
            {
                capture.Set(VideoCaptureProperties.FrameWidth, _options.Width);
            }

            if (_options.Height > 0)
            {
                capture.Set(VideoCaptureProperties.FrameHeight, _options.Height);
            }

            if (_options.Fps > 0)
            {
                capture.Set(VideoCaptureProperties.Fps, _options.Fps);
            }
        }

        FramesPerSecond = capture.Get(VideoCaptureProperties.Fps);
        var count = capture.Get(VideoCaptureProperties.FrameCount);
        FrameCount = _spec.Kind == SourceKind.VideoFile && count > 0 ? (long)count : -1;
        _capture = capture;
        _frameInFile = 0;
    }

    public bool Read(CapturedFrame frame)
    {
        ArgumentNullException.ThrowIfNull(frame);
        if (_successor is { } successor)
        {
            return successor.Read(frame);
        }

        var capture = _capture ?? throw new InvalidOperationException("the reader is not open");
        if (!capture.Read(frame.Image) || frame.Image.Empty())
        {
            if (_spec.Kind == SourceKind.VideoFile)
            {
                return false;
            }

            throw new CaptureException($"{_spec.DisplayName}: no frame (disconnected or timed out)");
        }

        if (_spec.Kind == SourceKind.VideoFile)
        {
            var keyFrame = capture.Get((VideoCaptureProperties)FrameTypeProperty) == 'I';
            var stale = _stale.IsStale(frame.Image, keyFrame);
            var afterKeyFrame = _previousWasKeyFrame;
            _previousWasKeyFrame = keyFrame;
            if (!_stale.Repeated)
            {
                _stillCheckedAt = -1;
                _stillRecheck = FirstStillRecheck;
            }

            // A run of repeats is first checked at its first repeating keyframe. A size change in
            // the middle of a still run (a broadcast switching at black) passes that check and
            // repeats on once the picture moves, at a keyframe or not; so the run is checked again
            // at each repeating keyframe (but in an all-intra video, each frame a keyframe), and
            // at 5, 10, 20, ... frames after the last check, each check a second open and seek.
            var due = _stillCheckedAt < 0
                ? stale
                : (stale && !afterKeyFrame) || (_stale.Repeated && _frameInFile - _stillCheckedAt >= _stillRecheck);
            if (due)
            {
                if (!AFreshReadGivesTheSame(frame.Image))
                {
                    return _takeOver?.Invoke() is { } next ? HandOver(next, frame) : throw SizeChangeNotFollowed();
                }

                _stillCheckedAt = _frameInFile;
                _stillRecheck = Math.Min(_stillRecheck * 2, LastStillRecheck);
            }
        }

        frame.SourceTimeMs = _spec.Kind == SourceKind.Camera ? 0 : capture.Get(VideoCaptureProperties.PosMsec);
        frame.Origin = _spec.Text;
        frame.FrameInOrigin = _frameInFile++;
        return true;
    }

    public void Rewind()
    {
        if (_successor is { } successor)
        {
            successor.Rewind();
            return;
        }

        if (_capture is { } capture && capture.Set(VideoCaptureProperties.PosFrames, 0) && capture.Get(VideoCaptureProperties.PosFrames) == 0)
        {
            _frameInFile = 0;
            return;
        }

        Open();
    }

    public void Dispose()
    {
        _capture?.Dispose();
        _capture = null;
        _successor?.Dispose();
        _successor = null;
    }

    /// <summary>Opens the reader that follows the size change, passes over the frames read so far and reads the frame OpenCV could not.</summary>
    private bool HandOver(IFrameReader next, CapturedFrame frame)
    {
        var at = _frameInFile;
        try
        {
            next.Open();
            var passed = next.Skip(at, frame);
            if (passed < at)
            {
                throw new CaptureException($"{_spec.DisplayName}: the frame size changes at frame {at}, but the reader that follows it found only {passed} frames before it");
            }
        }
        catch
        {
            next.Dispose();
            throw;
        }

        _capture?.Dispose();
        _capture = null;
        _successor = next;
        return next.Read(frame);
    }

    /// <summary>
    /// Whether a second VideoCapture, sought to the frame just read, gives the same pixels. Its
    /// converter is made at that frame, for the size the decoder has then: after a change of size
    /// it gives the new picture (cut to the first size), where this reader repeats the old one.
    /// </summary>
    private bool AFreshReadGivesTheSame(Mat image)
    {
        using var fresh = OpenFileOrStream();
        using var again = new Mat();
        return fresh.IsOpened()
            && fresh.Set(VideoCaptureProperties.PosFrames, _frameInFile)
            && fresh.Read(again)
            && again.Size() == image.Size()
            && again.Type() == image.Type()
            && Cv2.Norm(again, image, NormTypes.L1) == 0;
    }

    /// <summary>
    /// Why a stream did not open. OpenCV says only that it did not, so the server is asked: a
    /// refused connection or an unknown host fails in milliseconds, and is said so rather than as
    /// a timeout that never ran (every retry of a refused rtsp stream used to say "did not open
    /// within 5 s"). A timeout is said only when the open took that long.
    /// </summary>
    private string StreamNotOpened(TimeSpan took)
    {
        if (StreamConnection.Problem(_spec.Text, _options.ReadTimeout) is { } unreachable)
        {
            return unreachable;
        }

        // Short of the timeout by more than a scheduler's slack: OpenCV gave up by itself.
        return took >= _options.ReadTimeout * 0.9
            ? $"{_spec.Text}: the stream did not open within {_options.ReadTimeout.TotalSeconds:0.#} s"
            : $"{_spec.Text}: OpenCV's reader could not open the stream";
    }

    private CaptureException SizeChangeNotFollowed() => new(
        $"{_spec.DisplayName}: the frame size changes {(_stillCheckedAt < 0 ? $"at frame {_frameInFile}" : $"between frames {_stillCheckedAt} and {_frameInFile}")}, which OpenCV's reader cannot follow (it repeats the frame before); "
        + "install FFmpeg (its libraries or the ffmpeg program) to read this video");

    private VideoCapture OpenFileOrStream()
    {
        // CAP_PROP_OPEN_TIMEOUT_MSEC (53) and CAP_PROP_READ_TIMEOUT_MSEC (54): OpenCvSharp's enum lacks them.
        var timeoutMs = (int)_options.ReadTimeout.TotalMilliseconds;
        return new VideoCapture(_spec.Text, VideoCaptureAPIs.ANY, [OpenTimeoutMsec, timeoutMs, ReadTimeoutMsec, timeoutMs]);
    }

    private bool CountIsExactByLibav()
    {
        if (_spec.Kind != SourceKind.VideoFile || FrameCount <= 0 || !LibavVideoReader.Available)
        {
            return false;
        }

        try
        {
            using var probe = new LibavVideoReader(_spec.Text, _spec.Text);
            probe.Open();
            return probe.FrameCountIsExact && probe.FrameCount == FrameCount;
        }
        catch (CaptureException)
        {
            return false;
        }
    }
}
