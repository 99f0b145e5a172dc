using AlexNet.Realtime.Capture.Readers;
using OpenCvSharp;

namespace AlexNet.Realtime.Capture;

/// <summary>Which build of a video decoder this process uses, for reports: measurements taken with one FFmpeg are not another's.</summary>
public static class DecoderVersion
{
    /// <summary>"FFmpeg 5 (libavcodec 59.37.100)", "ffmpeg 5.1.9-0+deb12u1" (the program), "OpenCV 4.13.0 (its own FFmpeg)"; null when that decoder is not there.</summary>
    /// <param name="decoder">A decoder as <see cref="CaptureOptions.Resolve"/> gives it (<see cref="VideoDecoder.Auto"/> is resolved here).</param>
    public static string? Of(VideoDecoder decoder) => decoder switch
    {
        VideoDecoder.Auto => Of(CaptureOptions.Resolve(VideoDecoder.Auto)),
        VideoDecoder.Libav => LibavVideoReader.Available ? $"FFmpeg {LibavVideoReader.Release} (libavcodec {LibavVideoReader.LibraryVersion})" : null,
        VideoDecoder.Ffmpeg => FfmpegTool.Version is { } version ? $"ffmpeg {version}" : null,
        _ => $"OpenCV {Cv2.GetVersionString()} (its own FFmpeg)",
    };
}
