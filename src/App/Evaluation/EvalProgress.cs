using System.Diagnostics;
using System.Globalization;
using Spectre.Console;

namespace AlexNet.Realtime.App.Evaluation;

/// <summary>Where an evaluation reports the images done (classified or failed).</summary>
internal interface IEvalProgress
{
    /// <summary>The dataset's size, once a counting pass knows it.</summary>
    void SetTotal(long images);

    void Advance(long images);
}

/// <summary>A plain line on stderr every two seconds: images done, images/s, ETA (no terminal, or a log).</summary>
internal sealed class PlainEvalProgress(TextWriter output) : IEvalProgress
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private long _lastLine;
    private long _done;
    private long _total;

    public void SetTotal(long images) => Interlocked.Exchange(ref _total, images);

    public void Advance(long images)
    {
        _done += images;
        if (_clock.ElapsedMilliseconds - _lastLine < 2000)
        {
            return;
        }

        _lastLine = _clock.ElapsedMilliseconds;
        var rate = _done / Math.Max(_clock.Elapsed.TotalSeconds, 1e-3);
        var total = Interlocked.Read(ref _total);
        var of = total > 0 ? $"/{total}" : "";
        var eta = total > 0 && rate > 0 ? TimeSpan.FromSeconds(Math.Max(0, total - _done) / rate).ToString(@"hh\:mm\:ss", CultureInfo.InvariantCulture) : "?";
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"eval: {_done}{of} images, {rate:0.0} images/s, ETA {eta}"));
    }
}

/// <summary>A Spectre.Console bar with images/s and ETA (a terminal).</summary>
internal sealed class SpectreEvalProgress(ProgressContext context) : IEvalProgress
{
    private readonly ProgressTask _task = context.AddTask("[bold]images[/]", maxValue: 1);
    private long _total;

    public void SetTotal(long images) => Interlocked.Exchange(ref _total, images);

    public void Advance(long images)
    {
        // The total arrives from the counting pass while the run goes: taken up on the run's thread.
        var total = Interlocked.Read(ref _total);
        if (total > 0 && _task.MaxValue != total)
        {
            _task.MaxValue = total;
        }

        _task.Increment(images);
    }
}
