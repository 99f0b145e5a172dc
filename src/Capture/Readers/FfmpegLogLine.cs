using System.Buffers.Text;
using System.Text;

namespace AlexNet.Realtime.Capture.Readers;

/// <summary>
/// Reads what the video-file reader needs from one line of ffmpeg's log (run with
/// <c>-loglevel level+info</c> and the <c>showinfo</c> filter): a frame's pts, the filter's time
/// base, an error. Works on UTF-8 bytes, so a frame's line costs no allocation.
/// </summary>
internal static class FfmpegLogLine
{
    /// <summary>A frame's line: <c>[Parsed_showinfo_0 @ 0x..] [info] n:  12 pts:   6144 pts_time:0.4 ...</c>.</summary>
    /// <param name="pts">The frame's pts in the time base's units; <see cref="long.MinValue"/> when ffmpeg printed NOPTS.</param>
    public static bool TryFramePts(ReadOnlySpan<byte> line, out long pts)
    {
        pts = long.MinValue;
        if (line.IndexOf("Parsed_showinfo"u8) < 0)
        {
            return false;
        }

        var n = line.IndexOf("] n:"u8);
        if (n < 0)
        {
            return false;
        }

        var at = line[n..].IndexOf(" pts:"u8);
        if (at < 0)
        {
            return false;
        }

        var value = line[(n + at + 5)..].TrimStart((byte)' ');
        if (Utf8Parser.TryParse(value, out long parsed, out _))
        {
            pts = parsed;
        }

        return true;
    }

    /// <summary>The filter's input: <c>[Parsed_showinfo_0 @ 0x..] [info] config in time_base: 1/15360, frame_rate: 30/1</c>.</summary>
    public static bool TryTimeBase(ReadOnlySpan<byte> line, out long numerator, out long denominator)
    {
        numerator = 0;
        denominator = 0;
        if (line.IndexOf("Parsed_showinfo"u8) < 0)
        {
            return false;
        }

        var at = line.IndexOf("config in time_base:"u8);
        if (at < 0)
        {
            return false;
        }

        var value = line[(at + 20)..].TrimStart((byte)' ');
        if (!Utf8Parser.TryParse(value, out long num, out var used) || used >= value.Length || value[used] != (byte)'/'
            || !Utf8Parser.TryParse(value[(used + 1)..], out long den, out _) || num <= 0 || den <= 0)
        {
            return false;
        }

        numerator = num;
        denominator = den;
        return true;
    }

    /// <summary>An error or fatal line's message, without ffmpeg's prefixes; null for any other line.</summary>
    public static string? Error(ReadOnlySpan<byte> line)
    {
        var at = line.IndexOf("] ["u8);
        var level = at >= 0 ? line[(at + 2)..] : line;
        if (!(level.StartsWith("[error] "u8) || level.StartsWith("[fatal] "u8) || level.StartsWith("[panic] "u8)))
        {
            return null;
        }

        return Encoding.UTF8.GetString(level[8..]).Trim();
    }
}
