using AlexNet.Realtime.Inference.Engine;

namespace AlexNet.Realtime.App.Labeling;

/// <summary>
/// The engines of a labeling run: the caller's engine first, then the lanes opened over its
/// session for this run. Owns (and disposes) the lanes, not the caller's engine.
/// </summary>
internal sealed class LaneSet(List<ClassifierEngine> lanes) : IDisposable
{
    public void Dispose()
    {
        foreach (var lane in lanes.Skip(1))
        {
            lane.Dispose();
        }
    }
}
