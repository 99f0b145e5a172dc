using System.Runtime.CompilerServices;

namespace AlexNet.Realtime.Capture.Readers.Libav;

/// <summary>
/// The byte offsets of the FFmpeg struct fields the reader still reads, because FFmpeg's public
/// functions give no other way to them, for one FFmpeg major version (x86-64 and arm64 Linux, LP64).
/// Everything else comes through functions: the video size through the codec context's AVOptions
/// (<c>av_opt_get_image_size</c> "video_size" after <c>avcodec_parameters_to_context</c>), a
/// frame's color range through the codec context's "color_range" option (<c>av_opt_get_int</c>),
/// the fallback frame rate through <c>av_guess_frame_rate</c>, the display matrix through
/// <c>av_stream_get_side_data</c> (FFmpeg 4 to 6) or <c>av_packet_side_data_get</c> (7 and later).
/// </summary>
/// <remarks>
/// <para>The fields left, and why each has no public accessor:</para>
/// <list type="bullet">
/// <item><c>AVFormatContext.streams</c>, <c>nb_streams</c>: no function returns a stream by index
/// (<c>av_find_best_stream</c> gives its index only), and <c>AVFormatContext</c>'s AVOptions are
/// demuxing settings, not its streams. The same offsets in every release here.</item>
/// <item><c>AVStream.codecpar</c>, <c>time_base</c>, <c>start_time</c>, <c>duration</c>,
/// <c>nb_frames</c>, <c>avg_frame_rate</c>: <c>AVStream</c> has no getters for these (FFmpeg 4's
/// <c>av_stream_get_r_frame_rate</c> was the last, gone in 5), its AVClass (from 6) has only
/// "disposition" and "discard", and <c>avcodec_parameters_to_context</c> copies none of them into
/// the codec context's options. <c>AVStream.index</c> is read only to check that a stream read
/// back is the one <c>av_find_best_stream</c> named, before anything else of it is trusted.</item>
/// <item><c>AVCodecParameters.coded_side_data</c>, <c>nb_coded_side_data</c> (FFmpeg 7 and later;
/// <c>codec_type</c> at 0 in every release, read as the same check): where the display matrix lives
/// from 7 (the stream's own and <c>av_stream_get_side_data</c> are gone in 8);
/// <c>av_packet_side_data_get</c> takes that array and its length as arguments, and no function
/// returns them. The entry it returns is read at <c>data</c> (0) and <c>size</c> (8), the same in 7 to 9.</item>
/// <item><c>AVPacket.stream_index</c>: no getter; the same offset in every release here.</item>
/// <item><c>AVFrame.data</c>, <c>linesize</c>, <c>width</c>, <c>height</c>, <c>format</c>: AVFrame
/// has no AVClass, so AVOptions do not apply to it, and its getters went in FFmpeg 5. These lead
/// the struct and have the same offsets in every release here; the I420 copy and
/// <c>sws_scale</c> need the planes, and only the frame's own size and format describe its
/// buffers (the codec context's can run ahead of a frame the decoder held back, and a size too
/// large would read past the planes). Its color range, which moves with each release, is taken
/// from the codec context instead: FFmpeg stamps the context's on each frame a decoder leaves
/// unspecified (<c>ff_decode_frame_props</c>), and every decoder enabled sets the context's.</item>
/// <item><c>AVFrame.best_effort_timestamp</c>: its getter (<c>av_frame_get_best_effort_timestamp</c>)
/// went in FFmpeg 5 and nothing else gives a decoded frame's time; it moves with each release.</item>
/// </list>
/// <para>
/// Conversions use <c>sws_scale</c> in every release, 4 included (where <c>sws_scale_frame</c>
/// does not exist yet), rather than <c>sws_scale_frame</c>: it would spare no field here (the
/// I420 copy reads the planes, size and format anyway, at offsets that never moved); in 5 to 7,
/// and in 8 and 9 on a context set up with a size and format, it writes into the caller's memory
/// only through the destination frame's <c>buf[0]</c>, a field whose offset moves (or into its
/// own buffer, a copy more a frame); and 8's context set up from the frames converts with each
/// frame's own colorspace, where the I420 path (OpenCV's <c>cvtColor</c>) converts as BT.601
/// whatever the stream says, so the two paths would disagree on a BT.709-tagged source.
/// </para>
/// <para>
/// Each set was printed by <c>scripts/libav/offsets.c</c> (<c>offsetof</c>) against that
/// version's headers (Debian 12's -dev packages for FFmpeg 5.1; 4.4 and 6.1 from Ubuntu's
/// sources, 7.1, 8.1 and 9.0 from Debian's, built by <c>scripts/libav/check-ffmpeg.sh</c>, which
/// also runs the reader's tests on them) and is kept in <c>scripts/libav/offsets/</c>, which
/// <c>LibavLayoutTests</c> hold these numbers to. <see cref="LibavApi"/> accepts no version
/// without a set here. FFmpeg keeps a struct's layout within a major version (fields are only
/// appended at the end, and these fields exist from each major's first release), so 7.1's
/// offsets serve 7.0 too.
/// </para>
/// </remarks>
/// <param name="Name">The FFmpeg major version, "7".</param>
internal sealed unsafe record LibavLayout(
    string Name,
    int StreamIndex,
    int StreamTimeBase,
    int StreamStartTime,
    int StreamDuration,
    int StreamFrameCount,
    int StreamAverageFrameRate,
    int StreamCodecParameters,
    int ParametersCodedSideData,
    int ParametersCodedSideDataCount,
    int FrameBestEffortTimestamp)
{
    // The same in every version here (offsets.c prints them for each), so read without a layout.
    internal const int FormatStreamCount = 44; // unsigned int nb_streams
    internal const int FormatStreams = 48; // AVStream **streams
    internal const int ParametersCodecType = 0; // enum AVMediaType codec_type
    internal const int PacketStreamIndex = 36; // int stream_index
    internal const int FrameLinesizes = 64; // int linesize[8] (uint8_t *data[8] at 0)
    internal const int FrameWidth = 104;
    internal const int FrameHeight = 108;
    internal const int FrameFormat = 116;
    internal const int SideDataSize = 8; // AVPacketSideData: uint8_t *data at 0, size_t size (FFmpeg 7 and later)

    /// <summary>FFmpeg 4 (4.4's headers; libavformat 58, libavcodec 58, libavutil 56: Ubuntu 22.04, Debian 11). The display matrix is stream side data.</summary>
    public static LibavLayout Ffmpeg4 { get; } = new("4",
        StreamIndex: 0, StreamTimeBase: 24, StreamStartTime: 32, StreamDuration: 40, StreamFrameCount: 48,
        StreamAverageFrameRate: 80, StreamCodecParameters: 208,
        ParametersCodedSideData: -1, ParametersCodedSideDataCount: -1,
        FrameBestEffortTimestamp: 408);

    /// <summary>FFmpeg 5 (5.1's headers; libavformat 59, libavcodec 59, libavutil 57). AVStream has no av_class at its start; the display matrix is stream side data.</summary>
    public static LibavLayout Ffmpeg5 { get; } = new("5",
        StreamIndex: 0, StreamTimeBase: 16, StreamStartTime: 24, StreamDuration: 32, StreamFrameCount: 40,
        StreamAverageFrameRate: 72, StreamCodecParameters: 208,
        ParametersCodedSideData: -1, ParametersCodedSideDataCount: -1,
        FrameBestEffortTimestamp: 344);

    /// <summary>FFmpeg 6 (6.1's headers; libavformat 60, libavcodec 60, libavutil 58: Ubuntu 24.04). AVStream as 7's (av_class first, codecpar second); AVFrame as 5's; the display matrix is still stream side data.</summary>
    public static LibavLayout Ffmpeg6 { get; } = new("6",
        StreamIndex: 8, StreamTimeBase: 32, StreamStartTime: 40, StreamDuration: 48, StreamFrameCount: 56,
        StreamAverageFrameRate: 88, StreamCodecParameters: 16,
        ParametersCodedSideData: -1, ParametersCodedSideDataCount: -1,
        FrameBestEffortTimestamp: 344);

    /// <summary>FFmpeg 7 (7.1's headers; libavformat 61, libavcodec 61, libavutil 59). The display matrix is read from codecpar's coded side data (there since 6.1; the stream's own is deprecated in 7, its getter gone in 8).</summary>
    public static LibavLayout Ffmpeg7 { get; } = new("7",
        StreamIndex: 8, StreamTimeBase: 32, StreamStartTime: 40, StreamDuration: 48, StreamFrameCount: 56,
        StreamAverageFrameRate: 88, StreamCodecParameters: 16,
        ParametersCodedSideData: 32, ParametersCodedSideDataCount: 40,
        FrameBestEffortTimestamp: 320);

    /// <summary>FFmpeg 8 (8.1's headers; libavformat 62, libavcodec 62, libavutil 60). As 7.1, but AVFrame's tail moved.</summary>
    public static LibavLayout Ffmpeg8 { get; } = new("8",
        StreamIndex: 8, StreamTimeBase: 32, StreamStartTime: 40, StreamDuration: 48, StreamFrameCount: 56,
        StreamAverageFrameRate: 88, StreamCodecParameters: 16,
        ParametersCodedSideData: 32, ParametersCodedSideDataCount: 40,
        FrameBestEffortTimestamp: 304);

    /// <summary>FFmpeg 9 (9.0's headers; libavformat 63, libavcodec 63, libavutil 61): the same offsets as 8.</summary>
    public static LibavLayout Ffmpeg9 { get; } = Ffmpeg8 with { Name = "9" };

    /// <summary>Whether the display matrix is read from codecpar's coded side data (from FFmpeg 7; 4 to 6 read the stream's own).</summary>
    public bool SideDataInParameters => ParametersCodedSideData >= 0;

    public static int StreamCount(IntPtr format) => (int)Read<uint>(format, FormatStreamCount);

    public static IntPtr Stream(IntPtr format, int index) => ((IntPtr*)Read<IntPtr>(format, FormatStreams))[index];

    public int StreamIndexOf(IntPtr stream) => Read<int>(stream, StreamIndex);

    public (int Num, int Den) TimeBase(IntPtr stream) => (Read<int>(stream, StreamTimeBase), Read<int>(stream, StreamTimeBase + 4));

    public long StartTime(IntPtr stream) => Read<long>(stream, StreamStartTime);

    public long Duration(IntPtr stream) => Read<long>(stream, StreamDuration);

    public long FrameCount(IntPtr stream) => Read<long>(stream, StreamFrameCount);

    public (int Num, int Den) AverageFrameRate(IntPtr stream) => (Read<int>(stream, StreamAverageFrameRate), Read<int>(stream, StreamAverageFrameRate + 4));

    public IntPtr CodecParameters(IntPtr stream) => Read<IntPtr>(stream, StreamCodecParameters);

    public static int CodecType(IntPtr parameters) => Read<int>(parameters, ParametersCodecType);

    /// <summary>codecpar's coded side data (an AVPacketSideData array) and its length; only where <see cref="SideDataInParameters"/>.</summary>
    public (IntPtr Array, int Count) CodedSideData(IntPtr parameters) => (Read<IntPtr>(parameters, ParametersCodedSideData), Read<int>(parameters, ParametersCodedSideDataCount));

    /// <summary>An AVPacketSideData entry's data and its size in bytes.</summary>
    public static (IntPtr Data, nuint Size) SideDataEntry(IntPtr entry) => (Read<IntPtr>(entry, 0), Read<nuint>(entry, SideDataSize));

    public static int PacketStream(IntPtr packet) => Read<int>(packet, PacketStreamIndex);

    public static byte** Planes(IntPtr frame) => (byte**)frame;

    public static int* Linesizes(IntPtr frame) => (int*)(frame + FrameLinesizes);

    public static (int Width, int Height) FrameSize(IntPtr frame) => (Read<int>(frame, FrameWidth), Read<int>(frame, FrameHeight));

    public static int PixelFormat(IntPtr frame) => Read<int>(frame, FrameFormat);

    public long BestEffortTimestamp(IntPtr frame) => Read<long>(frame, FrameBestEffortTimestamp);

    private static T Read<T>(IntPtr pointer, int offset)
        where T : unmanaged => Unsafe.ReadUnaligned<T>((void*)(pointer + offset));
}
