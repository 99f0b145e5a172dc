using System.Diagnostics;
using OpenCvSharp;

namespace AlexNet.Realtime.Overlay.Presenters;

/// <summary>No window: one status line per second (frames/s, top label, timings) on the given writer.</summary>
public sealed class HeadlessPresenter : IPresenter
{
    private readonly TextWriter _output;
    private readonly Func<string> _status;
    private long _lastLine = Stopwatch.GetTimestamp();

    /// <param name="status">Makes the line; called once a second, not per frame.</param>
    public HeadlessPresenter(TextWriter output, Func<string> status)
    {
        _output = output;
        _status = status;
    }

    public PresenterInput Present(Mat frame)
    {
        if (Stopwatch.GetElapsedTime(_lastLine) >= TimeSpan.FromSeconds(1))
        {
            _lastLine = Stopwatch.GetTimestamp();
            // The line holds a model's label and a source's message: control characters escaped.
            _output.WriteLine(Inference.ErrorText.OneLine(_status()));
        }

        return PresenterInput.None;
    }

    public void Complete() => _output.Flush();

    public void Dispose()
    {
    }
}
