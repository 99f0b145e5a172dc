namespace AlexNet.Realtime.Capture.Readers;

/// <summary>
/// Tries readers in order at each open and reads from the first that opens: an http(s) stream
/// goes to the built-in MJPEG reader first (it needs nothing else), then OpenCV, then an ffmpeg
/// pipe; rtsp goes to OpenCV, then ffmpeg. (OpenCvSharp's
/// portable Linux runtime has an FFmpeg without network protocols, so OpenCV alone can't open
/// http or rtsp URLs there.) Owns its readers.
/// </summary>
public sealed class FallbackReader : IFrameReader
{
    private readonly IFrameReader[] _readers;
    private IFrameReader? _active;

    public FallbackReader(params IFrameReader[] readers)
    {
        _readers = readers;
    }

    public double FramesPerSecond => _active?.FramesPerSecond ?? 0;

    public long FrameCount => _active?.FrameCount ?? -1;

    /// <summary>The reader that opened last (for diagnostics and tests).</summary>
    public IFrameReader? Active => _active;

    public void Open()
    {
        var problems = new List<string>();
        foreach (var reader in _readers)
        {
            try
            {
                reader.Open();
                _active = reader;
                return;
            }
            catch (CaptureException e)
            {
                problems.Add(e.Message);
            }
        }

        _active = null;
        throw new CaptureException(string.Join("; ", problems.Distinct(StringComparer.Ordinal)));
    }

    public bool Read(CapturedFrame frame) =>
        (_active ?? throw new InvalidOperationException("no reader is open")).Read(frame);

    public void Rewind() => _active?.Rewind();

    public void Dispose()
    {
        foreach (var reader in _readers)
        {
            reader.Dispose();
        }
    }
}
