namespace AlexNet.Realtime.Capture.Handoff;

/// <summary>
/// Latest-frame-wins, lock-free: a triple buffer (as osu-framework's TripleBuffer). The producer
/// writes its back buffer and swaps it into the middle slot in one atomic exchange; the consumer
/// swaps the middle slot with its front buffer when a fresh frame is there. A frame published
/// over an unread one replaces it and counts as dropped. Neither side ever waits for the other.
/// </summary>
internal sealed class LatestFrameHandoff : IFrameHandoff
{
    private const int Fresh = 4;
    private const int IndexMask = 3;

    private readonly CapturedFrame[] _frames = [new(), new(), new()];
    private readonly ManualResetEventSlim _published = new(false);
    private int _middle = 1;
    private int _back;
    private int _front = 2;
    private long _dropped;
    private volatile bool _completed;

    public long Dropped => Interlocked.Read(ref _dropped);

    public bool IsDrained => _completed && (Volatile.Read(ref _middle) & Fresh) == 0;

    public CapturedFrame? Rent(CancellationToken cancel) => cancel.IsCancellationRequested ? null : _frames[_back];

    public void Publish(CapturedFrame frame)
    {
        var previous = Interlocked.Exchange(ref _middle, _back | Fresh);
        _back = previous & IndexMask;
        if ((previous & Fresh) != 0)
        {
            Interlocked.Increment(ref _dropped);
        }

        _published.Set();
    }

    public void Abandon(CapturedFrame frame)
    {
        // The back buffer stays the producer's; nothing to do.
    }

    public void Complete()
    {
        _completed = true;
        _published.Set();
    }

    public bool TryTake(TimeSpan timeout, out CapturedFrame? frame)
    {
        var deadline = Environment.TickCount64 + (long)timeout.TotalMilliseconds;
        while (true)
        {
            _published.Reset();
            if ((Volatile.Read(ref _middle) & Fresh) != 0)
            {
                var previous = Interlocked.Exchange(ref _middle, _front);
                _front = previous & IndexMask;
                frame = _frames[_front];
                return true;
            }

            var remaining = deadline - Environment.TickCount64;
            if (_completed || remaining <= 0)
            {
                frame = null;
                return false;
            }

            _published.Wait(TimeSpan.FromMilliseconds(remaining));
        }
    }

    public void Return(CapturedFrame frame)
    {
        // The front buffer stays the consumer's until its next take.
    }

    public void Dispose()
    {
        _published.Dispose();
        foreach (var frame in _frames)
        {
            frame.Dispose();
        }
    }
}
