namespace AlexNet.Realtime.Capture;

/// <summary>Where a frame source stands.</summary>
public enum SourceState
{
    Connecting,
    Running,

    /// <summary>It failed, stalled or froze; waiting out a backoff before opening it again.</summary>
    Reconnecting,

    /// <summary>A file reached its end (and <c>--loop</c> is off).</summary>
    Ended,

    /// <summary>It could not be opened, or reconnecting gave up.</summary>
    Failed,

    Stopped,
}
