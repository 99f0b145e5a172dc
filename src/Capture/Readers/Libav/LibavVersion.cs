namespace AlexNet.Realtime.Capture.Readers.Libav;

/// <summary>An FFmpeg release the libav reader can use: its libraries' soname majors and its struct layout.</summary>
internal sealed record LibavVersion(int Avformat, int Avcodec, int Avutil, int Swscale, LibavLayout Layout);
