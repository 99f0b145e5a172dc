namespace AlexNet.Realtime.Overlay.Profiling;

/// <summary>Garbage collections and pause time since a baseline, reported apart from frame times.</summary>
public sealed class GcMonitor
{
    private int _gen0;
    private int _gen1;
    private int _gen2;
    private TimeSpan _pause;

    public GcMonitor() => Reset();

    public int Gen0 => GC.CollectionCount(0) - _gen0;

    public int Gen1 => GC.CollectionCount(1) - _gen1;

    public int Gen2 => GC.CollectionCount(2) - _gen2;

    public double PauseMs => (GC.GetTotalPauseDuration() - _pause).TotalMilliseconds;

    public void Reset()
    {
        _gen0 = GC.CollectionCount(0);
        _gen1 = GC.CollectionCount(1);
        _gen2 = GC.CollectionCount(2);
        _pause = GC.GetTotalPauseDuration();
    }
}
