using System.Text;
using AlexNet.Realtime.Capture.Readers.Libav;
using OpenCvSharp;

namespace AlexNet.Realtime.Capture.Readers;

/// <summary>
/// A video file decoded in this process by the system's FFmpeg libraries, FFmpeg 4 to 9 (<see cref="LibavApi"/>),
/// with their assembly kernels: the frame's YUV 4:2:0 planes are copied into one I420 buffer and
/// turned into BGR by OpenCV's vectorized <c>cvtColor</c>, straight into the pooled frame (the
/// same conversion as <see cref="FfmpegVideoReader"/>, so the same pixels as that reader, without
/// its pipe, its second process and its log parsing). Owns the demuxer, the decoder, the packet,
/// the frame and its conversion to BGR (<see cref="LibavBgrConversion"/>); used from one thread (the capture thread).
/// </summary>
/// <remarks>
/// <para>
/// Why: OpenCV's reader (the FFmpeg inside OpenCvSharp's runtime, built without assembly) spends
/// several times this one's CPU a frame, on the cores ONNX Runtime needs; bench/README,
/// "Decoding", has the figures.
/// </para>
/// <para>
/// What OpenCV and ffmpeg do is kept: the stream's rotation is applied; a frame's time is
/// (its best-effort pts - the stream's start) times the time base, in ms; the frame rate is the
/// stream's average, else <c>av_guess_frame_rate</c>'s (its base rate); sources that are not
/// plain limited-range 4:2:0 with even sides are converted to BGR by FFmpeg's own scaler (bicubic,
/// as the ffmpeg program's default); up to 1920x1088 the decoder runs on one thread (during
/// labeling every core is busy anyway), larger videos on FFmpeg's default threads. Only the
/// <c>file</c> protocol is allowed, so a playlist inside a file cannot make the demuxer reach the
/// network (tested against a local server). A packet the decoder refuses is skipped, as the ffmpeg
/// program skips it; a file that gives no frame at all is reported with FFmpeg's reason.
/// </para>
/// <para>
/// Why one class of about 400 lines: the demuxer, decoder, packet and frame are one FFmpeg
/// session whose handles opening, feeding, rewinding and closing all share, in an order FFmpeg
/// fixes; the conversion to BGR, which owns nothing of theirs, is <see cref="LibavBgrConversion"/>.
/// </para>
/// </remarks>
public sealed unsafe class LibavVideoReader : IFrameReader
{
    private const int LargestSingleThreadPixels = 1920 * 1088;

    private readonly string _path;
    private readonly string _origin;
    private LibavApi? _av;
    private IntPtr _format;
    private IntPtr _codec;
    private IntPtr _packet;
    private IntPtr _frame;
    private readonly LibavBgrConversion _toBgr = new();
    private Mat? _unrotated;
    private SourceMatCalls? _fromUnrotated;
    private int _streamIndex;
    private (int Num, int Den) _timeBase;
    private long _startTime;
    private RotateFlags? _rotation;
    private long _index;
    private bool _draining;
    private bool _ended;
    private int _firstError;
    private bool _disposed;

    /// <param name="path">The video file.</param>
    /// <param name="origin">What frames name as their origin (the source's text).</param>
    public LibavVideoReader(string path, string origin)
    {
        _path = Path.GetFullPath(path);
        _origin = origin;
    }

    /// <summary>True when this process can load FFmpeg libraries of a release this reader knows.</summary>
    public static bool Available => LibavApi.Load().Library is not null;

    /// <summary>The loaded libavcodec's version ("59.37.100"), or null.</summary>
    public static string? LibraryVersion => LibavApi.Load().Library?.CodecVersion;

    /// <summary>The major version of the FFmpeg loaded ("7"), or null.</summary>
    public static string? Release => LibavApi.Load().Library?.Layout.Name;

    /// <summary>Why this reader cannot be used here, or null when it can.</summary>
    public static string? Unavailable => LibavApi.Load().Why;

    public double FramesPerSecond { get; private set; }

    public long FrameCount { get; private set; } = -1;

    /// <inheritdoc/>
    public bool FrameCountIsExact { get; private set; }

    /// <summary>True when frames come as plain I420 and are converted by <c>cvtColor</c> (false: by FFmpeg's scaler); known after the first frame.</summary>
    public bool ConvertsYuv => _toBgr.ConvertsYuv;

