using System.Diagnostics;
using System.Globalization;

namespace AlexNet.Realtime.WeightConverter.Fetching;

/// <summary>
/// A download's progress on stderr: on a terminal one line redrawn in place (a bar, megabytes,
/// rate, time left); otherwise (a log, CI) a line every few seconds, so a log stays short.
/// </summary>
public sealed class ConsoleDownloadProgress : IDownloadProgress
{
    private static readonly TimeSpan s_redraw = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan s_logEvery = TimeSpan.FromSeconds(5);

    private readonly string _prefix;
    private readonly bool _terminal;
    private readonly Stopwatch _clock = new();
    private TimeSpan _lastShown;
    private long _startedAt;
    private long _total;
    private long _have;
    private int _drawnWidth;

    /// <param name="prefix">Put before each line, as the program's own lines are (<c>alexnet-rt: </c>).</param>
    /// <param name="terminal">Redraw one line in place (stderr is a terminal); null: find out.</param>
    public ConsoleDownloadProgress(string prefix, bool? terminal = null)
    {
        _prefix = prefix;
        _terminal = terminal ?? !Console.IsErrorRedirected;
    }

    public void Note(string line)
    {
        ClearLine();
        Console.Error.WriteLine(_prefix + line);
    }

    public void Started(long have, long total)
    {
        _startedAt = have;
        _have = have;
        _total = total;
        _clock.Restart();
        _lastShown = TimeSpan.Zero;
        Show();
    }

    public void Advanced(long have)
    {
        _have = have;
        if (_clock.Elapsed - _lastShown >= (_terminal ? s_redraw : s_logEvery))
        {
            Show();
        }
    }

    public void Stopped()
    {
        if (!_clock.IsRunning)
        {
            return;
        }

        _clock.Stop();
        if (_terminal)
        {
            Show();
            Console.Error.WriteLine();
            _drawnWidth = 0;
        }
        else
        {
            Console.Error.WriteLine(_prefix + Describe());
        }
    }

    private void Show()
    {
        _lastShown = _clock.Elapsed;
        if (!_terminal)
        {
            Console.Error.WriteLine(_prefix + Describe());
            return;
        }

        const int barWidth = 30;
        var filled = _total > 0 ? (int)(barWidth * Math.Min(1.0, (double)_have / _total)) : 0;
        var bar = "[" + new string('#', filled) + new string('-', barWidth - filled) + "] ";
        // Padded over the last line's tail rather than erased with an escape sequence, which a
        // Windows console without virtual-terminal processing prints as text.
        var line = _prefix + bar + Describe();
        Console.Error.Write("\r" + line.PadRight(_drawnWidth));
        _drawnWidth = line.Length;
    }

    private string Describe()
    {
        var inv = CultureInfo.InvariantCulture;
        var percent = _total > 0 ? 100.0 * _have / _total : 0;
        var text = string.Create(inv, $"{percent,5:0.0}%  {_have / 1e6:0.0} of {_total / 1e6:0.0} MB");
        var seconds = _clock.Elapsed.TotalSeconds;
        if (seconds >= 0.5 && _have > _startedAt)
        {
            var rate = (_have - _startedAt) / seconds;
            text += string.Create(inv, $"  {rate / 1e6:0.0} MB/s");
            if (_have < _total)
            {
                var left = TimeSpan.FromSeconds((_total - _have) / rate);
                text += left.TotalHours >= 1 ? string.Create(inv, $"  {(int)left.TotalHours}h{left.Minutes:00}m left") : string.Create(inv, $"  {left.Minutes}:{left.Seconds:00} left");
            }
        }

        return text;
    }

    private void ClearLine()
    {
        if (_drawnWidth > 0)
        {
            Console.Error.Write("\r" + new string(' ', _drawnWidth) + "\r");
            _drawnWidth = 0;
        }
    }
}
