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

    /// <summary>The model's arithmetic (<c>fp32</c>, <c>int8</c>, ...), drawn before the model's name; empty: not drawn.</summary>
    public string Precision { get; set; } = "";

    /// <summary>
    /// A banner for a model written below the converter's agreement threshold (<c>--force</c>), as
    /// synthetic weights get one; null for any other model.
    /// </summary>
    public string? PrecisionWarning { get; set; }

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
