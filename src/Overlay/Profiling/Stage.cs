namespace AlexNet.Realtime.Overlay.Profiling;

/// <summary>The fixed phases of one frame, in order, plus the whole of it.</summary>
public enum Stage
{
    /// <summary>Waiting for the capture thread's newest frame.</summary>
    CaptureWait,

    /// <summary>Classify: upload (if any), the graph, readback of the top-K.</summary>
    Inference,

    /// <summary>Drawing labels, bars and timings onto the frame.</summary>
    Overlay,

    /// <summary>Showing, recording or discarding the frame.</summary>
    Present,

    /// <summary>From the frame's capture timestamp to the end of present.</summary>
    EndToEnd,
}

public static class Stages
{
    public static readonly Stage[] All = [Stage.CaptureWait, Stage.Inference, Stage.Overlay, Stage.Present, Stage.EndToEnd];

    /// <summary>The name used in reports, traces and the overlay.</summary>
    public static string Name(this Stage stage) => stage switch
    {
        Stage.CaptureWait => "capture",
        Stage.Inference => "inference",
        Stage.Overlay => "overlay",
        Stage.Present => "present",
        _ => "end_to_end",
    };
}
