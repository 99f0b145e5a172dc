using System.Diagnostics;
using System.Globalization;
using OpenCvSharp;

namespace AlexNet.Realtime.Capture.Readers;

/// <summary>
/// Any stream the system's <c>ffmpeg</c> can open (RTSP, HTTP H.264/HLS, ...), decoded by an
/// ffmpeg child process to raw BGR on a pipe and read straight into the pooled frame's buffer:
/// with no extra copy. The frame size comes from <c>ffprobe</c>. Owns the process.
/// </summary>
public sealed class FfmpegPipeReader : IFrameReader
{
    private readonly string _url;
    private readonly TimeSpan _timeout;
    private Process? _process;
    private Stream? _pipe;
    private int _width;
    private int _height;
    private long _index;
    private long _openedAt;

    public FfmpegPipeReader(string url, TimeSpan timeout)
    {
        _url = url;
        _timeout = timeout;
    }

    public double FramesPerSecond { get; private set; }

    public long FrameCount => -1;

    /// <summary>True when <c>ffmpeg</c> and <c>ffprobe</c> answer on this machine.</summary>
    public static bool Available => FfmpegTool.Available;

    public void Open()
    {
        Close();
        if (!Available)
        {
            throw new CaptureException($"{_url}: ffmpeg is not installed, which this stream needs here (apt-get install ffmpeg)");
        }

        var timeoutUs = ((long)_timeout.TotalMilliseconds * 1000).ToString(CultureInfo.InvariantCulture);
        var (exitCode, probe, firstError) = FfmpegTool.Run("ffprobe", ["-v", "error", "-rw_timeout", timeoutUs, "-select_streams", "v:0", "-show_entries", "stream=width,height,avg_frame_rate", "-of", "csv=p=0", _url], _timeout, _url);
        if (exitCode != 0)
        {
            // A refusal or an unknown host in the words the other stream readers use (the
            // readers' reasons are joined, and the same reason folds into one).
            throw new CaptureException(firstError is not null && StreamConnection.FromFfmpeg(_url, firstError) is { } unreachable
                ? unreachable
                : $"{_url}: ffprobe: {firstError ?? "exit code " + exitCode.ToString(CultureInfo.InvariantCulture)}");
        }

        var fields = probe.Trim().Split('\n')[0].Split(',');
        if (fields.Length < 2 || !int.TryParse(fields[0], NumberStyles.None, CultureInfo.InvariantCulture, out _width) || !int.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out _height) || _width < 1 || _height < 1)
        {
            throw new CaptureException($"{_url}: ffprobe found no video stream");
        }

        FramesPerSecond = fields.Length > 2 ? FfmpegTool.ParseRate(fields[2]) : 0;
        var start = new ProcessStartInfo("ffmpeg", ["-loglevel", "error", "-nostdin", "-rw_timeout", timeoutUs, "-i", _url, "-an", "-f", "rawvideo", "-pix_fmt", "bgr24", "-"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        _process = Process.Start(start) ?? throw new CaptureException($"{_url}: ffmpeg did not start");
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginErrorReadLine();
        _pipe = _process.StandardOutput.BaseStream;
        _index = 0;
        _openedAt = Stopwatch.GetTimestamp();
    }

    public unsafe bool Read(CapturedFrame frame)
    {
        ArgumentNullException.ThrowIfNull(frame);
        var pipe = _pipe ?? throw new InvalidOperationException("the reader is not open");
        frame.Image.Create(_height, _width, MatType.CV_8UC3);
        var bytes = new Span<byte>((void*)frame.Image.Data, _width * _height * 3);
        try
        {
            pipe.ReadExactly(bytes);
        }
        catch (EndOfStreamException e)
        {
            throw new CaptureException($"{_url}: the stream ended", e);
        }

        frame.Origin = _url;
        frame.FrameInOrigin = _index++;
        frame.SourceTimeMs = Stopwatch.GetElapsedTime(_openedAt).TotalMilliseconds;
        return true;
    }

    public void Rewind()
    {
    }

    public void Dispose() => Close();

    private void Close()
    {
        FfmpegTool.End(_process);
        _process = null;
        _pipe = null;
    }
}
