using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using OpenCvSharp;

namespace AlexNet.Realtime.Capture.Readers;

/// <summary>
/// A video file decoded by the system's <c>ffmpeg</c> (5.1 or later) in a child process: planar
/// YUV 4:2:0 on its stdout, turned into BGR by OpenCV's vectorized <c>cvtColor</c> straight into
/// the pooled frame; each frame's pts read from the <c>showinfo</c> filter's line on stderr.
/// Owns the process, its stderr reader thread and the YUV buffer.
/// </summary>
/// <remarks>
/// <para>
/// Why: the FFmpeg inside OpenCvSharp's portable Linux runtime is built without its assembly
/// kernels (a profile shows the C versions: <c>put_h264_qpel8_hv_lowpass_8</c>,
/// <c>yuv2rgb_c_24_bgr</c>), and its YUV-to-BGR conversion is 1.4 levels off the BT.601 formula on
/// average; <c>cvtColor</c> here is within one level (tests). It is not the default: in CPU time
/// the pipe gives back much of what the faster decoder saves, and each file costs two process
/// starts (ffprobe, ffmpeg); bench/README.md has the measurements.
/// </para>
/// <para>
/// The frames are the same pictures OpenCV decodes (H.264 decoding is exact), converted to BGR by
/// a different routine, so a pixel may differ by a level or two; timestamps are computed as OpenCV
/// computes <c>CAP_PROP_POS_MSEC</c>: (pts - the stream's start) times its time base. Sources that
/// are not plain limited-range 4:2:0 with even sides (4:2:2, 4:4:4, 10-bit, full-range, odd sizes)
/// are converted to BGR by ffmpeg itself. Rotation metadata is applied, as OpenCV does.
/// </para>
/// <para>
/// Up to 1920x1088 the decoder runs on one thread: frame threading costs more CPU in all, and
/// during labeling every core is busy anyway; larger videos use ffmpeg's default threads.
/// </para>
/// </remarks>
public sealed class FfmpegVideoReader : IFrameReader
{
    private const int PtsRingSize = 4096;

    private readonly string _path;
    private readonly string _origin;
    private readonly TimeSpan _timeout;
    private readonly long[] _ptsRing = new long[PtsRingSize];
    private readonly byte[] _logBuffer = new byte[16 * 1024];

    // Set by the log thread at each frame line. No spinning: on two cores a spinning reader takes
    // the core the log thread needs to deliver the line.
    private readonly ManualResetEventSlim _ptsArrived = new(initialState: false, spinCount: 0);
    private Process? _process;
    private Stream? _pipe;
    private Thread? _logReader;
    private Mat? _i420;
    private SourceMatCalls? _converter;
    private FfmpegVideoProbe _probe;
    private long _ptsWritten;
    private long _logThreadAllocated;
    private volatile bool _logEnded;
    private volatile string? _firstError;
    private long _timeBaseNum;
    private long _timeBaseDen;
    private long _index;
    private bool _ended;
    private volatile bool _stopping;

    /// <param name="path">The video file.</param>
    /// <param name="origin">What frames name as their origin (the source's text).</param>
    public FfmpegVideoReader(string path, string origin, TimeSpan timeout)
    {
        _path = Path.GetFullPath(path);
        _origin = origin;
        _timeout = timeout;
    }

    public double FramesPerSecond => _probe.FramesPerSecond;

    public long FrameCount => _probe.FrameCount;

    /// <inheritdoc/>
    public bool FrameCountIsExact => _probe.FrameCountIsExact;

    /// <summary>The ffmpeg program's version, or null when there is none.</summary>
    public static string? ProgramVersion => FfmpegTool.Version;

    /// <summary>True when this machine has an ffmpeg this reader can use (5.1 or later).</summary>
    public static bool Installed => FfmpegTool.DecodesVideoFiles;

    /// <summary>Managed bytes the log thread has allocated so far (for the allocation test: that thread is not the caller's).</summary>
    internal long LogThreadAllocatedBytes => Interlocked.Read(ref _logThreadAllocated);

