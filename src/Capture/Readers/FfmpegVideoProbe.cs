using System.Globalization;
using System.Text.Json;

namespace AlexNet.Realtime.Capture.Readers;

/// <summary>What ffprobe says about the file's first video stream.</summary>
internal readonly record struct FfmpegVideoProbe(int Width, int Height, bool PlainI420, double FramesPerSecond, long FrameCount, long StartPts, long TimeBaseNum, long TimeBaseDen, bool FrameCountIsExact = false)
{
    public static FfmpegVideoProbe Of(string path, string origin, TimeSpan timeout)
    {
        var url = "file:" + path;
        var (exitCode, json, error) = FfmpegTool.Run("ffprobe",
        [
            "-v", "error", "-select_streams", "v:0",
            "-show_entries", "stream=width,height,pix_fmt,color_range,avg_frame_rate,r_frame_rate,time_base,start_pts,nb_frames,duration:stream_side_data=rotation:stream_tags=rotate",
            "-of", "json", url,
        ], timeout, origin);
        if (exitCode != 0)
        {
            // ffprobe says "file:/path: Invalid data found when processing input".
            var why = error is null ? $"ffprobe exit code {exitCode}" : error.StartsWith(url + ": ", StringComparison.Ordinal) ? error[(url.Length + 2)..] : error;
            throw new CaptureException($"{origin}: cannot be opened as a video ({why})");
        }

        JsonElement stream;
        try
        {
            using var document = JsonDocument.Parse(json);
            var streams = document.RootElement.GetProperty("streams");
            if (streams.GetArrayLength() == 0)
            {
                throw new CaptureException($"{origin}: cannot be opened as a video (no video stream)");
            }

            stream = streams[0].Clone();
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new CaptureException($"{origin}: cannot be opened as a video (ffprobe's answer was not understood)");
        }

        var width = Int(stream, "width");
        var height = Int(stream, "height");
        if (width < 1 || height < 1)
        {
            throw new CaptureException($"{origin}: cannot be opened as a video (no frame size)");
        }

        if (Math.Abs(Rotation(stream)) % 180 == 90)
        {
            (width, height) = (height, width);
        }

        var rate = FfmpegTool.ParseRate(Text(stream, "avg_frame_rate"));
        if (rate <= 0)
        {
            rate = FfmpegTool.ParseRate(Text(stream, "r_frame_rate"));
        }

        var frames = long.TryParse(Text(stream, "nb_frames"), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : -1;
        if (frames < 0 && double.TryParse(Text(stream, "duration"), NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds > 0 && rate > 0)
        {
            frames = (long)Math.Floor((seconds * rate) + 0.5);
        }

        var timeBase = (Text(stream, "time_base") ?? "").Split('/');
        long.TryParse(timeBase[0], NumberStyles.None, CultureInfo.InvariantCulture, out var tbNum);
        var tbDen = timeBase.Length == 2 && long.TryParse(timeBase[1], NumberStyles.None, CultureInfo.InvariantCulture, out var d) ? d : 0;
        var startPts = long.TryParse(Text(stream, "start_pts"), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var s) ? s : 0;
        var plain = Text(stream, "pix_fmt") == "yuv420p" && Text(stream, "color_range") != "pc" && width % 2 == 0 && height % 2 == 0;
        return new FfmpegVideoProbe(width, height, plain, rate, frames, startPts, tbNum, tbDen, FrameCountIsExact: n > 0);
    }

    private static string? Text(JsonElement stream, string name) =>
        stream.TryGetProperty(name, out var value) ? value.ValueKind == JsonValueKind.String ? value.GetString() : value.GetRawText() : null;

    private static int Int(JsonElement stream, string name) =>
        stream.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number) ? number : 0;

    private static int Rotation(JsonElement stream)
    {
        if (stream.TryGetProperty("side_data_list", out var list) && list.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in list.EnumerateArray())
            {
                if (item.TryGetProperty("rotation", out var rotation) && rotation.ValueKind == JsonValueKind.Number)
                {
                    return (int)Math.Round(rotation.GetDouble());
                }
            }
        }

        return stream.TryGetProperty("tags", out var tags) && tags.TryGetProperty("rotate", out var rotate)
               && int.TryParse(rotate.GetString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var degrees)
            ? degrees
            : 0;
    }
}
