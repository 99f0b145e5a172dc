namespace AlexNet.Realtime.Capture.Handoff;

/// <summary>
/// Passes pooled frames from the capture thread (one producer) to the consumer (one thread).
/// The producer rents a buffer, fills it and publishes it; the consumer takes and returns.
/// </summary>
internal interface IFrameHandoff : IDisposable
{
    /// <summary>Frames published over an unread one (latest-frame-wins only).</summary>
    long Dropped { get; }

    /// <summary>A buffer to fill; waits while every buffer is queued (every-frame). Null once stopped.</summary>
    CapturedFrame? Rent(CancellationToken cancel);

    void Publish(CapturedFrame frame);

    /// <summary>A rented buffer that was not filled goes back unused.</summary>
    void Abandon(CapturedFrame frame);

    /// <summary>No more frames will come: a waiting consumer wakes.</summary>
    void Complete();

    /// <summary>The next frame, waiting up to <paramref name="timeout"/>; false on timeout or when complete and drained.</summary>
    bool TryTake(TimeSpan timeout, out CapturedFrame? frame);

    /// <summary>The consumer is done with a frame.</summary>
    void Return(CapturedFrame frame);

    /// <summary>Complete, and nothing left to take.</summary>
    bool IsDrained { get; }
}
