namespace AlexNet.Realtime.Capture;

/// <summary>How frames pass from the capture thread to the consumer.</summary>
public enum HandoffPolicy
{
    /// <summary>Live sources: the newest frame replaces an unread one (each drop counted).</summary>
    Latest,

    /// <summary>Files: every frame, through a bounded queue; the reader waits when it is full.</summary>
    Every,
}
