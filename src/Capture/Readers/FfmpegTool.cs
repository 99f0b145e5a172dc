using System.Diagnostics;
using System.Globalization;

namespace AlexNet.Realtime.Capture.Readers;

/// <summary>
/// The system's <c>ffmpeg</c> and <c>ffprobe</c> programs: whether they answer, a run to its end
/// with a timeout, and ending a child process. Shared by the stream and video-file readers.
/// </summary>
internal static class FfmpegTool
{
    private static readonly Lazy<string?> s_version = new(() => VersionOf("ffmpeg") is { } version && VersionOf("ffprobe") is not null ? version : null);

    /// <summary>True when <c>ffmpeg</c> and <c>ffprobe</c> answer on this machine (checked once).</summary>
    public static bool Available => s_version.Value is not null;

    /// <summary>ffmpeg's version as it prints it (<c>5.1.9-0+deb12u1</c>, or <c>N-...</c> for a git build); null when not installed.</summary>
    public static string? Version => s_version.Value;

    /// <summary>
    /// True when ffmpeg is at least 5.1, whose options the video-file reader uses
    /// (<c>-fps_mode</c>, <c>showinfo=checksum=0</c>, <c>-loglevel level+...</c>). A git build
    /// (<c>N-...</c>) counts as new enough.
    /// </summary>
    public static bool DecodesVideoFiles => Version is { } version && IsAtLeast(version, 5, 1);

    internal static bool IsAtLeast(string version, int major, int minor)
    {
        if (version.StartsWith('N'))
        {
            return true;
        }

        var digits = version.Split('.', '-', '+', '~');
        return digits.Length >= 2
               && int.TryParse(digits[0], NumberStyles.None, CultureInfo.InvariantCulture, out var hasMajor)
               && int.TryParse(digits[1], NumberStyles.None, CultureInfo.InvariantCulture, out var hasMinor)
               && (hasMajor > major || (hasMajor == major && hasMinor >= minor));
    }

    /// <summary>Runs a program to its end and returns its stdout; a failure or a timeout is a <see cref="CaptureException"/> naming <paramref name="what"/>.</summary>
    public static string RunToEnd(string program, IEnumerable<string> args, TimeSpan timeout, string what)
    {
        var (exitCode, output, firstError) = Run(program, args, timeout, what);
        return exitCode == 0 ? output : throw new CaptureException($"{what}: {program}: {firstError ?? "exit code " + exitCode}");
    }

    /// <summary>Runs a program to its end: its exit code, stdout and first stderr line (null if none). Only a start failure or a timeout throws.</summary>
    public static (int ExitCode, string Output, string? FirstError) Run(string program, IEnumerable<string> args, TimeSpan timeout, string what)
    {
        using var process = Process.Start(new ProcessStartInfo(program, args) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false })
                            ?? throw new CaptureException($"{what}: {program} did not start");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout + TimeSpan.FromSeconds(2)))
        {
            process.Kill(entireProcessTree: true);
            throw new CaptureException($"{what}: {program} got no answer within {timeout.TotalSeconds:0.#} s");
        }

        var first = FirstLine.Of(error.GetAwaiter().GetResult());
        return (process.ExitCode, output.GetAwaiter().GetResult(), first.Length > 0 ? first : null);
    }

    /// <summary>Ends a child process (if still running), waits briefly for it and disposes it.</summary>
    public static void End(Process? process)
    {
        if (process is null)
        {
            return;
        }

        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            process.WaitForExit(2000);
        }
        catch (InvalidOperationException)
        {
            // already gone
        }

        process.Dispose();
    }

    /// <summary>An ffprobe rate such as <c>30000/1001</c> as a number; 0 when absent or malformed.</summary>
    public static double ParseRate(string? text)
    {
        var parts = (text ?? "").Trim().Split('/');
        return parts.Length == 2
               && double.TryParse(parts[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var n)
               && double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && d > 0
            ? n / d
            : 0;
    }

    /// <summary>The version word of <c>program -version</c>'s first line ("ffmpeg version 5.1.9 ..."); null when it does not run.</summary>
    private static string? VersionOf(string program)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo(program, ["-version"]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false });
            if (process is null)
            {
                return null;
            }

            var output = process.StandardOutput.ReadToEnd();
            process.WaitForExit(5000);
            if (process.ExitCode != 0)
            {
                return null;
            }

            var words = output.Split('\n')[0].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            return words.Length >= 3 && words[1] == "version" ? words[2] : "unknown";
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }
}
