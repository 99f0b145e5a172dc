namespace AlexNet.Realtime.WeightConverter.Graph;

/// <summary>Class names for the contract: ImageNet's 1000 (embedded), a user's file, or generic names.</summary>
public static class Labels
{
    private static readonly Lazy<IReadOnlyList<string>> s_imageNet = new(LoadImageNet);

    /// <summary>The 1000 ImageNet-1k names in class-index order, as torchvision ships them.</summary>
    public static IReadOnlyList<string> ImageNet => s_imageNet.Value;

    /// <summary>
    /// The most bytes a labels file may hold: 4 MB. ImageNet's 1000 names take 10 KB, so this leaves
    /// room for hundreds of thousands of names; a larger file is not a list of class names, and is
    /// refused before it is read (a 300 MB file, read whole, took 2.3 GB).
    /// </summary>
    public const int MaxFileBytes = 4 << 20;

    /// <summary>The most characters one class name (one line) may have: a longer line is no name, but another kind of file.</summary>
    public const int MaxNameLength = 1000;

    /// <summary>Reads one label per line (blank trailing lines ignored).</summary>
    /// <exception cref="ConversionException">
    /// The file is missing, not a regular file (a device or FIFO, never opened), larger than
    /// <see cref="MaxFileBytes"/>, has a line longer than <see cref="MaxNameLength"/>, or no names.
    /// </exception>
    public static LabelFile ReadFile(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var what = $"--labels {path}";

        // A device or FIFO is never opened: /dev/zero would be read until memory ran out, a FIFO would block the open.
        if (Inference.InputFiles.NotARegularFile(path) is { } problem)
        {
            throw new ConversionException($"{what}: {problem}");
        }

        byte[] bytes;
        int length;
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1);
            if (stream.Length > MaxFileBytes)
            {
                throw TooLarge(what, stream.Length);
            }

            // At most one byte past the ceiling, whatever the size said: the file may grow while it is read.
            bytes = new byte[MaxFileBytes + 1];
            length = stream.ReadAtLeast(bytes, bytes.Length, throwOnEndOfStream: false);
            if (length > MaxFileBytes)
            {
                throw TooLarge(what, Math.Max(length, stream.Length));
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ConversionException($"{what}: cannot be read ({e.Message})", e);
        }

        var lines = new List<string>();
        using (var reader = new StreamReader(new MemoryStream(bytes, 0, length), System.Text.Encoding.UTF8, detectEncodingFromByteOrderMarks: true))
        {
            while (reader.ReadLine() is { } line)
            {
                if (line.Length > MaxNameLength)
                {
                    throw new ConversionException($"{what}: line {lines.Count + 1} has {line.Length} characters, more than the {MaxNameLength} a class name may have; the file should hold one class name a line");
                }

                lines.Add(line);
            }
        }

        while (lines.Count > 0 && string.IsNullOrWhiteSpace(lines[^1]))
        {
            lines.RemoveAt(lines.Count - 1);
        }

        return lines.Count > 0 ? new LabelFile(path, lines) : throw new ConversionException($"{what}: no class names in it, only blank lines");
    }

    /// <summary>The labels for a model with <paramref name="classes"/> outputs; a given list must match the count.</summary>
    public static IReadOnlyList<string> Resolve(IReadOnlyList<string>? given, int classes)
    {
        if (given is not null)
        {
            return given.Count == classes
                ? given
                : throw new ConversionException(given is LabelFile file
                    ? $"--labels {file.Path}: the labels file has {given.Count} labels, but the model has {classes} classes"
                    : $"{given.Count} labels were given, but the model has {classes} classes");
        }

        return classes == ImageNet.Count
            ? ImageNet
            : Enumerable.Range(0, classes).Select(i => $"class_{i}").ToList();
    }

    private static ConversionException TooLarge(string what, long bytes) => new(string.Create(System.Globalization.CultureInfo.InvariantCulture,
        $"{what}: {bytes} bytes, over the {MaxFileBytes / (1 << 20)} MB a labels file may hold (one class name a line; ImageNet's 1000 take 10 KB)"));

    private static List<string> LoadImageNet()
    {
        using var stream = typeof(Labels).Assembly.GetManifestResourceStream("imagenet_classes.txt")
                           ?? throw new InvalidOperationException("the embedded ImageNet labels are missing from this build");
        using var reader = new StreamReader(stream);
        var labels = new List<string>(1000);
        while (reader.ReadLine() is { } line)
        {
            if (line.Length > 0)
            {
                labels.Add(line);
            }
        }

        return labels;
    }
}