    /// <summary>True when frames come as YUV and are converted here (false: ffmpeg converts to BGR).</summary>
    public bool ConvertsYuv => _probe.PlainI420;

    public void Open() => Start(probe: true);

    /// <summary>Starts ffmpeg again from the first frame; the file was probed at open.</summary>
    public void Rewind() => Start(probe: _probe.Width == 0);

    private void Start(bool probe)
    {
        Close();
        if (!FfmpegTool.DecodesVideoFiles)
        {
            throw new CaptureException(FfmpegTool.Available
                ? $"{_origin}: ffmpeg {FfmpegTool.Version} is too old for the ffmpeg decoder (5.1 or later; or use --decoder opencv)"
                : $"{_origin}: ffmpeg is not installed, which --decoder ffmpeg needs (apt-get install ffmpeg; or use --decoder opencv)");
        }

        if (probe)
        {
            _probe = FfmpegVideoProbe.Of(_path, _origin, _timeout);
        }

        _timeBaseNum = _probe.TimeBaseNum;
        _timeBaseDen = _probe.TimeBaseDen;
        var threads = (long)_probe.Width * _probe.Height <= 1920 * 1088 ? "1" : "0";
        var start = new ProcessStartInfo("ffmpeg",
        [
            "-hide_banner", "-nostdin", "-nostats", "-loglevel", "level+info", "-threads", threads, "-copyts",
            "-i", "file:" + _path, "-map", "0:v:0", "-an", "-sn", "-dn", "-fps_mode", "passthrough",
            "-vf", "showinfo=checksum=0", "-f", "rawvideo", "-pix_fmt", _probe.PlainI420 ? "yuv420p" : "bgr24", "-",
        ])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        _process = Process.Start(start) ?? throw new CaptureException($"{_origin}: ffmpeg did not start");
        _pipe = _process.StandardOutput.BaseStream;
        _ptsWritten = 0;
        _logEnded = false;
        _firstError = null;
        _stopping = false;
        var log = _process.StandardError.BaseStream;
        _logReader = new Thread(() => ReadLog(log)) { IsBackground = true, Name = $"ffmpeg log: {Path.GetFileName(_path)}" };
        _logReader.Start();
        if (_probe.PlainI420)
        {
            _i420 ??= new Mat();
            _i420.Create(_probe.Height * 3 / 2, _probe.Width, MatType.CV_8UC1);
            _converter ??= new SourceMatCalls(_i420);
        }

        _index = 0;
        _ended = false;
    }

    public unsafe bool Read(CapturedFrame frame)
    {
        ArgumentNullException.ThrowIfNull(frame);
        var pipe = _pipe ?? throw new InvalidOperationException("the reader is not open");
        if (_ended)
        {
            return false;
        }

        Span<byte> target;
        if (_probe.PlainI420)
        {
            target = new Span<byte>((void*)_i420!.Data, _probe.Width * _probe.Height * 3 / 2);
        }
        else
        {
            frame.Image.Create(_probe.Height, _probe.Width, MatType.CV_8UC3);
            target = new Span<byte>((void*)frame.Image.Data, _probe.Width * _probe.Height * 3);
        }

        if (pipe.ReadAtLeast(target, target.Length, throwOnEndOfStream: false) < target.Length)
        {
            _ended = true;
            EndOfFile();
            return false;
        }

        if (_probe.PlainI420)
        {
            _converter!.I420ToBgr(frame.Image);
        }

        frame.SourceTimeMs = PtsMs(_index);
        frame.Origin = _origin;
        frame.FrameInOrigin = _index++;
        return true;
    }

    public void Dispose()
    {
        Close();
        _converter?.Dispose();
        _converter = null;
        _i420?.Dispose();
        _i420 = null;
        _ptsArrived.Dispose();
    }

    /// <summary>At the end of the output: a decoder that gave no frame at all and failed says why.</summary>
    private void EndOfFile()
    {
        var process = _process!;
        if (!process.WaitForExit(_timeout))
        {
            return;
        }

        _logReader?.Join(_timeout);
        if (_index == 0 && process.ExitCode != 0)
        {
            throw new CaptureException($"{_origin}: cannot be decoded ({_firstError ?? "ffmpeg exit code " + process.ExitCode})");
        }
    }

