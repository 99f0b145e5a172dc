namespace AlexNet.Realtime.CommandLine;

/// <summary>
/// The files a run reads (its model, its sources, a dataset's list and images, calibration
/// pictures), which none of its outputs may replace: an output is written under a temporary name
/// and renamed over its own, so an output named as an input destroys the input. Compared as
/// <see cref="FileIdentity.Same"/> compares, so a symlink, a hard link or a symlinked folder on
/// the way is seen through. Each tool checks every output against one of these before any work
/// and throws the problem as its own exception type.
/// </summary>
public sealed class RunInputs
{
    private readonly List<(string What, string Path)> _files = [];
    private readonly List<(Func<string, string> What, Func<IEnumerable<string>> Paths)> _many = [];

    /// <summary>Adds a file the run reads; <paramref name="what"/> names it in a clash ("the model being run (m.onnx)"). Null: nothing.</summary>
    public RunInputs Add(string what, string? path)
    {
        ArgumentNullException.ThrowIfNull(what);
        if (path is not null)
        {
            _files.Add((what, path));
        }

        return this;
    }

    /// <summary>
    /// Adds files listed only when needed (a dataset's thousands of images): they are walked only
    /// for an output that already exists, since a name that is no file yet can be none of them.
    /// </summary>
    /// <param name="what">Names one of them in a clash, given its path.</param>
    /// <param name="paths">Lists them, lazily.</param>
    public RunInputs AddMany(Func<string, string> what, Func<IEnumerable<string>> paths)
    {
        ArgumentNullException.ThrowIfNull(what);
        ArgumentNullException.ThrowIfNull(paths);
        _many.Add((what, paths));
        return this;
    }

    /// <summary>Why <paramref name="output"/>, given as <paramref name="option"/>, can't be written: it is one of the inputs. Null when it is none (or is null or "-", standard output).</summary>
    public string? Problem(string option, string? output)
    {
        if (output is null or "-")
        {
            return null;
        }

        foreach (var (what, path) in _files)
        {
            if (FileIdentity.Same(path, output))
            {
                return Clash(option, output, what);
            }
        }

        // Only a file that is there can be one of them; a device (/dev/null) is none.
        if (_many.Count == 0 || !File.Exists(output) || OutputCheck.IsDevicePath(Path.GetFullPath(output)))
        {
            return null;
        }

        // Where identities can't be read (macOS), each path is compared with its links resolved.
        var target = FileIdentity.Of(output);
        foreach (var (what, paths) in _many)
        {
            foreach (var path in paths())
            {
                if (target is { } known ? FileIdentity.Of(path) == known : FileIdentity.Same(path, output))
                {
                    return Clash(option, output, what(path));
                }
            }
        }

        return null;
    }

    private static string Clash(string option, string output, string what) => $"{option} {output}: that is {what}; choose another name";
}
