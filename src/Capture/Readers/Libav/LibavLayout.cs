using System.Runtime.CompilerServices;

namespace AlexNet.Realtime.Capture.Readers.Libav;

/// <summary>
/// The byte offsets of the few FFmpeg struct fields the reader reads, for one FFmpeg major version
/// (x86-64 and arm64 Linux, LP64). Each set was printed by <c>scripts/libav/offsets.c</c>
/// (<c>offsetof</c>) against that version's headers (Debian 12's -dev packages for FFmpeg 5.1;
/// 4.4 and 6.1 from Ubuntu's sources, 7.1, 8.1 and 9.0 from Debian's, built by
/// <c>scripts/libav/check-ffmpeg.sh</c>, which also runs the reader's tests on them) and is kept in
/// <c>scripts/libav/offsets/</c>, which <c>LibavLayoutTests</c> hold these numbers to.
/// <see cref="LibavApi"/> accepts no version without a set here. Each field read is the only one
/// used from its struct, so a wrong offset would show as wrong pictures or times in
/// <c>LibavVideoReaderTests</c>, which compare every frame with the ffmpeg program's.
/// </summary>
/// <remarks>
/// FFmpeg keeps a struct's layout within a major version (fields are only appended at the end,
/// and these fields exist from each major's first release), so 7.1's offsets serve 7.0 too.
/// </remarks>
/// <param name="Name">The FFmpeg major version, "7".</param>
internal sealed unsafe record LibavLayout(
    string Name,
    int FormatStreamCount,
    int FormatStreams,
    int StreamIndex,
    int StreamTimeBase,
    int StreamStartTime,
    int StreamDuration,
    int StreamFrameCount,
    int StreamAverageFrameRate,
    int StreamRealFrameRate,
    int StreamCodecParameters,
    int ParametersWidth,
    int ParametersHeight,
    int ParametersCodedSideData,
    int ParametersCodedSideDataCount,
    int FrameColorRange,
    int FrameBestEffortTimestamp)
{
    // The same in every version here (offsets.c prints them for each), so read without a layout.
    internal const int ParametersCodecType = 0; // enum AVMediaType codec_type
    internal const int PacketStreamIndex = 36; // int stream_index
    internal const int FrameLinesizes = 64; // int linesize[8] (uint8_t *data[8] at 0)
    internal const int FrameWidth = 104;
    internal const int FrameHeight = 108;
    internal const int FrameFormat = 116;

    /// <summary>FFmpeg 4 (4.4's headers; libavformat 58, libavcodec 58, libavutil 56: Ubuntu 22.04, Debian 11). The display matrix is stream side data.</summary>
    public static LibavLayout Ffmpeg4 { get; } = new("4",
        FormatStreamCount: 44, FormatStreams: 48,
        StreamIndex: 0, StreamTimeBase: 24, StreamStartTime: 32, StreamDuration: 40, StreamFrameCount: 48,
        StreamAverageFrameRate: 80, StreamRealFrameRate: 192, StreamCodecParameters: 208,
        ParametersWidth: 56, ParametersHeight: 60, ParametersCodedSideData: -1, ParametersCodedSideDataCount: -1,
        FrameColorRange: 384, FrameBestEffortTimestamp: 408);

    /// <summary>FFmpeg 5 (5.1's headers; libavformat 59, libavcodec 59, libavutil 57). AVStream has no av_class at its start; the display matrix is stream side data.</summary>
    public static LibavLayout Ffmpeg5 { get; } = new("5",
        FormatStreamCount: 44, FormatStreams: 48,
        StreamIndex: 0, StreamTimeBase: 16, StreamStartTime: 24, StreamDuration: 32, StreamFrameCount: 40,
        StreamAverageFrameRate: 72, StreamRealFrameRate: 200, StreamCodecParameters: 208,
        ParametersWidth: 56, ParametersHeight: 60, ParametersCodedSideData: -1, ParametersCodedSideDataCount: -1,
        FrameColorRange: 320, FrameBestEffortTimestamp: 344);

    /// <summary>FFmpeg 6 (6.1's headers; libavformat 60, libavcodec 60, libavutil 58: Ubuntu 24.04). AVStream as 7's (av_class first, codecpar second); codecpar and AVFrame as 5's; the display matrix is still stream side data.</summary>
    public static LibavLayout Ffmpeg6 { get; } = new("6",
        FormatStreamCount: 44, FormatStreams: 48,
        StreamIndex: 8, StreamTimeBase: 32, StreamStartTime: 40, StreamDuration: 48, StreamFrameCount: 56,
        StreamAverageFrameRate: 88, StreamRealFrameRate: 216, StreamCodecParameters: 16,
        ParametersWidth: 56, ParametersHeight: 60, ParametersCodedSideData: -1, ParametersCodedSideDataCount: -1,
        FrameColorRange: 320, FrameBestEffortTimestamp: 344);

    /// <summary>FFmpeg 7 (7.1's headers; libavformat 61, libavcodec 61, libavutil 59). AVStream starts with av_class and codecpar; the display matrix is read from codecpar's coded side data (there since 6.1; the stream's own is deprecated in 7, its getter gone in 8).</summary>
    public static LibavLayout Ffmpeg7 { get; } = new("7",
        FormatStreamCount: 44, FormatStreams: 48,
        StreamIndex: 8, StreamTimeBase: 32, StreamStartTime: 40, StreamDuration: 48, StreamFrameCount: 56,
        StreamAverageFrameRate: 88, StreamRealFrameRate: 216, StreamCodecParameters: 16,
        ParametersWidth: 72, ParametersHeight: 76, ParametersCodedSideData: 32, ParametersCodedSideDataCount: 40,
        FrameColorRange: 296, FrameBestEffortTimestamp: 320);

    /// <summary>FFmpeg 8 (8.1's headers; libavformat 62, libavcodec 62, libavutil 60). As 7.1, but AVStream's r_frame_rate and AVFrame's tail moved.</summary>
    public static LibavLayout Ffmpeg8 { get; } = new("8",
        FormatStreamCount: 44, FormatStreams: 48,
        StreamIndex: 8, StreamTimeBase: 32, StreamStartTime: 40, StreamDuration: 48, StreamFrameCount: 56,
        StreamAverageFrameRate: 88, StreamRealFrameRate: 204, StreamCodecParameters: 16,
        ParametersWidth: 72, ParametersHeight: 76, ParametersCodedSideData: 32, ParametersCodedSideDataCount: 40,
        FrameColorRange: 280, FrameBestEffortTimestamp: 304);

    /// <summary>FFmpeg 9 (9.0's headers; libavformat 63, libavcodec 63, libavutil 61): the same offsets as 8.</summary>
    public static LibavLayout Ffmpeg9 { get; } = Ffmpeg8 with { Name = "9" };

    /// <summary>Whether the display matrix is read from codecpar's coded side data (from FFmpeg 7; 4 to 6 read the stream's own).</summary>
    public bool SideDataInParameters => ParametersCodedSideData >= 0;

    public int StreamCount(IntPtr format) => (int)Read<uint>(format, FormatStreamCount);

    public IntPtr Stream(IntPtr format, int index) => ((IntPtr*)Read<IntPtr>(format, FormatStreams))[index];

    public int StreamIndexOf(IntPtr stream) => Read<int>(stream, StreamIndex);

    public (int Num, int Den) TimeBase(IntPtr stream) => (Read<int>(stream, StreamTimeBase), Read<int>(stream, StreamTimeBase + 4));

    public long StartTime(IntPtr stream) => Read<long>(stream, StreamStartTime);

    public long Duration(IntPtr stream) => Read<long>(stream, StreamDuration);

    public long FrameCount(IntPtr stream) => Read<long>(stream, StreamFrameCount);

    public (int Num, int Den) AverageFrameRate(IntPtr stream) => (Read<int>(stream, StreamAverageFrameRate), Read<int>(stream, StreamAverageFrameRate + 4));

    public (int Num, int Den) RealFrameRate(IntPtr stream) => (Read<int>(stream, StreamRealFrameRate), Read<int>(stream, StreamRealFrameRate + 4));

    public IntPtr CodecParameters(IntPtr stream) => Read<IntPtr>(stream, StreamCodecParameters);

    public static int CodecType(IntPtr parameters) => Read<int>(parameters, ParametersCodecType);

    public (int Width, int Height) CodedSize(IntPtr parameters) => (Read<int>(parameters, ParametersWidth), Read<int>(parameters, ParametersHeight));

    /// <summary>codecpar's coded side data (an AVPacketSideData array) and its length; only where <see cref="SideDataInParameters"/>.</summary>
    public (IntPtr Array, int Count) CodedSideData(IntPtr parameters) => (Read<IntPtr>(parameters, ParametersCodedSideData), Read<int>(parameters, ParametersCodedSideDataCount));

    public static int PacketStream(IntPtr packet) => Read<int>(packet, PacketStreamIndex);

    public static byte** Planes(IntPtr frame) => (byte**)frame;

    public static int* Linesizes(IntPtr frame) => (int*)(frame + FrameLinesizes);

    public static (int Width, int Height) FrameSize(IntPtr frame) => (Read<int>(frame, FrameWidth), Read<int>(frame, FrameHeight));

    public static int PixelFormat(IntPtr frame) => Read<int>(frame, FrameFormat);

    public int ColorRange(IntPtr frame) => Read<int>(frame, FrameColorRange);

    public long BestEffortTimestamp(IntPtr frame) => Read<long>(frame, FrameBestEffortTimestamp);

    private static T Read<T>(IntPtr pointer, int offset)
        where T : unmanaged => Unsafe.ReadUnaligned<T>((void*)(pointer + offset));
}
