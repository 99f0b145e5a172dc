using System.Diagnostics;
using Spectre.Console;

namespace AlexNet.Realtime.WeightConverter.Cli;

/// <summary>
/// Shows the converter's long steps on stderr (stdout stays clean for JSON): a spinner per step
/// when stderr is a terminal, one line per finished step otherwise.
/// </summary>
public sealed class Steps
{
    private readonly IAnsiConsole _console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
    private readonly bool _interactive = !Console.IsErrorRedirected;
    private readonly bool _quiet;

    public Steps(bool quiet)
    {
        _quiet = quiet;
    }

    public T Run<T>(string title, Func<T> step)
    {
        // Titles name files, whose names may hold escape sequences or bidi overrides.
        title = Inference.ErrorText.OneLine(title);
        var clock = Stopwatch.StartNew();
        T result;
        if (_interactive && !_quiet)
        {
            result = _console.Status().Spinner(Spinner.Known.Dots).Start(Markup.Escape(title) + "...", _ => step());
        }
        else
        {
            result = step();
        }

        if (!_quiet)
        {
            _console.MarkupLine($"{Markup.Escape(title)}: done in {clock.Elapsed.TotalSeconds:0.00} s");
        }

        return result;
    }

    public void Run(string title, Action step) => Run(title, () =>
    {
        step();
        return 0;
    });

    public void Info(string line)
    {
        if (!_quiet)
        {
            _console.MarkupLine(Markup.Escape(Inference.ErrorText.OneLine(line)));
        }
    }

    /// <summary>A warning: on stderr as one line, quiet or not.</summary>
    public static void Warn(string line) => Console.Error.WriteLine($"alexnet-convert: warning: {Inference.ErrorText.OneLine(line)}");
}
