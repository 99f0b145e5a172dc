using System.Runtime.InteropServices;
using OpenCvSharp;

namespace AlexNet.Realtime.App.Commands;

/// <summary>
/// OpenCV and the FFmpeg inside it write their own lines to stderr ("[ERROR:0@0.258] global
/// grfmt_png.cpp:297 readHeader IHDR chunk shall be first...", "[mov,mp4,m4a,3gp,3g2,mj2 @ 0x..]
/// moov atom not found", one per damaged frame of a stream) next to the one line each failure
/// gets from this app. They are silenced unless the user asks for them: <c>OPENCV_LOG_LEVEL</c>
/// or <c>OPENCV_FFMPEG_LOGLEVEL</c> set, or <c>ALEXNET_RT_DEBUG=1</c>.
/// </summary>
internal static partial class NativeLogs
{
    // AV_LOG_QUIET: OpenCV reads OPENCV_FFMPEG_LOGLEVEL with getenv when it first opens a video.
    private const string FfmpegQuiet = "-8";

    public static void Quiet()
    {
        if (Environment.GetEnvironmentVariable("OPENCV_LOG_LEVEL") is not null
            || Environment.GetEnvironmentVariable("OPENCV_FFMPEG_LOGLEVEL") is not null
            || Environment.GetEnvironmentVariable("ALEXNET_RT_DEBUG") == "1")
        {
            return;
        }

        // .NET keeps its own copy of the environment on Unix, which native getenv does not see.
        if (OperatingSystem.IsWindows())
        {
            Environment.SetEnvironmentVariable("OPENCV_FFMPEG_LOGLEVEL", FfmpegQuiet);
        }
        else
        {
            _ = SetEnv("OPENCV_FFMPEG_LOGLEVEL", FfmpegQuiet, overwrite: 0);
        }

        try
        {
            Cv2.SetLogLevel(LogLevel.SILENT);
        }
        catch (Exception e) when (e is DllNotFoundException or TypeInitializationException or EntryPointNotFoundException)
        {
            // OpenCV's native library is missing: the commands that need it say so themselves.
        }
    }

    [LibraryImport("libc", EntryPoint = "setenv", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int SetEnv(string name, string value, int overwrite);
}
