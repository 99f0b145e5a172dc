using System.Diagnostics;

namespace AlexNet.Realtime.WeightConverter.Fetching;

/// <summary>
/// One process at a time making a file: an exclusive lock (<c>flock</c> on Unix, a share mode on
/// Windows) on <c>&lt;file&gt;.lock</c> beside it. A download's second run waits while the first
/// one's partial grows, and gives up when it stops growing; the first run's model is made under one
/// too, so that two first runs at once make it once (and an offline run's synthetic model never
/// replaces the real one a run beside it converted). The operating system releases the lock of a
/// process that dies, so a stale lock file never blocks anyone; the lock file is removed on
/// release, and a process that locked a file just removed tries again.
/// </summary>
public sealed class ProcessLock : IDisposable
{
    private static readonly TimeSpan s_poll = TimeSpan.FromMilliseconds(250);

    private readonly FileStream _held;
    private readonly string _path;

    private ProcessLock(FileStream held, string path)
    {
        _held = held;
        _path = path;
    }

    /// <summary>The lock of a download: waits while <paramref name="partialPath"/> grows.</summary>
    /// <param name="patience">How long another process's partial may stand still before this one gives up waiting.</param>
    public static ProcessLock Acquire(string lockPath, string partialPath, TimeSpan patience, IDownloadProgress progress, CancellationToken cancel)
    {
        var still = Stopwatch.StartNew();
        long lastLength = -1;
        var told = false;
        while (true)
        {
            if (TryTake(lockPath) is { } taken)
            {
                return taken;
            }

            if (!told)
            {
                progress.Note($"another process is downloading {Path.GetFileName(partialPath)}: waiting for it");
                told = true;
            }

            var length = File.Exists(partialPath) ? new FileInfo(partialPath).Length : -1;
            if (length != lastLength)
            {
                lastLength = length;
                still.Restart();
            }
            else if (still.Elapsed > patience)
            {
                throw new WeightsUnavailableException(
                    $"another process holds {lockPath} and its download has not moved for {patience.TotalSeconds:0} s");
            }

            if (cancel.WaitHandle.WaitOne(s_poll))
            {
                cancel.ThrowIfCancellationRequested();
            }
        }
    }

    /// <summary>
    /// The lock of a step with no file to watch: waits for as long as another process holds it
    /// (until <paramref name="cancel"/>), saying <paramref name="waiting"/> once.
    /// </summary>
    public static ProcessLock AcquireWaiting(string lockPath, string waiting, Action<string> say, CancellationToken cancel)
    {
        var told = false;
        while (true)
        {
            if (TryTake(lockPath) is { } taken)
            {
                return taken;
            }

            if (!told)
            {
                say(waiting);
                told = true;
            }

            if (cancel.WaitHandle.WaitOne(s_poll))
            {
                cancel.ThrowIfCancellationRequested();
            }
        }
    }

    private static ProcessLock? TryTake(string lockPath)
    {
        while (true)
        {
            try
            {
                var held = new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
                // The file locked must be the one at the name now: a holder that removed it between
                // this open and the lock leaves this process a lock on a file no one else can see.
                // (Where identities can't be read, a file still at the name is taken as it.)
                var locked = CommandLine.FileIdentity.Of(held.SafeFileHandle);
                var named = CommandLine.FileIdentity.Of(lockPath);
                if (locked is null || named is null ? File.Exists(lockPath) : locked == named)
                {
                    return new ProcessLock(held, lockPath);
                }

                // the holder removed the file between this open and the lock: lock the new one
                held.Dispose();
            }
            catch (IOException e) when (e.GetType() == typeof(IOException))
            {
                // held by another process (a sharing violation: not a missing folder or a full disk,
                // which have their own types or fail later)
                return null;
            }
        }
    }

    public void Dispose()
    {
        // Removed while still held where the system allows it (Unix), so no one locks it after us;
        // where it can't be (Windows), after closing it, unless another process took it meanwhile.
        var removed = TryDelete();
        _held.Dispose();
        if (!removed)
        {
            TryDelete();
        }
    }

    private bool TryDelete()
    {
        try
        {
            File.Delete(_path);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // open elsewhere (Windows): another process takes it over
            return false;
        }
    }
}
