using System.Globalization;
using AlexNet.Realtime.Capture.Readers.Libav;
using AlexNet.Realtime.TestSupport;
using Xunit;

namespace AlexNet.Realtime.Capture.Tests;

/// <summary>
/// Each release's layout equals what <c>scripts/libav/offsets.c</c> printed against that release's
/// headers (kept in <c>scripts/libav/offsets/</c>; check-ffmpeg.sh compares a fresh print with
/// them): CI has only one FFmpeg, so this is what catches a mistyped offset for the others.
/// </summary>
public sealed class LibavLayoutTests
{
    public static TheoryData<string> Releases => new(LibavApi.Versions.Select(v => v.Layout.Name));

    [Theory]
    [MemberData(nameof(Releases))]
    public void Layout_EqualsTheOffsetsPrintedFromItsHeaders(string release)
    {
        var version = LibavApi.Versions.Single(v => v.Layout.Name == release);
        var layout = version.Layout;
        var lines = File.ReadAllLines(System.IO.Path.Combine(Fixtures.RepositoryRoot, "scripts", "libav", "offsets", $"ffmpeg-{release}.txt"));
        Assert.Equal($"libavformat {version.Avformat}, libavcodec {version.Avcodec}, libavutil {version.Avutil}, libswscale {version.Swscale}", lines[0]);

        var printed = lines.Skip(1).Where(l => l.Contains('.', StringComparison.Ordinal) && !l.StartsWith("AV_", StringComparison.Ordinal))
            .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .ToDictionary(p => p[0], p => int.Parse(p[1], CultureInfo.InvariantCulture));
        var expected = new Dictionary<string, int>
        {
            ["AVFormatContext.nb_streams"] = layout.FormatStreamCount,
            ["AVFormatContext.streams"] = layout.FormatStreams,
            ["AVStream.index"] = layout.StreamIndex,
            ["AVStream.time_base"] = layout.StreamTimeBase,
            ["AVStream.start_time"] = layout.StreamStartTime,
            ["AVStream.duration"] = layout.StreamDuration,
            ["AVStream.nb_frames"] = layout.StreamFrameCount,
            ["AVStream.avg_frame_rate"] = layout.StreamAverageFrameRate,
            ["AVStream.r_frame_rate"] = layout.StreamRealFrameRate,
            ["AVStream.codecpar"] = layout.StreamCodecParameters,
            ["AVCodecParameters.codec_type"] = LibavLayout.ParametersCodecType,
            ["AVCodecParameters.width"] = layout.ParametersWidth,
            ["AVCodecParameters.height"] = layout.ParametersHeight,
            ["AVPacket.stream_index"] = LibavLayout.PacketStreamIndex,
            ["AVFrame.linesize"] = LibavLayout.FrameLinesizes,
            ["AVFrame.width"] = LibavLayout.FrameWidth,
            ["AVFrame.height"] = LibavLayout.FrameHeight,
            ["AVFrame.format"] = LibavLayout.FrameFormat,
            ["AVFrame.color_range"] = layout.FrameColorRange,
            ["AVFrame.best_effort_timestamp"] = layout.FrameBestEffortTimestamp,
        };
        if (layout.SideDataInParameters)
        {
            expected["AVCodecParameters.coded_side_data"] = layout.ParametersCodedSideData;
            expected["AVCodecParameters.nb_coded_side_data"] = layout.ParametersCodedSideDataCount;

            // LibavApi.DisplayMatrix reads an entry's data and size at these offsets.
            expected["AVPacketSideData.data"] = 0;
            expected["AVPacketSideData.size"] = IntPtr.Size;
            expected["AVPacketSideData.type"] = 2 * IntPtr.Size;
        }

        Assert.Equal(expected.OrderBy(e => e.Key, StringComparer.Ordinal), printed.OrderBy(e => e.Key, StringComparer.Ordinal));
        Assert.Equal(
            $"AV_PIX_FMT_YUV420P {LibavApi.PixelFormatYuv420P}, AV_PIX_FMT_YUVJ420P {LibavApi.PixelFormatYuvJ420P}, AV_PIX_FMT_BGR24 {LibavApi.PixelFormatBgr24}, AVMEDIA_TYPE_VIDEO {LibavApi.MediaTypeVideo}, AVCOL_RANGE_JPEG {LibavApi.ColorRangeJpeg}, AV_PKT_DATA_DISPLAYMATRIX {LibavApi.PacketSideDataDisplayMatrix}, SWS_BICUBIC {LibavApi.SwsBicubic}",
            lines[^1]);
    }

    [Fact]
    public void EveryPrintedRelease_HasALayout()
    {
        var files = Directory.GetFiles(System.IO.Path.Combine(Fixtures.RepositoryRoot, "scripts", "libav", "offsets"), "ffmpeg-*.txt")
            .Select(f => System.IO.Path.GetFileNameWithoutExtension(f)["ffmpeg-".Length..]).Order(StringComparer.Ordinal);
        Assert.Equal(files, LibavApi.Versions.Select(v => v.Layout.Name).Order(StringComparer.Ordinal));
    }
}
