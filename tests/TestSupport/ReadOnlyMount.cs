using System.Diagnostics;

namespace AlexNet.Realtime.TestSupport;

/// <summary>
/// A folder that can be made read-only even for root, who ignores a folder's mode: a tmpfs
/// mounted on it, filled, then remounted read-only (Linux, root). Unmounted on dispose.
/// </summary>
public sealed class ReadOnlyMount : IDisposable
{
    private readonly string _folder;

    private ReadOnlyMount(string folder) => _folder = folder;

    /// <summary>Why no such mount can be made here, or null when one can.</summary>
    public static string? Unavailable =>
        OperatingSystem.IsLinux() && Environment.IsPrivilegedProcess ? null : "a read-only tmpfs is mounted here as root on Linux, and this run is neither";

    /// <summary>Mounts an empty, writable tmpfs on <paramref name="folder"/> (made if need be).</summary>
    /// <exception cref="InvalidOperationException">mount failed (the reason).</exception>
    public static ReadOnlyMount On(string folder)
    {
        Directory.CreateDirectory(folder);
        Run("mount", "-t", "tmpfs", "-o", "size=64m", "tmpfs", folder);
        return new ReadOnlyMount(folder);
    }

    /// <summary>From now on nothing in the folder can be made, changed or removed, by anyone.</summary>
    public void MakeReadOnly() => Run("mount", "-o", "remount,ro", _folder);

    public void Dispose()
    {
        try
        {
            Run("umount", "-l", _folder);
        }
        catch (InvalidOperationException)
        {
            // Already gone; nothing to undo.
        }
    }

    private static void Run(string tool, params string[] args)
    {
        using var process = Process.Start(new ProcessStartInfo(tool, args) { RedirectStandardError = true, RedirectStandardOutput = true })!;
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{tool} {string.Join(' ', args)}: {error.Trim()}");
        }
    }
}
