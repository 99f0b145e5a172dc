namespace AlexNet.Realtime.Capture.Readers.Libav;

/// <summary>FFmpeg's AVRational (two ints), as <c>av_guess_frame_rate</c> returns it by value.</summary>
internal readonly record struct Rational(int Num, int Den);
