using System.Diagnostics;
using System.Globalization;
using AlexNet.Realtime.Capture;

namespace AlexNet.Realtime.App.Live;

/// <summary>
/// Headless live mode's word on its source: a line when it is lost (and each retry's reason), and
/// one when frames come again and after how long, so a terminal never sits silent while a stream
/// is down. The window shows the same on its overlay.
/// </summary>
internal sealed class SourceStateLines
{
    private readonly Action<string> _write;
    private readonly object _gate = new();
    private long _lostAt;
    private string? _lastSaid;

    public SourceStateLines(FrameSource source, Action<string> write)
    {
        _write = write;
        source.StateChanged += OnStateChanged;
    }

    private void OnStateChanged(SourceState state, string? problem)
    {
        // Raised on the capture thread (and the watchdog's): one line at a time, in order.
        lock (_gate)
        {
            switch (state)
            {
                case SourceState.Reconnecting when problem is not null && problem != _lastSaid:
                    var first = _lostAt == 0;
                    if (first)
                    {
                        _lostAt = Stopwatch.GetTimestamp();
                    }

                    _lastSaid = problem;
                    // The reason comes from outside (a server's words, a URL): escaped for the terminal.
                    var said = Inference.ErrorText.OneLine(problem);
                    _write(first ? $"source lost: {said}" : $"source still down: {said}");
                    break;
                case SourceState.Running when _lostAt != 0:
                    var down = Stopwatch.GetElapsedTime(_lostAt);
                    _lostAt = 0;
                    _lastSaid = null;
                    _write(string.Create(CultureInfo.InvariantCulture, $"source back after {down.TotalSeconds:0.0} s without frames"));
                    break;
            }
        }
    }
}