    /// <summary>The frame's time as OpenCV gives it (ms from the stream's start); from the frame rate if ffmpeg gave no pts.</summary>
    private double PtsMs(long index)
    {
        // showinfo prints a frame's line before the frame is written to stdout, so it is there or
        // on its way; the log thread may not have parsed it yet.
        var deadline = Stopwatch.GetTimestamp() + (long)(_timeout.TotalSeconds * Stopwatch.Frequency);
        while (Volatile.Read(ref _ptsWritten) <= index && !_logEnded)
        {
            _ptsArrived.Reset();
            var left = deadline - Stopwatch.GetTimestamp();
            if (Volatile.Read(ref _ptsWritten) > index || _logEnded || left <= 0)
            {
                break;
            }

            _ptsArrived.Wait(TimeSpan.FromTicks(Math.Max(1, left * TimeSpan.TicksPerSecond / Stopwatch.Frequency)));
        }

        var pts = Volatile.Read(ref _ptsWritten) > index ? _ptsRing[index % PtsRingSize] : long.MinValue;
        if (pts == long.MinValue || _timeBaseDen == 0)
        {
            return _probe.FramesPerSecond > 0 ? index * 1000.0 / _probe.FramesPerSecond : 0;
        }

        // OpenCV: dts_to_sec(pts) * 1000 = (double)(pts - start_time) * r2d(time_base) * 1000.
        return (double)(pts - _probe.StartPts) * ((double)_timeBaseNum / _timeBaseDen) * 1000;
    }

    /// <summary>The log thread: frame pts into the ring, the filter's time base, the first error.</summary>
    private void ReadLog(Stream log)
    {
        var buffer = _logBuffer;
        var filled = 0;
        try
        {
            while (true)
            {
                if (filled == buffer.Length)
                {
                    filled = 0; // a line longer than the buffer: dropped (never a frame's line)
                }

                var got = log.Read(buffer, filled, buffer.Length - filled);
                if (got <= 0)
                {
                    break;
                }

                filled += got;
                var start = 0;
                while (true)
                {
                    var newline = Array.IndexOf(buffer, (byte)'\n', start, filled - start);
                    if (newline < 0)
                    {
                        break;
                    }

                    Take(buffer.AsSpan(start, newline - start).TrimEnd((byte)'\r'));
                    start = newline + 1;
                }

                Buffer.BlockCopy(buffer, start, buffer, 0, filled - start);
                filled -= start;
                Interlocked.Exchange(ref _logThreadAllocated, GC.GetAllocatedBytesForCurrentThread());
            }
        }
        catch (IOException)
        {
            // the process was ended
        }
        catch (ObjectDisposedException)
        {
        }
        finally
        {
            _logEnded = true;
            _ptsArrived.Set();
        }
    }

    private void Take(ReadOnlySpan<byte> line)
    {
        if (FfmpegLogLine.TryFramePts(line, out var pts))
        {
            var written = Volatile.Read(ref _ptsWritten);

            // The ring is far larger than ffmpeg can get ahead of the reader (it blocks on the
            // pipe); should it fill, wait for the reader rather than overwrite.
            while (written - Volatile.Read(ref _index) >= PtsRingSize && !_stopping)
            {
                Thread.Sleep(1);
            }

            _ptsRing[written % PtsRingSize] = pts;
            Volatile.Write(ref _ptsWritten, written + 1);
            _ptsArrived.Set();
        }
        else if (FfmpegLogLine.TryTimeBase(line, out var num, out var den))
        {
            _timeBaseNum = num;
            _timeBaseDen = den;
        }
        else if (_firstError is null && FfmpegLogLine.Error(line) is { } error)
        {
            _firstError = error;
        }
    }

    private void Close()
    {
        _stopping = true;
        FfmpegTool.End(_process);
        _logReader?.Join(TimeSpan.FromSeconds(2));
        _logReader = null;
        _process = null;
        _pipe = null;
    }
}
