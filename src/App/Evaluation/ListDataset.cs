using System.Globalization;

namespace AlexNet.Realtime.App.Evaluation;

/// <summary>
/// A list of labeled images, one a line: CSV (<c>path,label</c>), TSV, or a path and a label
/// apart by spaces (ImageNet's <c>val.txt</c>: <c>ILSVRC2012_val_00000001.JPEG 65</c>). A first
/// line naming its columns is skipped. A label that begins with a WordNet id followed by more
/// (ImageNet's <c>LOC_val_solution.csv</c>: <c>ImageId,PredictionString</c> with
/// <c>n01751748 21 117 474 357 ...</c>) is that id; a path with no extension, as its ImageId is,
/// is the image of that name with the first of .JPEG, .jpg, .jpeg, .png that exists.
/// Relative paths are under <c>--images</c>, else the list's own folder.
/// </summary>
internal sealed class ListDataset : IDataset
{
    private static readonly HashSet<string> HeaderNames = new(StringComparer.OrdinalIgnoreCase)
    {
        "path", "file", "filename", "file_name", "filepath", "file_path", "image", "images", "imageid", "image_id", "image_name", "image_path", "name", "id",
    };

    private static readonly string[] ImageExtensions = [".JPEG", ".jpg", ".jpeg", ".png"];

    private readonly string _list;
    private readonly string _imagesFolder;

    /// <param name="imagesFolder">Where relative paths lie; null: the list's folder.</param>
    public ListDataset(string list, string? imagesFolder)
    {
        _list = Path.GetFullPath(list);
        _imagesFolder = Path.GetFullPath(imagesFolder ?? Path.GetDirectoryName(_list)!);
    }

    public string Source => _list;

    public string Kind => "list";

    public IEnumerable<DatasetEntry> Entries()
    {
        using var reader = new StreamReader(_list, detectEncodingFromByteOrderMarks: true);
        var separator = Separator.Unknown;
        var lineNumber = 0;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            if (IsSkipped(line))
            {
                continue;
            }

            if (separator == Separator.Unknown)
            {
                separator = SeparatorOf(line);
                if (IsHeader(Split(line, separator).Path))
                {
                    continue;
                }
            }

            var (path, label) = Split(line, separator);
            var name = path.Trim();
            if (name.Length == 0 || label is null)
            {
                yield return new DatasetEntry(_list, "", $"line {lineNumber.ToString(CultureInfo.InvariantCulture)}", $"{(name.Length == 0 ? "no path" : "no label")} in '{Short(line)}'");
                continue;
            }

            yield return new DatasetEntry(Resolve(name), LabelOf(label), name);
        }
    }

    public long Count(CancellationToken cancel)
    {
        using var reader = new StreamReader(_list, detectEncodingFromByteOrderMarks: true);
        long count = 0;
        var first = true;
        while (reader.ReadLine() is { } line)
        {
            cancel.ThrowIfCancellationRequested();
            if (IsSkipped(line))
            {
                continue;
            }

            if (first)
            {
                first = false;
                if (IsHeader(Split(line, SeparatorOf(line)).Path))
                {
                    continue;
                }
            }

            count++;
        }

        return count;
    }

    /// <summary>The label a field holds: its WordNet id when it begins with one and goes on (a box after it), else the field.</summary>
    internal static string LabelOf(string field)
    {
        var label = field.Trim();
        var space = label.IndexOfAny([' ', '\t']);
        return space == 9 && ImageNetIds.LooksLikeOne(label.AsSpan(0, 9)) ? label[..9] : label;
    }

    private static string Short(string line) => line.Length <= 60 ? line : line[..60] + "...";

    private static bool IsSkipped(string line) => string.IsNullOrWhiteSpace(line) || line.TrimStart().StartsWith('#');

    private static bool IsHeader(string firstField) => HeaderNames.Contains(firstField.Trim());

    private string Resolve(string path)
    {
        var full = Path.IsPathRooted(path) ? path : Path.Combine(_imagesFolder, path);
        if (Path.HasExtension(full) || File.Exists(full))
        {
            return full;
        }

        foreach (var extension in ImageExtensions)
        {
            if (File.Exists(full + extension))
            {
                return full + extension;
            }
        }

        // None there: named as ImageNet's would be, so the error says what was looked for.
        return full + ImageExtensions[0];
    }

    private enum Separator
    {
        Unknown,
        Comma,
        Tab,
        Spaces,
    }

    private static Separator SeparatorOf(string firstLine) =>
        firstLine.Contains('\t', StringComparison.Ordinal) ? Separator.Tab
        : firstLine.Contains(',', StringComparison.Ordinal) ? Separator.Comma
        : Separator.Spaces;

    /// <summary>The path and label fields of a line (label null when there is none); further fields are ignored.</summary>
    private static (string Path, string? Label) Split(string line, Separator separator)
    {
        switch (separator)
        {
            case Separator.Tab:
            {
                var fields = line.Split('\t');
                return (fields[0], fields.Length > 1 ? fields[1] : null);
            }

            case Separator.Comma:
            {
                var fields = Output.Csv.Split(line);
                return (fields[0], fields.Count > 1 ? fields[1] : null);
            }

            default:
            {
                // A path may hold spaces; the label is the last word.
                var trimmed = line.Trim();
                var cut = trimmed.LastIndexOfAny([' ', '\t']);
                return cut < 0 ? (trimmed, null) : (trimmed[..cut].TrimEnd(), trimmed[(cut + 1)..]);
            }
        }
    }
}
