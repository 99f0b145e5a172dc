using AlexNet.Realtime.CommandLine;

namespace AlexNet.Realtime.App.Output;

/// <summary>
/// A whole output written at once: into a new temporary file beside it (never an existing name,
/// so never through a link left there), flushed to the disk, checked, and renamed over the name.
/// A failed or short write throws <see cref="OutputWriteException"/> and leaves nothing behind.
/// </summary>
internal static class OutputFile
{
    /// <param name="option">How the output is named in the message (<c>--annotated</c>), or null.</param>
    public static void Write(string path, ReadOnlySpan<byte> bytes, string? option = null)
    {
        var full = Path.GetFullPath(path);
        var folder = Path.GetDirectoryName(full)!;
        var temp = TemporaryName(full);
        try
        {
            Directory.CreateDirectory(folder);
            using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 0))
            {
                file.Write(bytes);
                file.Flush(flushToDisk: true);
                if (file.Length != bytes.Length)
                {
                    throw new IOException($"{file.Length} of {bytes.Length} bytes written");
                }
            }

            File.Move(temp, full, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            TryDelete(temp);
            throw new OutputWriteException($"{(option is null ? "" : option + " ")}{path}: cannot write it ({OutputWriteException.Reason(e)})", e);
        }
    }

    /// <summary>A hidden name beside <paramref name="fullPath"/> that no other write uses (the process and a random part in it).</summary>
    public static string TemporaryName(string fullPath) =>
        Path.Combine(Path.GetDirectoryName(fullPath)!, $".{Path.GetFileName(fullPath)}.partial-{Environment.ProcessId}-{Guid.NewGuid():N}");

    public static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // best effort: the error being reported matters more
        }
    }

    /// <summary>Whether the file at <paramref name="path"/> is one of <paramref name="inputs"/> (by identity).</summary>
    public static bool IsOneOf(string path, IReadOnlySet<FileIdentity> inputs) =>
        inputs.Count > 0 && FileIdentity.Of(path) is { } identity && inputs.Contains(identity);
}
