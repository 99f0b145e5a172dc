using System.Diagnostics;

namespace AlexNet.Realtime.TestSupport;

/// <summary>
/// A private X server (Xvfb) on a free display number, with the openbox window manager where a
/// test needs one (full screen, closing a window as its close button does), stopped on dispose.
/// Tests that need it skip with <see cref="MissingReason"/> where Xvfb or the tools are absent.
/// </summary>
public sealed class XDisplay : IDisposable
{
    private readonly Process _server;
    private readonly Process? _windowManager;

    private XDisplay(string name, Process server, Process? windowManager)
    {
        Name = name;
        _server = server;
        _windowManager = windowManager;
    }

    /// <summary>The value for <c>DISPLAY</c>, e.g. ":93".</summary>
    public string Name { get; }

    private static readonly string[] Tools = ["Xvfb", "openbox", "xdotool", "xwd", "xprop", "wmctrl"];

    public const int Width = 1280;
    public const int Height = 800;

    /// <summary>Why window tests can't run here (a program missing), or null when they can.</summary>
    public static string? MissingReason
    {
        get
        {
            if (!OperatingSystem.IsLinux())
            {
                return "window tests run under Xvfb on Linux";
            }

            var missing = Tools.Where(tool => FindOnPath(tool) is null).ToArray();
            return missing.Length == 0
                ? null
                : $"needs {string.Join(", ", missing)} (Debian: apt-get install xvfb openbox xdotool x11-apps x11-utils wmctrl; ./test.sh installs them as root)";
        }
    }

    /// <summary>Starts Xvfb on the first free display from :90, and openbox on it when asked.</summary>
    public static XDisplay Start(bool windowManager)
    {
        for (var number = 90; number < 140; number++)
        {
            if (File.Exists($"/tmp/.X{number}-lock") || File.Exists($"/tmp/.X11-unix/X{number}"))
            {
                continue;
            }

            var name = $":{number}";
            var server = Launch("Xvfb", name, "-screen", "0", $"{Width}x{Height}x24", "-nolisten", "tcp", "-noreset");
            if (!WaitFor(() => File.Exists($"/tmp/.X11-unix/X{number}") || server.HasExited, TimeSpan.FromSeconds(10)) || server.HasExited)
            {
                // Another server took the number between the look and the start.
                Stop(server);
                continue;
            }

            Process? manager = null;
            if (windowManager)
            {
                manager = Launch("openbox", ["--sm-disable"], name);
                // openbox sets _NET_SUPPORTING_WM_CHECK on the root window once it manages the screen.
                WaitFor(() => Tool(name, "xprop", "-root", "_NET_SUPPORTING_WM_CHECK").Output.Contains("window id", StringComparison.Ordinal), TimeSpan.FromSeconds(10));
            }

            return new XDisplay(name, server, manager);
        }

        throw new InvalidOperationException("no free X display number between :90 and :139");
    }

    /// <summary>The ids of the windows whose title matches the pattern (xdotool's regular expression).</summary>
    public IReadOnlyList<string> FindWindows(string titlePattern) =>
        Tool(Name, "xdotool", "search", "--name", titlePattern).Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>Waits for one window with the title; null if none came in time.</summary>
    public string? WaitForWindow(string titlePattern, TimeSpan timeout)
    {
        string? found = null;
        WaitFor(() => FindWindows(titlePattern) is [var first, ..] && (found = first) is not null, timeout);
        return found;
    }

    /// <summary>Gives the window the keyboard focus and types the keys (xdotool's names: q, Escape, space).</summary>
    public void PressKeys(string window, params string[] keys)
    {
        Run("xdotool", "windowactivate", "--sync", window);
        foreach (var key in keys)
        {
            Run("xdotool", "key", "--clearmodifiers", key);
        }
    }

    /// <summary>The window's size in pixels, as X has it.</summary>
    public (int Width, int Height) WindowSize(string window)
    {
        var shell = Tool(Name, "xdotool", "getwindowgeometry", "--shell", window).Output;
        int Field(string key) => int.Parse(shell.Split('\n').First(line => line.StartsWith(key + "=", StringComparison.Ordinal))[(key.Length + 1)..], System.Globalization.CultureInfo.InvariantCulture);
        return (Field("WIDTH"), Field("HEIGHT"));
    }

    public void Resize(string window, int width, int height) => Run("xdotool", "windowsize", "--sync", window, $"{width}", $"{height}");

    /// <summary>Asks the window manager to close the window, as its close button does (_NET_CLOSE_WINDOW).</summary>
    public void CloseWithWindowManager(string window) => Run("wmctrl", "-i", "-c", window);

    /// <summary>The window's pixels now, as BGR rows (xwd: what the X server shows, no compression).</summary>
    public XwdImage Capture(string window)
    {
        var file = Path.Combine(Path.GetTempPath(), $"alexnet-rt-xwd-{Environment.ProcessId}-{Guid.NewGuid():N}.xwd");
        try
        {
            Run("xwd", "-silent", "-id", window, "-out", file);
            return XwdImage.Read(File.ReadAllBytes(file));
        }
        finally
        {
            File.Delete(file);
        }
    }

    private void Run(string tool, params string[] args)
    {
        var (code, output) = Tool(Name, tool, args);
        if (code != 0)
        {
            throw new InvalidOperationException($"{tool} {string.Join(' ', args)} exited {code}: {output}");
        }
    }

    private static (int Code, string Output) Tool(string display, string tool, params string[] args)
    {
        var start = new ProcessStartInfo(tool, args) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment["DISPLAY"] = display;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(20)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{tool} {string.Join(' ', args)} did not finish in 20 s");
        }

        return (process.ExitCode, output.GetAwaiter().GetResult() + error.GetAwaiter().GetResult());
    }

    private static Process Launch(string tool, params string[] args) => Launch(tool, args, null);

    private static Process Launch(string tool, string[] args, string? display)
    {
        var start = new ProcessStartInfo(tool, args) { RedirectStandardOutput = true, RedirectStandardError = true };
        if (display is not null)
        {
            start.Environment["DISPLAY"] = display;
        }

        var process = Process.Start(start)!;
        // Drained, so a chatty server never blocks on a full pipe.
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static bool WaitFor(Func<bool> condition, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            if (condition())
            {
                return true;
            }

            Thread.Sleep(50);
        }

        return condition();
    }

    private static string? FindOnPath(string tool) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(folder => Path.Combine(folder, tool))
            .FirstOrDefault(File.Exists);

    private static void Stop(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit(TimeSpan.FromSeconds(5));
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }

        process.Dispose();
    }

    public void Dispose()
    {
        if (_windowManager is not null)
        {
            Stop(_windowManager);
        }

        Stop(_server);
    }
}
