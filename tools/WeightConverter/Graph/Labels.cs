namespace AlexNet.Realtime.WeightConverter.Graph;

/// <summary>Class names for the contract: ImageNet's 1000 (embedded), a user's file, or generic names.</summary>
public static class Labels
{
    private static readonly Lazy<IReadOnlyList<string>> s_imageNet = new(LoadImageNet);

    /// <summary>The 1000 ImageNet-1k names in class-index order, as torchvision ships them.</summary>
    public static IReadOnlyList<string> ImageNet => s_imageNet.Value;

    /// <summary>Reads one label per line (blank trailing lines ignored).</summary>
    public static IReadOnlyList<string> ReadFile(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path))
        {
            throw new ConversionException($"{path}: no such labels file");
        }

        var lines = File.ReadAllLines(path).Select(l => l.TrimEnd('\r')).ToList();
        while (lines.Count > 0 && string.IsNullOrWhiteSpace(lines[^1]))
        {
            lines.RemoveAt(lines.Count - 1);
        }

        return lines.Count > 0 ? lines : throw new ConversionException($"{path}: the labels file is empty");
    }

    /// <summary>The labels for a model with <paramref name="classes"/> outputs; a given list must match the count.</summary>
    public static IReadOnlyList<string> Resolve(IReadOnlyList<string>? given, int classes)
    {
        if (given is not null)
        {
            return given.Count == classes
                ? given
                : throw new ConversionException($"the labels file has {given.Count} labels, but the model has {classes} classes");
        }

        return classes == ImageNet.Count
            ? ImageNet
            : Enumerable.Range(0, classes).Select(i => $"class_{i}").ToList();
    }

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
