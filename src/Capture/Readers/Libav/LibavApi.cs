using System.Runtime.InteropServices;

namespace AlexNet.Realtime.Capture.Readers.Libav;

/// <summary>
/// The system's FFmpeg libraries (libavformat, libavcodec, libavutil, libswscale), loaded once by
/// their sonames and called through function pointers: what <see cref="LibavVideoReader"/> decodes
/// with, in this process.
/// </summary>
/// <remarks>
/// <para>
/// Why by hand: no FFmpeg binding is served here (<c>FFmpeg.AutoGen</c> is not; <c>FFMpegCore</c>
/// runs the ffmpeg program), and the FFmpeg inside OpenCvSharp's Linux runtime is built without its
/// assembly kernels, so OpenCV's reader spends several times the CPU a frame that the system's
/// libavcodec does, on the cores ONNX Runtime needs (bench/README, "Decoding").
/// </para>
/// <para>
/// Only FFmpeg releases whose struct layout is known are accepted (<see cref="Versions"/>: FFmpeg 4,
/// Ubuntu 22.04 and Debian 11; 5, Debian 12; 6, Ubuntu 24.04; 7, Debian 13; 8 and 9): the reader
/// reads the few fields of FFmpeg's structs that no public function gives (<see cref="LibavLayout"/>
/// says which and why), whose offsets were taken from each release's headers, and FFmpeg 5 to 8
/// moved some of them; everything else comes through functions and AVOptions. The newest known
/// release installed is used (<c>ALEXNET_RT_LIBAV=6</c> picks one); another version, or none, makes
/// <see cref="Load"/> say why, and <c>auto</c> keeps OpenCV's reader. The libraries are loaded with
/// their own symbol scope, so OpenCvSharp's bundled copy of FFmpeg (its <c>av_*</c> symbols are
/// exported too) and this one do not mix.
/// </para>
/// </remarks>
internal sealed unsafe class LibavApi
{
    public const int ErrorEof = -541478725; // AVERROR_EOF: FFERRTAG('E','O','F',' ')
    public const int ErrorAgain = -11; // AVERROR(EAGAIN) on Linux
    public const int MediaTypeVideo = 0;
    public const int PixelFormatYuv420P = 0;
    public const int PixelFormatBgr24 = 3;
    public const int PixelFormatYuvJ420P = 12;
    public const int ColorRangeJpeg = 2;
    public const int PacketSideDataDisplayMatrix = 5;
    public const int SwsBicubic = 4;
    public const long NoPts = long.MinValue;

    /// <summary>AVOption search flags 0: the object's own options only, not its children's (a decoder's private options).</summary>
    public const int OptionSearchOwn = 0;
    private const int LogQuiet = -8;

    private static readonly Lazy<(LibavApi? Library, string? Why)> s_loaded = new(Open);

