using System.Globalization;
using AlexNet.Realtime.Capture.Readers.Libav;
using AlexNet.Realtime.TestSupport;
using Xunit;

namespace AlexNet.Realtime.Capture.Tests;

/// <summary>
/// Each release's layout equals what <c>scripts/libav/offsets.c</c> printed against that release's
/// headers (kept in <c>scripts/libav/offsets/</c>; check-ffmpeg.sh compares a fresh print with
/// them): CI has only one FFmpeg, so this is what catches a mistyped offset for the others. The
/// files list exactly the fields read, so a field read without a printed offset, or one printed
/// and no longer read, fails here too.
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
            ["AVFormatContext.nb_streams"] = LibavLayout.FormatStreamCount,
            ["AVFormatContext.streams"] = LibavLayout.FormatStreams,
            ["AVStream.index"] = layout.StreamIndex,
            ["AVStream.time_base"] = layout.StreamTimeBase,
            ["AVStream.start_time"] = layout.StreamStartTime,
            ["AVStream.duration"] = layout.StreamDuration,
            ["AVStream.nb_frames"] = layout.StreamFrameCount,
            ["AVStream.avg_frame_rate"] = layout.StreamAverageFrameRate,
            ["AVStream.codecpar"] = layout.StreamCodecParameters,
            ["AVCodecParameters.codec_type"] = LibavLayout.ParametersCodecType,
            ["AVPacket.stream_index"] = LibavLayout.PacketStreamIndex,
            ["AVFrame.linesize"] = LibavLayout.FrameLinesizes,
            ["AVFrame.width"] = LibavLayout.FrameWidth,
            ["AVFrame.height"] = LibavLayout.FrameHeight,
            ["AVFrame.format"] = LibavLayout.FrameFormat,
            ["AVFrame.best_effort_timestamp"] = layout.FrameBestEffortTimestamp,
        };
        if (layout.SideDataInParameters)
        {
            expected["AVCodecParameters.coded_side_data"] = layout.ParametersCodedSideData;
            expected["AVCodecParameters.nb_coded_side_data"] = layout.ParametersCodedSideDataCount;
            expected["AVPacketSideData.data"] = 0;
            expected["AVPacketSideData.size"] = LibavLayout.SideDataSize;
        }

        Assert.Equal(expected.OrderBy(e => e.Key, StringComparer.Ordinal), printed.OrderBy(e => e.Key, StringComparer.Ordinal));
        Assert.Equal(
            $"AV_PIX_FMT_YUV420P {LibavApi.PixelFormatYuv420P}, AV_PIX_FMT_YUVJ420P {LibavApi.PixelFormatYuvJ420P}, AV_PIX_FMT_BGR24 {LibavApi.PixelFormatBgr24}, AVMEDIA_TYPE_VIDEO {LibavApi.MediaTypeVideo}, AVCOL_RANGE_JPEG {LibavApi.ColorRangeJpeg}, AV_PKT_DATA_DISPLAYMATRIX {LibavApi.PacketSideDataDisplayMatrix}, SWS_BICUBIC {LibavApi.SwsBicubic}",
            lines[^1]);
    }

    /// <summary>
    /// The fields the video size, the color range and the fallback frame rate came from are no
    /// longer read by offset (the codec context's AVOptions and av_guess_frame_rate give them):
    /// no release's printed offsets list them.
    /// </summary>
    [Theory]
    [MemberData(nameof(Releases))]
    public void FieldsWithPublicAccessors_NotReadByOffset(string release)
    {
        var printed = File.ReadAllLines(System.IO.Path.Combine(Fixtures.RepositoryRoot, "scripts", "libav", "offsets", $"ffmpeg-{release}.txt"))
            .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[0]);
        Assert.DoesNotContain("AVCodecParameters.width", printed);
        Assert.DoesNotContain("AVCodecParameters.height", printed);
        Assert.DoesNotContain("AVFrame.color_range", printed);
        Assert.DoesNotContain("AVStream.r_frame_rate", printed);
    }

    [Fact]
    public void EveryPrintedRelease_HasALayout()
    {
        var files = Directory.GetFiles(System.IO.Path.Combine(Fixtures.RepositoryRoot, "scripts", "libav", "offsets"), "ffmpeg-*.txt")
            .Select(f => System.IO.Path.GetFileNameWithoutExtension(f)["ffmpeg-".Length..]).Order(StringComparer.Ordinal);
        Assert.Equal(files, LibavApi.Versions.Select(v => v.Layout.Name).Order(StringComparer.Ordinal));
    }
}
