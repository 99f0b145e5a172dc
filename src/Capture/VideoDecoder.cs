namespace AlexNet.Realtime.Capture;

/// <summary>What decodes video files (<c>--decoder</c>).</summary>
public enum VideoDecoder
{
    /// <summary>The system's FFmpeg libraries (4 to 9) in this process when they load, else OpenCV; the default.</summary>
    Auto,

    /// <summary>OpenCV's VideoCapture (the FFmpeg inside OpenCvSharp's runtime).</summary>
    OpenCv,

    /// <summary>The system's ffmpeg in a child process (see <see cref="Readers.FfmpegVideoReader"/>).</summary>
    Ffmpeg,

    /// <summary>The system's FFmpeg libraries (4 to 9) in this process (see <see cref="Readers.LibavVideoReader"/>).</summary>
    Libav,
}