    private LibavApi(LibavVersion version, IntPtr avutil, IntPtr avcodec, IntPtr avformat, IntPtr swscale)
    {
        Version = version;
        FrameAlloc = (delegate* unmanaged<IntPtr>)Export(avutil, "av_frame_alloc");
        FrameFree = (delegate* unmanaged<IntPtr*, void>)Export(avutil, "av_frame_free");
        FrameUnref = (delegate* unmanaged<IntPtr, void>)Export(avutil, "av_frame_unref");
        StrError = (delegate* unmanaged<int, byte*, nuint, int>)Export(avutil, "av_strerror");
        DictSet = (delegate* unmanaged<IntPtr*, byte*, byte*, int, int>)Export(avutil, "av_dict_set");
        DictFree = (delegate* unmanaged<IntPtr*, void>)Export(avutil, "av_dict_free");
        DisplayRotationGet = (delegate* unmanaged<int*, double>)Export(avutil, "av_display_rotation_get");
        OptionGetInt = (delegate* unmanaged<IntPtr, byte*, int, long*, int>)Export(avutil, "av_opt_get_int");
        OptionGetImageSize = (delegate* unmanaged<IntPtr, byte*, int, int*, int*, int>)Export(avutil, "av_opt_get_image_size");
        var logSetLevel = (delegate* unmanaged<int, void>)Export(avutil, "av_log_set_level");

        CodecAllocContext = (delegate* unmanaged<IntPtr, IntPtr>)Export(avcodec, "avcodec_alloc_context3");
        CodecFreeContext = (delegate* unmanaged<IntPtr*, void>)Export(avcodec, "avcodec_free_context");
        ParametersToContext = (delegate* unmanaged<IntPtr, IntPtr, int>)Export(avcodec, "avcodec_parameters_to_context");
        CodecOpen = (delegate* unmanaged<IntPtr, IntPtr, IntPtr*, int>)Export(avcodec, "avcodec_open2");
        SendPacket = (delegate* unmanaged<IntPtr, IntPtr, int>)Export(avcodec, "avcodec_send_packet");
        ReceiveFrame = (delegate* unmanaged<IntPtr, IntPtr, int>)Export(avcodec, "avcodec_receive_frame");
        PacketAlloc = (delegate* unmanaged<IntPtr>)Export(avcodec, "av_packet_alloc");
        PacketFree = (delegate* unmanaged<IntPtr*, void>)Export(avcodec, "av_packet_free");
        PacketUnref = (delegate* unmanaged<IntPtr, void>)Export(avcodec, "av_packet_unref");

        OpenInput = (delegate* unmanaged<IntPtr*, byte*, IntPtr, IntPtr*, int>)Export(avformat, "avformat_open_input");
        FindStreamInfo = (delegate* unmanaged<IntPtr, IntPtr*, int>)Export(avformat, "avformat_find_stream_info");
        FindBestStream = (delegate* unmanaged<IntPtr, int, int, int, IntPtr*, int, int>)Export(avformat, "av_find_best_stream");
        ReadFrame = (delegate* unmanaged<IntPtr, IntPtr, int>)Export(avformat, "av_read_frame");
        CloseInput = (delegate* unmanaged<IntPtr*, void>)Export(avformat, "avformat_close_input");
        GuessFrameRate = (delegate* unmanaged<IntPtr, IntPtr, IntPtr, Rational>)Export(avformat, "av_guess_frame_rate");
        if (version.Layout.SideDataInParameters)
        {
            PacketSideDataGet = (delegate* unmanaged<IntPtr, int, int, IntPtr>)Export(avcodec, "av_packet_side_data_get");
        }
        else
        {
            StreamGetSideData = (delegate* unmanaged<IntPtr, int, nuint*, IntPtr>)Export(avformat, "av_stream_get_side_data");
        }

        ScaleGetCachedContext = (delegate* unmanaged<IntPtr, int, int, int, int, int, int, int, IntPtr, IntPtr, double*, IntPtr>)Export(swscale, "sws_getCachedContext");
        Scale = (delegate* unmanaged<IntPtr, byte**, int*, int, int, byte**, int*, int>)Export(swscale, "sws_scale");
        ScaleFreeContext = (delegate* unmanaged<IntPtr, void>)Export(swscale, "sws_freeContext");

        // Decoding errors come back as return codes, which the reader reports; FFmpeg's own log
        // lines would interleave with the app's output (this sets this copy's level only, not that
        // of the FFmpeg inside OpenCV). ALEXNET_RT_DEBUG=1 keeps them, as it keeps OpenCV's.
        if (Environment.GetEnvironmentVariable("ALEXNET_RT_DEBUG") != "1")
        {
            logSetLevel(LogQuiet);
        }
    }

    /// <summary>The environment variable that names the FFmpeg major version to use ("6"), where not the newest installed.</summary>
    public const string ReleaseVariable = "ALEXNET_RT_LIBAV";

    /// <summary>The FFmpeg releases whose libraries the reader can use, newest first (the first installed is taken).</summary>
    public static IReadOnlyList<LibavVersion> Versions { get; } =
    [
        new(Avformat: 63, Avcodec: 63, Avutil: 61, Swscale: 10, LibavLayout.Ffmpeg9),
        new(Avformat: 62, Avcodec: 62, Avutil: 60, Swscale: 9, LibavLayout.Ffmpeg8),
        new(Avformat: 61, Avcodec: 61, Avutil: 59, Swscale: 8, LibavLayout.Ffmpeg7),
        new(Avformat: 60, Avcodec: 60, Avutil: 58, Swscale: 7, LibavLayout.Ffmpeg6),
        new(Avformat: 59, Avcodec: 59, Avutil: 57, Swscale: 6, LibavLayout.Ffmpeg5),
        new(Avformat: 58, Avcodec: 58, Avutil: 56, Swscale: 5, LibavLayout.Ffmpeg4),
    ];

    /// <summary>The release loaded, with its struct layout.</summary>
    public LibavVersion Version { get; }

    /// <summary>The struct layout of the release loaded.</summary>
    public LibavLayout Layout => Version.Layout;

    /// <summary>libavcodec's version, "59.37.100".</summary>
    public string CodecVersion { get; private init; } = "";

    public delegate* unmanaged<IntPtr> FrameAlloc { get; }

    public delegate* unmanaged<IntPtr*, void> FrameFree { get; }

    public delegate* unmanaged<IntPtr, void> FrameUnref { get; }

    public delegate* unmanaged<int, byte*, nuint, int> StrError { get; }

    public delegate* unmanaged<IntPtr*, byte*, byte*, int, int> DictSet { get; }

    public delegate* unmanaged<IntPtr*, void> DictFree { get; }

