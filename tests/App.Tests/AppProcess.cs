using System.Collections.Concurrent;
using System.Diagnostics;
using Xunit;

namespace AlexNet.Realtime.App.Tests;

/// <summary>
/// alexnet-rt started as its own process (as a person starts it), its stderr collected line by
/// line while it runs; killed on dispose if still running.
/// </summary>
internal sealed class AppProcess : IDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _stderr = new();
    private readonly Task<string> _stdout;

    private AppProcess(Process process)
    {
        _process = process;
        process.ErrorDataReceived += (_, line) =>
        {
            if (line.Data is { } text)
            {
                _stderr.Enqueue(text);
            }
        };
        process.BeginErrorReadLine();
        _stdout = process.StandardOutput.ReadToEndAsync();
    }

    public static AppProcess Start(IReadOnlyDictionary<string, string> environment, params string[] args) =>
        StartIn(Environment.CurrentDirectory, environment, args);

    /// <summary>Starts it with <paramref name="workingDirectory"/> as its current folder (for relative names on its command line).</summary>
    public static AppProcess StartIn(string workingDirectory, IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var app = Path.Combine(AppContext.BaseDirectory, "alexnet-rt.dll");
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet", [app, .. args])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            RedirectStandardInput = true,
            WorkingDirectory = workingDirectory,
        };
        foreach (var asked in new[] { "OPENCV_LOG_LEVEL", "OPENCV_FFMPEG_LOGLEVEL", "ALEXNET_RT_DEBUG" })
        {
            start.Environment.Remove(asked);
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        return new AppProcess(Process.Start(start)!);
    }

    public bool HasExited => _process.HasExited;

    /// <summary>The stderr lines so far.</summary>
    public IReadOnlyList<string> Stderr => [.. _stderr];

    /// <summary>Waits for the first stderr line that contains the text; null if none in time.</summary>
    public string? WaitForLine(string text, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        do
        {
            if (_stderr.FirstOrDefault(line => line.Contains(text, StringComparison.Ordinal)) is { } line)
            {
                return line;
            }

            Thread.Sleep(50);
        }
        while (clock.Elapsed < timeout);
        return null;
    }

    /// <summary>Waits for the exit; fails the test (and kills the process) past the timeout.</summary>
    public (int Code, IReadOnlyList<string> Stderr, string Stdout) WaitForExit(TimeSpan timeout)
    {
        if (!_process.WaitForExit(timeout))
        {
            _process.Kill(entireProcessTree: true);
            Assert.Fail($"alexnet-rt did not finish in {timeout.TotalSeconds:0} s; stderr: {string.Join(" | ", _stderr)}");
        }

        // The no-argument wait also drains the redirected streams.
        _process.WaitForExit();
        return (_process.ExitCode, Stderr, _stdout.GetAwaiter().GetResult());
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }

        _process.Dispose();
    }
}
