namespace AlexNet.Realtime.Capture;

/// <summary>What decodes video files (<c>--decoder</c>).</summary>
public enum VideoDecoder
{
    /// <summary>The system's ffmpeg (5.1 or later) when installed, else OpenCV.</summary>
    Auto,

    /// <summary>OpenCV's VideoCapture (the FFmpeg inside OpenCvSharp's runtime); the default.</summary>
    OpenCv,

    /// <summary>The system's ffmpeg in a child process (see <see cref="Readers.FfmpegVideoReader"/>).</summary>
    Ffmpeg,
}
