using Microsoft.ML.OnnxRuntime;

namespace AlexNet.Realtime.Inference.Engine;

/// <summary>
/// The runs of one engine: one at a time, under <see cref="Lock"/>, and stopped from any thread.
/// <see cref="Cancel"/> and <see cref="Stop"/> end a run in progress by setting
/// <see cref="RunOptions.Terminate"/> on every run options the engine runs with (its default ones
/// and those it <see cref="Track"/>s, such as CUDA graphs' ids).
/// </summary>
/// <remarks>Owns every run options it hands out or tracks, and disposes them with itself.</remarks>
internal sealed class RunControl : IDisposable
{
    private readonly List<RunOptions> _tracked = [];
    private volatile bool _cancelled;
    private volatile bool _stopping;
    private volatile bool _retired;

    /// <summary>Held for a run and for anything that must not overlap one (disposing, re-opening a session).</summary>
    public Lock Lock { get; } = new();

    /// <summary>The run options of runs that need none of their own.</summary>
    public RunOptions Default { get; } = new();

    /// <summary>Adds run options of the engine's own, to be ended and disposed with the default ones.</summary>
    public RunOptions Track(RunOptions options)
    {
        lock (_tracked)
        {
            options.Terminate = _stopping;
            _tracked.Add(options);
        }

        return options;
    }

    /// <exception cref="ObjectDisposedException">The engine is disposed.</exception>
    /// <exception cref="OperationCanceledException">The engine was cancelled.</exception>
    public void ThrowIfUnusable()
    {
        ObjectDisposedException.ThrowIf(_retired, typeof(ClassifierEngine));
        if (_cancelled)
        {
            throw new OperationCanceledException("classification was cancelled");
        }
    }

    /// <summary>Stops a run in progress; later runs throw <see cref="OperationCanceledException"/>.</summary>
    public void Cancel()
    {
        _cancelled = true;
        Stop();
    }

    /// <summary>Stops a run in progress, so that the engine can be disposed without waiting for it.</summary>
    public void Stop()
    {
        _stopping = true;
        Default.Terminate = true;
        lock (_tracked)
        {
            foreach (var options in _tracked)
            {
                options.Terminate = true;
            }
        }
    }

    /// <summary>Marks the engine disposed, under <see cref="Lock"/>; false when it already was.</summary>
    public bool Retire()
    {
        if (_retired)
        {
            return false;
        }

        _retired = true;
        return true;
    }

    /// <summary>One run of <paramref name="session"/>; the caller holds <see cref="Lock"/>.</summary>
    /// <param name="options">The slot's own run options (a CUDA graph), or null: <see cref="Default"/>.</param>
    public void Run(EngineSession session, OrtIoBinding binding, RunOptions? options)
    {
        try
        {
            session.Session.RunWithBinding(options ?? Default, binding);
        }
        catch (OnnxRuntimeException) when (_stopping)
        {
            throw new OperationCanceledException("classification was cancelled");
        }
        catch (OnnxRuntimeException e)
        {
            throw new InferenceException($"{session.ModelName} on {session.Device}: {ErrorText.FirstLine(e.Message)}", e);
        }
    }

    public void Dispose()
    {
        Default.Dispose();
        lock (_tracked)
        {
            foreach (var options in _tracked)
            {
                options.Dispose();
            }

            _tracked.Clear();
        }
    }
}
