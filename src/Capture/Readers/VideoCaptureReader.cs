using OpenCvSharp;

namespace AlexNet.Realtime.Capture.Readers;

/// <summary>
/// A camera, video file or network stream through OpenCV's VideoCapture (FFmpeg inside the
/// OpenCvSharp runtime). Decodes straight into the pooled frame's buffer. Open and read timeouts
/// are asked of OpenCV (CAP_PROP_OPEN/READ_TIMEOUT_MSEC) so a dead stream should return instead
/// of hanging the capture thread; the FrameSource watchdog reports a read that does not.
/// </summary>
public sealed class VideoCaptureReader : IFrameReader
{
    private const int OpenTimeoutMsec = 53;
    private const int ReadTimeoutMsec = 54;

    private readonly SourceSpec _spec;
    private readonly CaptureOptions _options;
    private VideoCapture? _capture;
    private long _frameInFile;

    public VideoCaptureReader(SourceSpec spec, CaptureOptions options)
    {
        _spec = spec;
        _options = options;
    }

    public double FramesPerSecond { get; private set; }

    public long FrameCount { get; private set; } = -1;

    public void Open()
    {
        _capture?.Dispose();
        _capture = null;
        var timeoutMs = (int)_options.ReadTimeout.TotalMilliseconds;
        VideoCapture capture;
        if (_spec.Kind == SourceKind.Camera)
        {
            capture = new VideoCapture(_spec.CameraIndex, _options.CameraApi);
        }
        else
        {
            // CAP_PROP_OPEN_TIMEOUT_MSEC (53) and CAP_PROP_READ_TIMEOUT_MSEC (54): OpenCvSharp's enum lacks them.
            capture = new VideoCapture(_spec.Text, VideoCaptureAPIs.ANY, [OpenTimeoutMsec, timeoutMs, ReadTimeoutMsec, timeoutMs]);
        }

        if (!capture.IsOpened())
        {
            capture.Dispose();
            throw new CaptureException(_spec.Kind switch
            {
                SourceKind.Camera => $"camera {_spec.CameraIndex} did not open (is one connected, and free? --camera-api {_options.CameraApi})",
                SourceKind.Stream => $"{_spec.Text}: the stream did not open within {_options.ReadTimeout.TotalSeconds:0.#} s",
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
        var capture = _capture ?? throw new InvalidOperationException("the reader is not open");
        if (!capture.Read(frame.Image) || frame.Image.Empty())
        {
            if (_spec.Kind == SourceKind.VideoFile)
            {
                return false;
            }

            throw new CaptureException($"{_spec.DisplayName}: no frame (disconnected or timed out)");
        }

        frame.SourceTimeMs = _spec.Kind == SourceKind.Camera ? 0 : capture.Get(VideoCaptureProperties.PosMsec);
        frame.Origin = _spec.Text;
        frame.FrameInOrigin = _frameInFile++;
        return true;
    }

    public void Rewind()
    {
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
    }
}