    public void Open()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        Close();
        var (av, why) = LibavApi.Load();
        _av = av ?? throw new CaptureException($"{_origin}: {why}; use --decoder opencv");
        try
        {
            OpenInput(av);
        }
        catch
        {
            Close();
            throw;
        }
    }

    /// <summary>Opens the file again from its first frame (a seek would need the decoder flushed as well, and an open is rare: once a pass over the file).</summary>
    public void Rewind() => Open();

    public bool Read(CapturedFrame frame)
    {
        ArgumentNullException.ThrowIfNull(frame);
        if (!Decode(out var av))
        {
            return false;
        }

        try
        {
            Convert(av, frame.Image);
            frame.SourceTimeMs = TimeMs(av.Layout.BestEffortTimestamp(_frame));
        }
        finally
        {
            av.FrameUnref(_frame);
        }

        frame.Origin = _origin;
        frame.FrameInOrigin = _index++;
        return true;
    }

    /// <summary>Decodes and drops up to <paramref name="count"/> frames without turning them into BGR (<paramref name="scratch"/> is not touched); how many there were.</summary>
    public long Skip(long count, CapturedFrame scratch)
    {
        var skipped = 0L;
        while (skipped < count && Decode(out var av))
        {
            av.FrameUnref(_frame);
            _index++;
            skipped++;
        }

        return skipped;
    }

    /// <summary>Decodes the next frame into <c>_frame</c>; false at the end (or throws when the file gave no frame at all).</summary>
    private bool Decode(out LibavApi av)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_format == IntPtr.Zero || _av is null)
        {
            throw new InvalidOperationException("the reader is not open");
        }

        av = _av;
        if (_ended)
        {
            return false;
        }

        while (true)
        {
            var got = av.ReceiveFrame(_codec, _frame);
            if (got == 0)
            {
                return true;
            }

            if (got == LibavApi.ErrorAgain && !_draining)
            {
                Feed(av);
                continue;
            }

            _ended = true;
            if (got != LibavApi.ErrorEof && got != LibavApi.ErrorAgain)
            {
                _firstError = _firstError == 0 ? got : _firstError;
            }

            if (_index == 0 && _firstError != 0)
            {
                throw new CaptureException($"{_origin}: cannot be decoded ({av.Describe(_firstError)})");
            }

            return false;
        }
    }

    public void Dispose()
    {
        _disposed = true;
        Close();
        _toBgr.Dispose();
        _fromUnrotated?.Dispose();
        _fromUnrotated = null;
        _unrotated?.Dispose();
        _unrotated = null;
    }

    private void OpenInput(LibavApi av)
    {
        var options = IntPtr.Zero;
        try
        {
            // FFmpeg already lets what a local file opens (a playlist's segments) use only file,
            // crypto and data; this narrows it to file, and says so here rather than by default.
            Set(av, &options, "protocol_whitelist", "file");
            var url = Encoding.UTF8.GetBytes("file:" + _path + "\0");
            var format = IntPtr.Zero;
            int result;
            fixed (byte* text = url)
            {
                result = av.OpenInput(&format, text, IntPtr.Zero, &options);
            }

            if (result < 0)
            {
                throw new CaptureException($"{_origin}: cannot be opened as a video ({av.Describe(result)})");
            }

            _format = format;
        }
        finally
        {
            av.DictFree(&options);
        }

        var info = av.FindStreamInfo(_format, null);
        if (info < 0)
        {
            throw new CaptureException($"{_origin}: cannot be opened as a video ({av.Describe(info)})");
        }

        IntPtr decoder;
        _streamIndex = av.FindBestStream(_format, LibavApi.MediaTypeVideo, -1, -1, &decoder, 0);
        if (_streamIndex < 0)
        {
            throw new CaptureException($"{_origin}: cannot be opened as a video ({(_streamIndex == -1381258232 ? "no video stream" : av.Describe(_streamIndex))})");
        }

        var stream = LibavLayout.Stream(_format, _streamIndex);
        var parameters = av.Layout.CodecParameters(stream);
        if (_streamIndex >= LibavLayout.StreamCount(_format) || av.Layout.StreamIndexOf(stream) != _streamIndex || parameters == IntPtr.Zero || LibavLayout.CodecType(parameters) != LibavApi.MediaTypeVideo)
        {
            // FFmpeg gave a version whose layout is known, yet its structs do not read back as that layout: read nothing more.
            throw new CaptureException($"{_origin}: the system's FFmpeg libraries are not laid out as FFmpeg {av.Layout.Name}'s; use --decoder opencv");
        }

        if (decoder == IntPtr.Zero)
        {
            throw new CaptureException($"{_origin}: cannot be decoded (the system's FFmpeg has no decoder for its video)");
        }

        _codec = av.CodecAllocContext(decoder);
        var copied = av.ParametersToContext(_codec, parameters);
        if (copied < 0)
        {
            throw new CaptureException($"{_origin}: cannot be decoded ({av.Describe(copied)})");
        }

        var (codedWidth, codedHeight) = av.CodecVideoSize(_codec);
        var codecOptions = IntPtr.Zero;
        try
        {
            Set(av, &codecOptions, "threads", (long)codedWidth * codedHeight <= LargestSingleThreadPixels ? "1" : "0");
            var opened = av.CodecOpen(_codec, decoder, &codecOptions);
            if (opened < 0)
            {
                throw new CaptureException($"{_origin}: cannot be decoded ({av.Describe(opened)})");
            }
        }
        finally
        {
            av.DictFree(&codecOptions);
        }

        _packet = av.PacketAlloc();
        _frame = av.FrameAlloc();
        if (_packet == IntPtr.Zero || _frame == IntPtr.Zero)
        {
            throw new CaptureException($"{_origin}: out of memory opening the decoder");
        }

        _timeBase = av.Layout.TimeBase(stream);
        _startTime = av.Layout.StartTime(stream);
        _rotation = RotationOf(av, stream);
        var rate = Rate(av.Layout.AverageFrameRate(stream));
        FramesPerSecond = rate > 0 ? rate : Rate(av.GuessFrameRate(_format, stream, IntPtr.Zero));
        var count = av.Layout.FrameCount(stream);
        var duration = av.Layout.Duration(stream);
        FrameCountIsExact = count > 0;
        FrameCount = count > 0 ? count
            : duration > 0 && duration != LibavApi.NoPts && _timeBase.Den > 0 && FramesPerSecond > 0
                ? (long)Math.Floor((duration * (double)_timeBase.Num / _timeBase.Den * FramesPerSecond) + 0.5)
                : -1;
        _index = 0;
        _draining = false;
        _ended = false;
        _firstError = 0;
    }

    /// <summary>Gives the decoder the next packet of the video stream, or starts draining it at the file's end.</summary>
    private void Feed(LibavApi av)
    {
        while (true)
        {
            var read = av.ReadFrame(_format, _packet);
            if (read < 0)
            {
                if (read != LibavApi.ErrorEof)
                {
                    _firstError = _firstError == 0 ? read : _firstError;
                }

                _draining = true;
                av.SendPacket(_codec, IntPtr.Zero);
                return;
            }

            try
            {
                if (LibavLayout.PacketStream(_packet) != _streamIndex)
                {
                    continue;
                }

                var sent = av.SendPacket(_codec, _packet);
                if (sent < 0 && sent != LibavApi.ErrorAgain)
                {
                    // A corrupt packet: skipped, as the ffmpeg program skips it; remembered in
                    // case no frame comes at all.
                    _firstError = _firstError == 0 ? sent : _firstError;
                    continue;
                }

                return;
            }
            finally
            {
                av.PacketUnref(_packet);
            }
        }
    }

    private void Convert(LibavApi av, Mat image)
    {
        var target = image;
        if (_rotation is not null)
        {
            _unrotated ??= new Mat();
            target = _unrotated;
        }

        _toBgr.Convert(av, _frame, _codec, target, _origin);
        if (_rotation is { } rotation)
        {
            _fromUnrotated ??= new SourceMatCalls(_unrotated!);
            _fromUnrotated.Rotate(image, rotation);
        }
    }

    private double TimeMs(long pts)
    {
        if (pts == LibavApi.NoPts || _timeBase.Den <= 0)
        {
            return FramesPerSecond > 0 ? _index * 1000.0 / FramesPerSecond : 0;
        }

        // As OpenCV's CAP_PROP_POS_MSEC: (pts - start_time) * time_base * 1000.
        var start = _startTime == LibavApi.NoPts ? 0 : _startTime;
        return (pts - start) * ((double)_timeBase.Num / _timeBase.Den) * 1000;
    }

    /// <summary>The stream's display matrix as a clockwise turn (as the ffmpeg program's autorotate reads it), or null.</summary>
    private static RotateFlags? RotationOf(LibavApi av, IntPtr stream)
    {
        var matrix = av.DisplayMatrix(stream, out var size);
        if (matrix == IntPtr.Zero || size < 9 * sizeof(int))
        {
            return null;
        }

        var counterclockwise = av.DisplayRotationGet((int*)matrix);
        if (double.IsNaN(counterclockwise))
        {
            return null;
        }

        var clockwise = (((int)-Math.Round(counterclockwise) % 360) + 360) % 360;
        return clockwise switch
        {
            90 => RotateFlags.Rotate90Clockwise,
            180 => RotateFlags.Rotate180,
            270 => RotateFlags.Rotate90Counterclockwise,
            _ => null,
        };
    }

    private static double Rate((int Num, int Den) rate) => rate.Num > 0 && rate.Den > 0 ? (double)rate.Num / rate.Den : 0;

    private static double Rate(Rational rate) => Rate((rate.Num, rate.Den));

    private static void Set(LibavApi av, IntPtr* dictionary, string key, string value)
    {
        var keyBytes = Encoding.UTF8.GetBytes(key + "\0");
        var valueBytes = Encoding.UTF8.GetBytes(value + "\0");
        fixed (byte* k = keyBytes)
        fixed (byte* v = valueBytes)
        {
            if (av.DictSet(dictionary, k, v, 0) < 0)
            {
                throw new CaptureException($"out of memory setting the decoder's {key}");
            }
        }
    }

    private void Close()
    {
        if (_av is not { } av)
        {
            return;
        }

        var frame = _frame;
        av.FrameFree(&frame);
        var packet = _packet;
        av.PacketFree(&packet);
        var codec = _codec;
        av.CodecFreeContext(&codec);
        var format = _format;
        av.CloseInput(&format);
        _toBgr.FreeScaler(av);
        _frame = _packet = _codec = _format = IntPtr.Zero;
    }
}
