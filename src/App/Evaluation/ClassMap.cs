using System.Globalization;

namespace AlexNet.Realtime.App.Evaluation;

/// <summary>
/// Turns a dataset's label (a class folder's name, a list's label field) into the model's class
/// index: by the class's name (any case; '_' for ' ' also), by ImageNet's WordNet id (n02123045),
/// or by the index itself. Each distinct label is worked out once.
/// </summary>
internal sealed class ClassMap
{
    private readonly IReadOnlyList<string> _labels;
    private readonly IReadOnlyList<string> _imageNet;
    private readonly bool _imageNetOrder;
    private readonly Dictionary<string, List<int>> _byName = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, Mapped> _seen = new(StringComparer.Ordinal);

    /// <param name="labels">The model's class names in index order.</param>
    /// <param name="imageNet">ImageNet-1k's class names in index order (the WordNet ids' order).</param>
    public ClassMap(IReadOnlyList<string> labels, IReadOnlyList<string> imageNet)
    {
        _labels = labels;
        _imageNetOrder = labels.Count == imageNet.Count && labels.SequenceEqual(imageNet, StringComparer.Ordinal);
        _imageNet = imageNet;
        for (var i = 0; i < labels.Count; i++)
        {
            if (!_byName.TryGetValue(labels[i], out var list))
            {
                _byName[labels[i]] = list = [];
            }

            list.Add(i);
        }
    }

    /// <summary>The model's classes are ImageNet-1k's, in its order: a WordNet id is the class of its index.</summary>
    public bool ImageNetOrder => _imageNetOrder;

    /// <summary>A label's class index, or why it has none.</summary>
    public readonly record struct Mapped(int Index, string? Problem);

    public Mapped Map(string label)
    {
        if (_seen.TryGetValue(label, out var known))
        {
            return known;
        }

        var mapped = Resolve(label.Trim());

        // Bounded by the distinct labels a dataset uses: at most the classes, plus its mistakes.
        if (_seen.Count < 100_000)
        {
            _seen[label] = mapped;
        }

        return mapped;
    }

    private Mapped Resolve(string label)
    {
        if (label.Length == 0)
        {
            return new Mapped(-1, "an empty label");
        }

        if (ByName(label) is { } byName)
        {
            return byName;
        }

        if (ImageNetIds.LooksLikeOne(label))
        {
            var imageNetIndex = ImageNetIds.IndexOf(label);
            if (imageNetIndex < 0)
            {
                return new Mapped(-1, $"'{label}' is no ImageNet-1k WordNet id");
            }

            if (_imageNetOrder)
            {
                return new Mapped(imageNetIndex, null);
            }

            // A model of other classes that names some of ImageNet's: by the class's name.
            var name = _imageNet[imageNetIndex];
            return ByName(name) is { Problem: null } found
                ? found
                : new Mapped(-1, $"'{label}' is ImageNet's '{name}', which is not one of the model's {_labels.Count} classes (or is more than one of them)");
        }

        if (int.TryParse(label, NumberStyles.None, CultureInfo.InvariantCulture, out var index))
        {
            return index < _labels.Count
                ? new Mapped(index, null)
                : new Mapped(-1, $"class index {index} is past the model's last class, {_labels.Count - 1}");
        }

        return new Mapped(-1, $"'{label}' is no class of the model (give a class name, an ImageNet WordNet id like n02123045, or a class index 0..{_labels.Count - 1})");
    }

    private Mapped? ByName(string label)
    {
        if (!_byName.TryGetValue(label, out var indices) && (!label.Contains('_', StringComparison.Ordinal) || !_byName.TryGetValue(label.Replace('_', ' '), out indices)))
        {
            return null;
        }

        return indices.Count == 1
            ? new Mapped(indices[0], null)
            : new Mapped(-1, $"'{label}' names {indices.Count} classes ({string.Join(", ", indices)}); give its index{(_imageNetOrder ? " or WordNet id" : "")}");
    }
}
