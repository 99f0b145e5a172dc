using System.Runtime.CompilerServices;

namespace AlexNet.Realtime.Capture.Readers.Libav;

/// <summary>
/// The byte offsets of the few FFmpeg 5 struct fields the reader reads (x86-64 and arm64 Linux,
/// LP64). Taken from FFmpeg 5.1's headers with <c>offsetof</c> (a C program compiled against
/// Debian 12's libavformat-dev, libavcodec-dev, libavutil-dev 5.1); <see cref="LibavApi"/> accepts no
/// other major version. Each field read is the only one used from its struct, so a wrong offset
/// would show as wrong pictures or times in <c>LibavVideoReaderTests</c>, which compare every
/// frame with ffmpeg's own output.
/// </summary>
internal static unsafe class LibavLayout
{
    // AVFormatContext
    private const int FormatStreamCount = 44; // unsigned int nb_streams
    private const int FormatStreams = 48; // AVStream **streams

    // AVStream (FFmpeg 5: no av_class at the start; FFmpeg 6 added one and moved codecpar up)
    private const int StreamIndex = 0; // int index
    private const int StreamTimeBase = 16; // AVRational time_base
    private const int StreamStartTime = 24; // int64_t start_time
    private const int StreamDuration = 32; // int64_t duration
    private const int StreamFrameCount = 40; // int64_t nb_frames
    private const int StreamAverageFrameRate = 72; // AVRational avg_frame_rate
    private const int StreamRealFrameRate = 200; // AVRational r_frame_rate
    private const int StreamCodecParameters = 208; // AVCodecParameters *codecpar

    // AVCodecParameters
    private const int ParametersCodecType = 0; // enum AVMediaType codec_type
    private const int ParametersWidth = 56;
    private const int ParametersHeight = 60;

    // AVPacket
    private const int PacketStreamIndex = 36; // int stream_index

    // AVFrame
    private const int FrameLinesizes = 64; // int linesize[8] (uint8_t *data[8] at 0)
    private const int FrameWidth = 104;
    private const int FrameHeight = 108;
    private const int FrameFormat = 116;
    private const int FrameColorRange = 320; // enum AVColorRange color_range
    private const int FrameBestEffortTimestamp = 344; // int64_t best_effort_timestamp

    public static int StreamCount(IntPtr format) => (int)Read<uint>(format, FormatStreamCount);

    public static IntPtr Stream(IntPtr format, int index) => ((IntPtr*)Read<IntPtr>(format, FormatStreams))[index];

    public static int StreamIndexOf(IntPtr stream) => Read<int>(stream, StreamIndex);

    public static (int Num, int Den) TimeBase(IntPtr stream) => (Read<int>(stream, StreamTimeBase), Read<int>(stream, StreamTimeBase + 4));

    public static long StartTime(IntPtr stream) => Read<long>(stream, StreamStartTime);

    public static long Duration(IntPtr stream) => Read<long>(stream, StreamDuration);

    public static long FrameCount(IntPtr stream) => Read<long>(stream, StreamFrameCount);

    public static (int Num, int Den) AverageFrameRate(IntPtr stream) => (Read<int>(stream, StreamAverageFrameRate), Read<int>(stream, StreamAverageFrameRate + 4));

    public static (int Num, int Den) RealFrameRate(IntPtr stream) => (Read<int>(stream, StreamRealFrameRate), Read<int>(stream, StreamRealFrameRate + 4));

    public static IntPtr CodecParameters(IntPtr stream) => Read<IntPtr>(stream, StreamCodecParameters);

    public static int CodecType(IntPtr parameters) => Read<int>(parameters, ParametersCodecType);

    public static (int Width, int Height) CodedSize(IntPtr parameters) => (Read<int>(parameters, ParametersWidth), Read<int>(parameters, ParametersHeight));

    public static int PacketStream(IntPtr packet) => Read<int>(packet, PacketStreamIndex);

    public static byte** Planes(IntPtr frame) => (byte**)frame;

    public static int* Linesizes(IntPtr frame) => (int*)(frame + FrameLinesizes);

    public static (int Width, int Height) FrameSize(IntPtr frame) => (Read<int>(frame, FrameWidth), Read<int>(frame, FrameHeight));

    public static int PixelFormat(IntPtr frame) => Read<int>(frame, FrameFormat);

    public static int ColorRange(IntPtr frame) => Read<int>(frame, FrameColorRange);

    public static long BestEffortTimestamp(IntPtr frame) => Read<long>(frame, FrameBestEffortTimestamp);

    private static T Read<T>(IntPtr pointer, int offset)
        where T : unmanaged => Unsafe.ReadUnaligned<T>((void*)(pointer + offset));
}
