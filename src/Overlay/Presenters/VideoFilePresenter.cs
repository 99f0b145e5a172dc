using OpenCvSharp;
using OpenCvSharp.Internal;

namespace AlexNet.Realtime.Overlay.Presenters;

/// <summary>
/// Records the overlaid frames to a video file (<c>--record out.mp4</c>). Frames go to a hidden
/// temporary file beside the target, renamed when <see cref="Complete"/> finalizes it, so an
/// interrupted run never leaves a half-written video under the requested name, and a video that
/// can't be read back whole (a full disk) is an error, not a file players reject.
/// Owns its VideoWriter and the native input proxies it writes through.
/// </summary>
/// <remarks>
/// <c>VideoWriter.Write</c> takes an <c>InputArray</c>, which a <see cref="Mat"/> becomes through a
/// new managed wrapper (with a finalizer) on every call. A frame loop hands over the same few Mats
/// (its frame pool), so the native proxy of each is made once, through OpenCvSharp's public
/// <see cref="NativeMethods"/>, and a frame is written without allocating. (A frame of another
/// size than the first, fitted with <c>Cv2.Resize</c>, does allocate: a folder of photos, where
/// each frame is a whole image decode anyway.)
/// </remarks>
public sealed class VideoFilePresenter : IPresenter
{
    // More distinct Mats than a frame pool holds; past this the oldest proxy is let go.
    private const int MaxProxies = 8;

    private readonly string _path;
    private readonly string _temp;
    private readonly double _fps;
    private readonly List<(Mat Frame, IntPtr Proxy)> _proxies = [];
    private VideoWriter? _writer;
    private Size _size;
    private Mat? _canvas;

    public VideoFilePresenter(string path, double fps)
    {
        _path = Path.GetFullPath(path);
        var directory = Path.GetDirectoryName(_path)!;
        Directory.CreateDirectory(directory);
        _temp = Path.Combine(directory, $".{Path.GetFileNameWithoutExtension(_path)}.partial-{Environment.ProcessId}{Path.GetExtension(_path)}");
        _fps = fps is > 0 and < 1000 ? fps : 30;
    }

    public long FramesWritten { get; private set; }

    public PresenterInput Present(Mat frame)
    {
        ArgumentNullException.ThrowIfNull(frame);
        if (_writer is null)
        {
            _size = frame.Size();
            FourCC fourcc = Path.GetExtension(_path).ToLowerInvariant() switch
            {
                ".avi" => FourCC.MJPG,
                // Lower-case mp4v is the tag FFmpeg's mp4 muxer takes (upper case makes it warn and fall back).
                _ => FourCC.FromString("mp4v"),
            };
            _writer = new VideoWriter(_temp, fourcc, _fps, _size);
            if (!_writer.IsOpened())
            {
                _writer.Dispose();
                _writer = null;
                throw new IOException($"{_path}: cannot open a video writer (try a .mp4 or .avi name)");
            }
        }

        if (frame.Size() != _size)
        {
            // A video keeps one size; a source whose frames differ (a folder of photos) is fitted
            // into the first frame's, its aspect kept, with black bars.
            frame = Fit(frame);
        }

        NativeMethods.HandleException(NativeMethods.videoio_VideoWriter_write(_writer.CvPtr, ProxyFor(frame)));
        GC.KeepAlive(_writer);
        GC.KeepAlive(frame);
        FramesWritten++;
        return PresenterInput.None;
    }

    public void Complete()
    {
        if (_writer is null)
        {
            return;
        }

        _writer.Release();
        _writer.Dispose();
        _writer = null;
        ReleaseNative();

        // OpenCV's writer reports no failed write: a full disk left a video without its index,
        // which players reject, under the final name. The file is read back for its frame count
        // (its header and index only) and kept only when it holds every frame written.
        try
        {
            var readable = FramesReadable(_temp);
            if (readable != FramesWritten)
            {
                throw new IOException($"{_path}: the video could not be written whole ({readable} of its {FramesWritten} frames can be read back; is the disk full?); nothing was kept");
            }

            File.Move(_temp, _path, overwrite: true);
        }
        catch
        {
            TryDelete(_temp);
            throw;
        }
    }

    /// <summary>The frames a video file's container declares, 0 when it can't be opened.</summary>
    private static long FramesReadable(string path)
    {
        if (!File.Exists(path) || new FileInfo(path).Length == 0)
        {
            return 0;
        }

        using var reader = new VideoCapture(path);
        return reader.IsOpened() ? (long)Math.Round(reader.Get(VideoCaptureProperties.FrameCount)) : 0;
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // best effort: the failure being reported matters more
        }
    }

    public void Dispose()
    {
        if (_writer is not null)
        {
            // Not completed: an interrupted recording is discarded, not left half-written.
            _writer.Dispose();
            _writer = null;
            File.Delete(_temp);
        }

        ReleaseNative();
    }

    private Mat Fit(Mat frame)
    {
        _canvas ??= new Mat(_size, MatType.CV_8UC3);
        _canvas.SetTo(Scalar.Black);
        var scale = Math.Min(_size.Width / (double)frame.Width, _size.Height / (double)frame.Height);
        var width = Math.Clamp((int)Math.Round(frame.Width * scale), 1, _size.Width);
        var height = Math.Clamp((int)Math.Round(frame.Height * scale), 1, _size.Height);
        using var window = new Mat(_canvas, new Rect((_size.Width - width) / 2, (_size.Height - height) / 2, width, height));
        Cv2.Resize(frame, window, new Size(width, height), 0, 0, InterpolationFlags.Area);
        return _canvas;
    }

    private IntPtr ProxyFor(Mat frame)
    {
        foreach (var (known, proxy) in _proxies)
        {
            if (ReferenceEquals(known, frame))
            {
                return proxy;
            }
        }

        if (_proxies.Count == MaxProxies)
        {
            NativeMethods.HandleException(NativeMethods.core_InputArray_delete(_proxies[0].Proxy));
            _proxies.RemoveAt(0);
        }

        NativeMethods.HandleException(NativeMethods.core_InputArray_new_byMat(frame.CvPtr, out var created));
        _proxies.Add((frame, created));
        return created;
    }

    /// <summary>Frees what writing needed: the proxies, and the canvas of fitted frames.</summary>
    private void ReleaseNative()
    {
        _canvas?.Dispose();
        _canvas = null;
        foreach (var (_, proxy) in _proxies)
        {
            NativeMethods.HandleException(NativeMethods.core_InputArray_delete(proxy));
        }

        _proxies.Clear();
    }
}
