using OpenCvSharp;

namespace AlexNet.Realtime.Capture;

/// <summary>
/// How a source is opened and watched: sealed, init-only, each value checked as it is set
/// (<see cref="ArgumentOutOfRangeException"/> naming the property; a command line names its flag).
/// </summary>
public sealed class CaptureOptions
{
    private readonly int _width;
    private readonly int _height;
    private readonly double _fps;
    private readonly TimeSpan _readTimeout = TimeSpan.FromSeconds(5);
    private readonly int _queueCapacity = 8;
    private readonly int _maxReconnects = 10;
    private readonly TimeSpan _backoffInitial = TimeSpan.FromMilliseconds(250);
    private readonly TimeSpan _backoffMax = TimeSpan.FromSeconds(5);
    private readonly int _freezeFrames = 150;
    private readonly double _paceFps;

    /// <summary>Overrides the source's default hand-off (latest for live sources, every for files).</summary>
    public HandoffPolicy? Policy { get; init; }

    /// <summary>Requested camera width (0: the camera's default).</summary>
    public int Width { get => _width; init => _width = value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(Width), value, "the requested width must be 0 (the camera's default) or more"); }

    /// <summary>Requested camera height (0: the camera's default).</summary>
    public int Height { get => _height; init => _height = value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(Height), value, "the requested height must be 0 (the camera's default) or more"); }

    /// <summary>Requested camera frame rate, or the synthetic pattern's (0: default).</summary>
    public double Fps { get => _fps; init => _fps = value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(Fps), value, "the requested frame rate must be 0 (the default) or more"); }

    /// <summary>Camera backend: V4L2, DSHOW, MSMF or ANY.</summary>
    public VideoCaptureAPIs CameraApi { get; init; } = VideoCaptureAPIs.ANY;

    /// <summary>What decodes video files (<see cref="VideoDecoder.Auto"/>: the system's FFmpeg libraries (4 to 9) when they load, else OpenCV).</summary>
    public VideoDecoder Decoder { get; init; } = VideoDecoder.Auto;

    /// <summary>
    /// Releases a file's, image list's or pattern's frames no faster than this rate, as a camera
    /// would (0: as fast as they are read). A camera or stream paces itself; this does nothing there.
    /// </summary>
    public double PaceFps
    {
        get => _paceFps;
        init => _paceFps = value is >= 0 and <= 10_000 ? value : throw new ArgumentOutOfRangeException(nameof(PaceFps), value, "the pace must be 0..10000 frames a second");
    }

    /// <summary>Start a file again at its end instead of ending.</summary>
    public bool Loop { get; init; }

    /// <summary>A live source that gives no frame for this long is stalled (and OpenCV's open/read timeout).</summary>
    public TimeSpan ReadTimeout
    {
        get => _readTimeout;
        init => _readTimeout = value > TimeSpan.Zero ? value : throw new ArgumentOutOfRangeException(nameof(ReadTimeout), value, "the read timeout must be positive");
    }

    /// <summary>Frames the every-frame queue holds before the reader waits.</summary>
    public int QueueCapacity
    {
        get => _queueCapacity;
        init => _queueCapacity = value is >= 2 and <= 1024 ? value : throw new ArgumentOutOfRangeException(nameof(QueueCapacity), value, "the queue capacity must be 2..1024 frames");
    }

    /// <summary>Reconnect attempts in a row before a live source is Failed (0: never give up).</summary>
    public int MaxReconnects
    {
        get => _maxReconnects;
        init => _maxReconnects = value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(MaxReconnects), value, "the reconnect limit must be 0 (never give up) or more");
    }

    public TimeSpan BackoffInitial
    {
        get => _backoffInitial;
        init => _backoffInitial = value > TimeSpan.Zero ? value : throw new ArgumentOutOfRangeException(nameof(BackoffInitial), value, "the initial backoff must be positive");
    }

    public TimeSpan BackoffMax
    {
        get => _backoffMax;
        init => _backoffMax = value > TimeSpan.Zero ? value : throw new ArgumentOutOfRangeException(nameof(BackoffMax), value, "the maximum backoff must be positive");
    }

    /// <summary>A live source that returns the same picture this many times in a row is frozen (0: don't check).</summary>
    public int FreezeFrames
    {
        get => _freezeFrames;
        init => _freezeFrames = value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(FreezeFrames), value, "the freeze limit must be 0 (don't check) or more");
    }

    /// <summary>The decoder <see cref="Decoder"/> comes to on this machine: OpenCv, Ffmpeg or Libav.</summary>
    public VideoDecoder ResolvedDecoder => Resolve(Decoder);

    /// <summary>What decodes video files on this machine when <paramref name="decoder"/> is asked for: OpenCv, Ffmpeg or Libav.</summary>
    /// <exception cref="CaptureException">ffmpeg or libav asked for by name, and this machine lacks it.</exception>
    public static VideoDecoder Resolve(VideoDecoder decoder) => decoder switch
    {
        VideoDecoder.Auto => Readers.LibavVideoReader.Available ? VideoDecoder.Libav : VideoDecoder.OpenCv,
        VideoDecoder.Ffmpeg when !Readers.FfmpegTool.DecodesVideoFiles => throw new CaptureException(Readers.FfmpegTool.Available
            ? $"--decoder ffmpeg: this machine's ffmpeg {Readers.FfmpegTool.Version} is older than 5.1; use --decoder opencv"
            : "--decoder ffmpeg: ffmpeg is not installed (apt-get install ffmpeg); or use --decoder opencv"),
        VideoDecoder.Libav when !Readers.LibavVideoReader.Available => throw new CaptureException($"--decoder libav: {Readers.LibavVideoReader.Unavailable}; use --decoder opencv"),
        _ => decoder,
    };

    /// <summary>A decoder by its name (auto, opencv, ffmpeg, libav; any case); null is auto.</summary>
    /// <exception cref="ArgumentException">No decoder has that name.</exception>
    public static VideoDecoder ParseDecoder(string? text) => (text ?? "auto").ToLowerInvariant() switch
    {
        "auto" => VideoDecoder.Auto,
        "opencv" => VideoDecoder.OpenCv,
        "ffmpeg" => VideoDecoder.Ffmpeg,
        "libav" => VideoDecoder.Libav,
        var other => throw new ArgumentException($"no video decoder is named '{other}': auto, opencv, libav or ffmpeg", nameof(text)),
    };

    /// <summary>A camera backend by its name (any, v4l2, dshow, msmf, ffmpeg, gstreamer; any case); null is any.</summary>
    /// <exception cref="ArgumentException">No backend has that name.</exception>
    public static VideoCaptureAPIs ParseCameraApi(string? text) => (text ?? "any").ToLowerInvariant() switch
    {
        "any" => VideoCaptureAPIs.ANY,
        "v4l2" or "v4l" => VideoCaptureAPIs.V4L2,
        "dshow" => VideoCaptureAPIs.DSHOW,
        "msmf" => VideoCaptureAPIs.MSMF,
        "ffmpeg" => VideoCaptureAPIs.FFMPEG,
        "gstreamer" => VideoCaptureAPIs.GSTREAMER,
        var other => throw new ArgumentException($"no camera backend is named '{other}': any, v4l2, dshow, msmf, ffmpeg or gstreamer", nameof(text)),
    };
}
