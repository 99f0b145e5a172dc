using System.Diagnostics;

namespace AlexNet.Realtime.TestSupport;

/// <summary>Files that are not regular files, as a careless or hostile user hands them over: devices and FIFOs.</summary>
public static class SpecialFiles
{
    /// <summary>Why the special files can't be made here (Windows has no FIFOs or /dev/zero), or null.</summary>
    public static string? Unavailable =>
        OperatingSystem.IsWindows() ? "Windows has no FIFOs or /dev/zero"
        : !File.Exists("/dev/zero") ? "no /dev/zero on this system"
        : null;

    /// <summary>Makes a FIFO (named pipe) at <paramref name="path"/> with mkfifo; nobody ever writes to it.</summary>
    public static string Fifo(string path)
    {
        using var mkfifo = Process.Start(new ProcessStartInfo("mkfifo", [path]) { UseShellExecute = false })
                           ?? throw new InvalidOperationException("mkfifo did not start");
        mkfifo.WaitForExit();
        return mkfifo.ExitCode == 0 ? path : throw new InvalidOperationException($"mkfifo {path} exited {mkfifo.ExitCode}");
    }

    /// <summary>
    /// Runs <paramref name="action"/> and fails if it has not returned in <paramref name="seconds"/>:
    /// reading a device or a FIFO hangs rather than fails, and a hung test would stop the run.
    /// </summary>
    public static T Within<T>(int seconds, Func<T> action)
    {
        var task = Task.Run(action);
        return task.Wait(TimeSpan.FromSeconds(seconds))
            ? task.Result
            : throw new TimeoutException($"still busy after {seconds} s: a device or FIFO was read (or its open blocked)");
    }
}
