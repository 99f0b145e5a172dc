using AlexNet.Realtime.Capture;

namespace AlexNet.Realtime.App.Labeling;

/// <summary>One file to label: its path on disk, the name rows carry, and whether it is a video.</summary>
internal sealed record LabelInput(string Path, string Name, bool IsImage);

/// <summary>
/// Expands the inputs (files, folders recursively, globs) into files in a stable order (ordinal
/// by name), and picks a shard: shard i of n is the i-th of n contiguous slices, so the shards'
/// outputs concatenated in order equal the unsharded output.
/// </summary>
internal static class LabelInputs
{
    public static IReadOnlyList<LabelInput> Expand(IEnumerable<string> arguments)
    {
        var inputs = new Dictionary<string, LabelInput>(StringComparer.Ordinal);
        foreach (var argument in arguments)
        {
            if (Directory.Exists(argument))
            {
                foreach (var file in FolderWalk.Files(argument))
                {
                    var extension = System.IO.Path.GetExtension(file);
                    if (IsImage(extension) || IsVideo(extension))
                    {
                        Add(inputs, file, Combine(argument, System.IO.Path.GetRelativePath(argument, file)));
                    }
                }
            }
            else if (argument.Contains('*', StringComparison.Ordinal) || argument.Contains('?', StringComparison.Ordinal))
            {
                var matches = Glob.Expand(argument);
                if (matches.Count == 0)
                {
                    throw new Commands.AppException($"{argument}: the pattern matches no files");
                }

                foreach (var file in matches)
                {
                    Add(inputs, file, Slashes(System.IO.Path.GetRelativePath(Environment.CurrentDirectory, file)));
                }
            }
            else
            {
                // A file given by name is labeled even if it turns out unreadable (an error row says so).
                Add(inputs, argument, Slashes(argument));
            }
        }

        return inputs.Values.OrderBy(i => i.Name, StringComparer.Ordinal).ToList();
    }

    /// <summary>Parses <c>i/n</c> (1-based) and returns that contiguous slice.</summary>
    public static IReadOnlyList<LabelInput> Shard(IReadOnlyList<LabelInput> inputs, string? shard)
    {
        if (string.IsNullOrEmpty(shard))
        {
            return inputs;
        }

        var parts = shard.Split('/');
        if (parts.Length != 2 || !int.TryParse(parts[0], System.Globalization.CultureInfo.InvariantCulture, out var i)
            || !int.TryParse(parts[1], System.Globalization.CultureInfo.InvariantCulture, out var n) || n < 1 || i < 1 || i > n)
        {
            throw new Commands.AppException($"--shard {shard}: expected i/n with 1 <= i <= n, e.g. 2/8");
        }

        var start = (int)((long)(i - 1) * inputs.Count / n);
        var end = (int)((long)i * inputs.Count / n);
        return inputs.Skip(start).Take(end - start).ToList();
    }

    public static bool IsImage(string extension) => SourceSpec.ImageExtensions.Contains(extension);

    public static bool IsVideo(string extension) => VideoExtensions.Contains(extension);

    private static readonly HashSet<string> VideoExtensions = new(StringComparer.OrdinalIgnoreCase)
    {
        ".mp4", ".m4v", ".mov", ".avi", ".mkv", ".webm", ".mpg", ".mpeg", ".ts", ".wmv", ".flv", ".3gp", ".mjpeg", ".mjpg",
    };

    private static void Add(Dictionary<string, LabelInput> inputs, string file, string name)
    {
        var full = System.IO.Path.GetFullPath(file);
        inputs.TryAdd(full, new LabelInput(full, name, IsImage(System.IO.Path.GetExtension(file))));
    }

    private static string Combine(string folder, string relative) =>
        Slashes(folder.TrimEnd('/', System.IO.Path.DirectorySeparatorChar) + "/" + relative);

    /// <summary>
    /// A name with '/' between folders, the same on every system (rows made on Windows and Linux
    /// compare); only Windows' separator is turned, since on Linux a backslash is part of a name.
    /// </summary>
    private static string Slashes(string path) =>
        System.IO.Path.DirectorySeparatorChar == '/' ? path : path.Replace(System.IO.Path.DirectorySeparatorChar, '/');
}
