using System.Runtime.ExceptionServices;
using AlexNet.Realtime.Inference.Engine;
using OpenCvSharp;

namespace AlexNet.Realtime.App.Labeling;

/// <summary>
/// One engine classifying batches for the labeling loop: <see cref="Start"/> hands it a batch,
/// <see cref="Wait"/> gives the answers. With <c>ownThread</c> the batch runs on the
/// lane's own thread, so that several lanes run batches side by side while the loop writes rows;
/// without, <see cref="Wait"/> runs it on the caller's thread.
/// </summary>
/// <remarks>
/// The answers belong to the engine until the lane's next batch. The frames belong to the caller,
/// who must not touch or return them between <see cref="Start"/> and <see cref="Wait"/>. A batch
/// hands over through two semaphores, so a batch allocates nothing. Owns its thread, not its engine.
/// </remarks>
internal sealed class BatchLane : IDisposable
{
    private readonly ClassifierEngine _engine;
    private readonly Thread? _thread;
    private readonly SemaphoreSlim _started = new(0);
    private readonly SemaphoreSlim _finished = new(0);
    private IReadOnlyList<Mat>? _frames;
    private IReadOnlyList<Prediction>? _answers;
    private ExceptionDispatchInfo? _error;
    private volatile bool _closing;

    public BatchLane(ClassifierEngine engine, bool ownThread)
    {
        _engine = engine;
        if (ownThread)
        {
            _thread = new Thread(Loop) { IsBackground = true, Name = "label lane" };
            _thread.Start();
        }
    }

    /// <summary>A batch is started and not yet waited for.</summary>
    public bool Busy { get; private set; }

    public void Start(IReadOnlyList<Mat> frames)
    {
        ObjectDisposedException.ThrowIf(_closing, this);
        if (Busy)
        {
            throw new InvalidOperationException("the lane's previous batch was not waited for");
        }

        _frames = frames;
        Busy = true;
        if (_thread is not null)
        {
            _started.Release();
        }
    }

    /// <summary>Waits for the started batch; throws what classifying it threw.</summary>
    public IReadOnlyList<Prediction> Wait()
    {
        if (!Busy)
        {
            throw new InvalidOperationException("the lane has no batch started");
        }

        if (_thread is null)
        {
            Classify();
        }
        else
        {
            _finished.Wait();
        }

        Busy = false;
        var error = _error;
        _error = null;
        error?.Throw();
        return _answers!;
    }

    /// <summary>Waits for a started batch, if any, and forgets its answers or error.</summary>
    public void Drain()
    {
        if (!Busy)
        {
            return;
        }

        if (_thread is not null)
        {
            _finished.Wait();
        }

        Busy = false;
        _error = null;
        _answers = null;
    }

    public void Dispose()
    {
        if (_closing)
        {
            return;
        }

        Drain();
        _closing = true;
        if (_thread is not null)
        {
            _started.Release();
            _thread.Join();
        }

        _started.Dispose();
        _finished.Dispose();
    }

    private void Loop()
    {
        while (true)
        {
            _started.Wait();
            if (_closing)
            {
                return;
            }

            Classify();
            _finished.Release();
        }
    }

    private void Classify()
    {
        try
        {
            _answers = _frames!.Count > 0 ? _engine.ClassifyBatch(_frames) : [];
        }
        catch (Exception e)
        {
            _answers = null;
            _error = ExceptionDispatchInfo.Capture(e);
        }
    }
}