    public delegate* unmanaged<int*, double> DisplayRotationGet { get; }

    /// <summary><c>av_opt_get_int(obj, name, search_flags, out)</c>: an integer AVOption of an object with an AVClass (the codec context).</summary>
    public delegate* unmanaged<IntPtr, byte*, int, long*, int> OptionGetInt { get; }

    /// <summary><c>av_opt_get_image_size(obj, name, search_flags, out width, out height)</c>.</summary>
    public delegate* unmanaged<IntPtr, byte*, int, int*, int*, int> OptionGetImageSize { get; }

    public delegate* unmanaged<IntPtr, IntPtr> CodecAllocContext { get; }

    public delegate* unmanaged<IntPtr*, void> CodecFreeContext { get; }

    public delegate* unmanaged<IntPtr, IntPtr, int> ParametersToContext { get; }

    public delegate* unmanaged<IntPtr, IntPtr, IntPtr*, int> CodecOpen { get; }

    public delegate* unmanaged<IntPtr, IntPtr, int> SendPacket { get; }

    public delegate* unmanaged<IntPtr, IntPtr, int> ReceiveFrame { get; }

    public delegate* unmanaged<IntPtr> PacketAlloc { get; }

    public delegate* unmanaged<IntPtr*, void> PacketFree { get; }

    public delegate* unmanaged<IntPtr, void> PacketUnref { get; }

    public delegate* unmanaged<IntPtr*, byte*, IntPtr, IntPtr*, int> OpenInput { get; }

    public delegate* unmanaged<IntPtr, IntPtr*, int> FindStreamInfo { get; }

    public delegate* unmanaged<IntPtr, int, int, int, IntPtr*, int, int> FindBestStream { get; }

    public delegate* unmanaged<IntPtr, IntPtr, int> ReadFrame { get; }

    public delegate* unmanaged<IntPtr*, void> CloseInput { get; }

    /// <summary><c>av_guess_frame_rate(format, stream, frame)</c>: the stream's base frame rate (its r_frame_rate, except for a few interlaced or high-rate cases), where it has no average.</summary>
    public delegate* unmanaged<IntPtr, IntPtr, IntPtr, Rational> GuessFrameRate { get; }

    /// <summary><c>av_stream_get_side_data</c>: FFmpeg 4 to 6 (deprecated in 7, gone in 8); its size is an int in 4, a size_t since.</summary>
    private delegate* unmanaged<IntPtr, int, nuint*, IntPtr> StreamGetSideData { get; }

    /// <summary><c>av_packet_side_data_get</c> over codecpar's coded side data: FFmpeg 7 and later.</summary>
    private delegate* unmanaged<IntPtr, int, int, IntPtr> PacketSideDataGet { get; }

    public delegate* unmanaged<IntPtr, int, int, int, int, int, int, int, IntPtr, IntPtr, double*, IntPtr> ScaleGetCachedContext { get; }

    public delegate* unmanaged<IntPtr, byte**, int*, int, int, byte**, int*, int> Scale { get; }

    public delegate* unmanaged<IntPtr, void> ScaleFreeContext { get; }

    /// <summary>The libraries, or null with why not (not installed, another FFmpeg version, not Linux).</summary>
    public static (LibavApi? Library, string? Why) Load() => s_loaded.Value;

    /// <summary>The stream's display matrix (nine int32s) and its size in bytes, or zero: from the stream's side data (FFmpeg 4 to 6) or its codec parameters' (7 and later).</summary>
    public IntPtr DisplayMatrix(IntPtr stream, out nuint size)
    {
        size = 0;
        if (!Layout.SideDataInParameters)
        {
            // Zeroed first: FFmpeg 4 writes an int there, the low half on these little-endian machines.
            nuint found = 0;
            var matrix = StreamGetSideData(stream, PacketSideDataDisplayMatrix, &found);
            size = found;
            return matrix;
        }

        var parameters = Layout.CodecParameters(stream);
        var (array, count) = Layout.CodedSideData(parameters);
        if (array == IntPtr.Zero || count <= 0)
        {
            return IntPtr.Zero;
        }

        var entry = PacketSideDataGet(array, count, PacketSideDataDisplayMatrix);
        if (entry == IntPtr.Zero)
        {
            return IntPtr.Zero;
        }

        (var data, size) = LibavLayout.SideDataEntry(entry);
        return data;
    }

    /// <summary>An integer AVOption of the codec context (<paramref name="name"/> NUL-terminated), or <paramref name="fallback"/> where FFmpeg has no such option.</summary>
    public long CodecOption(IntPtr codec, ReadOnlySpan<byte> name, long fallback)
    {
        long value;
        fixed (byte* text = name)
        {
            return OptionGetInt(codec, text, OptionSearchOwn, &value) >= 0 ? value : fallback;
        }
    }

