using AlexNet.Realtime.Overlay.Profiling;

namespace AlexNet.Realtime.Overlay;

/// <summary>What the overlay shows besides the labels; one instance, updated by the frame loop.</summary>
public sealed class OverlayState
{
    private readonly StageStats[] _stats = new StageStats[Stages.All.Length];

    public string Device { get; set; } = "";

    public string Model { get; set; } = "";

    public string Source { get; set; } = "";

    public bool SyntheticWeights { get; set; }

    public bool ShowTiming { get; set; } = true;

    public bool Paused { get; set; }

    public double FramesPerSecond { get; set; }

    public long Dropped { get; set; }

    public long Frame { get; set; }

    public double GcPauseMs { get; set; }

    /// <summary>The weight of the past in the labels' moving average across frames (0: each frame's own answer), said on the label panel.</summary>
    public double Smoothing { get; set; }

    /// <summary>Labels below this probability are not drawn (0: all of the top K).</summary>
    public float Threshold { get; set; }

    /// <summary>A source problem to show (reconnecting, stalled); null when all is well.</summary>
    public string? Problem { get; set; }

    public StageStats this[Stage stage]
    {
        get => _stats[(int)stage];
        set => _stats[(int)stage] = value;
    }
}
