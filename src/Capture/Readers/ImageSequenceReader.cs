namespace AlexNet.Realtime.Capture.Readers;

/// <summary>
/// A list of image files read one after another, each as one frame (the fake camera of the
/// tests, and a folder or glob to label). An image that can't be decoded, or is refused before
/// decoding (<see cref="ImageFiles"/>: not a regular file, too many pixels), is reported and skipped.
/// Each is decoded straight into the pooled frame (<see cref="NativeImage"/>): no allocation.
/// A list none of whose images could be read fails with why, rather than end as an empty one:
/// the reader knows it is images, where a caller that sees no frame would guess a video.
/// </summary>
public sealed class ImageSequenceReader : IFrameReader
{
    private readonly IReadOnlyList<string> _files;
    private readonly Action<string, string>? _onUnreadable;
    private int _next;
    private bool _readThisPass;
    private string? _lastProblem;

    /// <param name="onUnreadable">Told (file, reason) for each file that can't be decoded.</param>
    public ImageSequenceReader(IReadOnlyList<string> files, Action<string, string>? onUnreadable = null)
    {
        _files = files;
        _onUnreadable = onUnreadable;
    }

    public double FramesPerSecond => 0;

    public long FrameCount => _files.Count;

    public void Open() => Rewind();

    public bool Read(CapturedFrame frame)
    {
        while (_next < _files.Count)
        {
            var file = _files[_next++];
            bool decoded;
            try
            {
                decoded = NativeImage.ReadInto(file, frame.Image);
            }
            catch (CaptureException e)
            {
                // Not decoded (a FIFO, an image over the size limit): that image's problem, not the list's.
                Unreadable(file, e.Message.StartsWith(file + ": ", StringComparison.Ordinal) ? e.Message[(file.Length + 2)..] : e.Message);
                continue;
            }

            if (!decoded)
            {
                Unreadable(file, File.Exists(file) ? "cannot be decoded as an image" : "no such file");
                continue;
            }

            _readThisPass = true;
            frame.Origin = file;
            frame.FrameInOrigin = 0;
            frame.SourceTimeMs = 0;
            return true;
        }

        if (!_readThisPass && _files.Count > 0)
        {
            throw new CaptureException(_files.Count == 1 ? _lastProblem! : $"none of the {_files.Count} images could be read (the last: {_lastProblem})");
        }

        return false;
    }

    public void Rewind()
    {
        _next = 0;
        _readThisPass = false;
    }

    public void Dispose()
    {
    }

    private void Unreadable(string file, string why)
    {
        _lastProblem = $"{file}: {why}";
        _onUnreadable?.Invoke(file, why);
    }
}