    /// <summary>The codec context's "video_size" AVOption (its width and height), or zeros.</summary>
    public (int Width, int Height) CodecVideoSize(IntPtr codec)
    {
        int width = 0, height = 0;
        fixed (byte* text = "video_size\0"u8)
        {
            return OptionGetImageSize(codec, text, OptionSearchOwn, &width, &height) >= 0 ? (width, height) : (0, 0);
        }
    }

    /// <summary>FFmpeg's text for an error code ("Invalid data found when processing input").</summary>
    public string Describe(int error)
    {
        var text = stackalloc byte[256];
        return StrError(error, text, 256) == 0 ? Marshal.PtrToStringUTF8((IntPtr)text) ?? $"error {error}" : $"error {error}";
    }

    private static (LibavApi?, string?) Open()
    {
        if (!OperatingSystem.IsLinux())
        {
            return (null, "the libav decoder uses the system's FFmpeg libraries, which this build looks for on Linux only");
        }

        // ALEXNET_RT_LIBAV=<major> takes that release even where a newer one is installed (a
        // machine with two; scripts/libav/check-ffmpeg.sh testing an older one than the system's).
        var asked = Environment.GetEnvironmentVariable(ReleaseVariable);
        var candidates = Versions;
        if (!string.IsNullOrEmpty(asked))
        {
            candidates = [.. Versions.Where(v => v.Layout.Name == asked)];
            if (candidates.Count == 0)
            {
                return (null, $"{ReleaseVariable}={asked} is not an FFmpeg major version the libav decoder knows ({string.Join(", ", Versions.Reverse().Select(v => v.Layout.Name))})");
            }
        }

        // The libraries stay loaded for the process's life (the reader's function pointers point
        // into them), whether or not they turn out usable.
        try
        {
            foreach (var version in candidates)
            {
                // libavformat first: loading it brings its own libavcodec and libavutil with it.
                var avformat = LoadOne($"libavformat.so.{version.Avformat}");
                if (avformat == IntPtr.Zero)
                {
                    continue;
                }

                var avcodec = LoadOne($"libavcodec.so.{version.Avcodec}");
                var avutil = LoadOne($"libavutil.so.{version.Avutil}");
                var swscale = LoadOne($"libswscale.so.{version.Swscale}");
                if (avcodec == IntPtr.Zero || avutil == IntPtr.Zero || swscale == IntPtr.Zero)
                {
                    return (null, $"this machine has FFmpeg {version.Layout.Name}'s libavformat.so.{version.Avformat} but not all of libavcodec.so.{version.Avcodec}, libavutil.so.{version.Avutil} and libswscale.so.{version.Swscale}");
                }

                foreach (var (handle, name, major) in new[] { (avformat, "avformat_version", version.Avformat), (avcodec, "avcodec_version", version.Avcodec), (avutil, "avutil_version", version.Avutil), (swscale, "swscale_version", version.Swscale) })
                {
                    var found = ((delegate* unmanaged<uint>)Export(handle, name))();
                    if (found >> 16 != major)
                    {
                        return (null, $"the libav decoder knows FFmpeg {version.Layout.Name}'s struct layout, and {name} gives {found >> 16}.{(found >> 8) & 0xff}");
                    }
                }

                var codec = ((delegate* unmanaged<uint>)Export(avcodec, "avcodec_version"))();
                return (new LibavApi(version, avutil, avcodec, avformat, swscale) { CodecVersion = $"{codec >> 16}.{(codec >> 8) & 0xff}.{codec & 0xff}" }, null);
            }

            if (!string.IsNullOrEmpty(asked))
            {
                return (null, $"{ReleaseVariable}={asked} asks for FFmpeg {asked}, whose libavformat.so.{candidates[0].Avformat} this machine lacks");
            }

            var known = "FFmpeg " + string.Join(", ", Versions.Reverse().Select(v => $"{v.Layout.Name} (libavformat.so.{v.Avformat})"));
            var other = Enumerable.Range(57, 12).FirstOrDefault(major => NativeLibrary.TryLoad($"libavformat.so.{major}", out _));
            return (null, other > 0
                ? $"this machine's FFmpeg (libavformat.so.{other}) is not one whose struct layout the libav decoder knows ({known})"
                : $"the libav decoder needs the system's FFmpeg libraries ({known}; Debian: apt-get install ffmpeg), which this machine lacks");
        }
        catch (EntryPointNotFoundException e)
        {
            return (null, $"the system's FFmpeg libraries lack a function the libav decoder calls ({e.Message})");
        }
    }

    private static IntPtr LoadOne(string soname) => NativeLibrary.TryLoad(soname, out var handle) ? handle : IntPtr.Zero;

    private static IntPtr Export(IntPtr library, string name) => NativeLibrary.GetExport(library, name);
}
