namespace AlexNet.Realtime.Capture.Handoff;

/// <summary>
/// Every frame, in order: a bounded queue over a fixed pool of buffers. The producer waits while
/// all buffers are queued or held, so a slow consumer slows the reader and nothing is lost.
/// The consumer may hold several frames at once (a batch) and returns each when done.
/// </summary>
internal sealed class QueueHandoff : IFrameHandoff
{
    // A plain object, not System.Threading.Lock: the queue waits with Monitor.Wait/PulseAll.
    private readonly object _gate = new();
    private readonly CapturedFrame[] _frames;
    private readonly Stack<CapturedFrame> _free;
    private readonly Queue<CapturedFrame> _ready;
    private bool _completed;

    public QueueHandoff(int capacity)
    {
        _frames = Enumerable.Range(0, capacity).Select(_ => new CapturedFrame()).ToArray();
        _free = new Stack<CapturedFrame>(_frames);
        _ready = new Queue<CapturedFrame>(capacity);
    }

    public long Dropped => 0;

    public bool IsDrained
    {
        get
        {
            lock (_gate)
            {
                return _completed && _ready.Count == 0;
            }
        }
    }

    public CapturedFrame? Rent(CancellationToken cancel)
    {
        lock (_gate)
        {
            while (_free.Count == 0)
            {
                if (cancel.IsCancellationRequested)
                {
                    return null;
                }

                Monitor.Wait(_gate, 50);
            }

            return cancel.IsCancellationRequested ? null : _free.Pop();
        }
    }

    public void Publish(CapturedFrame frame)
    {
        lock (_gate)
        {
            _ready.Enqueue(frame);
            Monitor.PulseAll(_gate);
        }
    }

    public void Abandon(CapturedFrame frame) => Return(frame);

    public void Complete()
    {
        lock (_gate)
        {
            _completed = true;
            Monitor.PulseAll(_gate);
        }
    }

    public bool TryTake(TimeSpan timeout, out CapturedFrame? frame)
    {
        var deadline = Environment.TickCount64 + (long)timeout.TotalMilliseconds;
        lock (_gate)
        {
            while (_ready.Count == 0)
            {
                var remaining = deadline - Environment.TickCount64;
                if (_completed || remaining <= 0)
                {
                    frame = null;
                    return false;
                }

                Monitor.Wait(_gate, (int)Math.Min(remaining, int.MaxValue));
            }

            frame = _ready.Dequeue();
            return true;
        }
    }

    public void Return(CapturedFrame frame)
    {
        lock (_gate)
        {
            _free.Push(frame);
            Monitor.PulseAll(_gate);
        }
    }

    public void Dispose()
    {
        foreach (var frame in _frames)
        {
            frame.Dispose();
        }
    }
}
