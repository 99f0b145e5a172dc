using System.Diagnostics;
using System.Globalization;
using Spectre.Console;

namespace AlexNet.Realtime.App.Labeling;

/// <summary>Where labeling reports its progress.</summary>
internal interface ILabelProgress
{
    void StartFile(int index, string name, long frames);

    void Advance(long frames);

    void EndFile();
}

/// <summary>Plain lines on stderr every two seconds (stdout is not a terminal, or a log).</summary>
internal sealed class PlainLabelProgress(int files, long totalFrames, TextWriter output) : ILabelProgress
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private long _lastLine;
    private long _done;
    private int _file;
    private string _name = "";

    public void StartFile(int index, string name, long frames)
    {
        _file = index;
        _name = Inference.ErrorText.OneLine(name);
    }

    public void Advance(long frames)
    {
        _done += frames;
        if (_clock.ElapsedMilliseconds - _lastLine >= 2000)
        {
            _lastLine = _clock.ElapsedMilliseconds;
            var rate = _done / Math.Max(_clock.Elapsed.TotalSeconds, 1e-3);
            var eta = totalFrames > 0 && rate > 0 ? TimeSpan.FromSeconds(Math.Max(0, totalFrames - _done) / rate).ToString(@"hh\:mm\:ss", CultureInfo.InvariantCulture) : "?";
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"label: file {_file + 1}/{files} {_name}: {_done} frames, {rate:0.0} frames/s, ETA {eta}"));
        }
    }

    public void EndFile()
    {
    }
}

/// <summary>Spectre.Console bars, per file and overall, with frames/s and ETA (stdout is a terminal).</summary>
internal sealed class SpectreLabelProgress(ProgressContext context, int files, long totalFrames) : ILabelProgress
{
    private readonly ProgressTask _overall = context.AddTask($"[bold]{files} files[/]", maxValue: Math.Max(1, totalFrames));
    private ProgressTask? _file;

    public void StartFile(int index, string name, long frames)
    {
        _file = context.AddTask(Markup.Escape($"{index + 1}/{files} {Inference.ErrorText.OneLine(name)}"), maxValue: Math.Max(1, frames));
    }

    public void Advance(long frames)
    {
        _file?.Increment(frames);
        _overall.Increment(frames);
    }

    public void EndFile()
    {
        if (_file is not null)
        {
            _file.Value = _file.MaxValue;
            _file.StopTask();
        }
    }
}
