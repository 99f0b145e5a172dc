using OpenCvSharp;

namespace AlexNet.Realtime.Overlay.Presenters;

/// <summary>
/// Records the overlaid frames to a video file (<c>--record out.mp4</c>). Frames go to a hidden
/// temporary file beside the target, renamed when <see cref="Complete"/> finalizes it, so an
/// interrupted run never leaves a half-written video under the requested name.
/// Owns its VideoWriter.
/// </summary>
public sealed class VideoFilePresenter : IPresenter
{
    private readonly string _path;
    private readonly string _temp;
    private readonly double _fps;
    private VideoWriter? _writer;
    private Size _size;

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
            throw new IOException($"{_path}: frame size changed from {_size.Width}x{_size.Height} to {frame.Width}x{frame.Height}; a video keeps one size");
        }

        _writer.Write(frame);
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
        File.Move(_temp, _path, overwrite: true);
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
    }
}
