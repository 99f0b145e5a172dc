using AlexNet.Realtime.Capture;

namespace AlexNet.Realtime.App.Live;

/// <summary>How a run of the frame loop ended.</summary>
internal sealed record LoopResult(long Frames, TimeSpan Elapsed, long Dropped, SourceState SourceState, string? Problem, bool Cancelled)
{
    public double FramesPerSecond => Elapsed > TimeSpan.Zero ? Frames / Elapsed.TotalSeconds : 0;
}
