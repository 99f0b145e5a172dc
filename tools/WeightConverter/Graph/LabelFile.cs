using System.Collections;

namespace AlexNet.Realtime.WeightConverter.Graph;

/// <summary>
/// Class names read from a <c>--labels</c> file, with the file they came from: a count that does
/// not match the model's names that file (<see cref="Labels.Resolve"/>).
/// </summary>
public sealed class LabelFile(string path, IReadOnlyList<string> names) : IReadOnlyList<string>
{
    /// <summary>The file as it was given.</summary>
    public string Path { get; } = path;

    /// <summary>The name of class <paramref name="index"/>.</summary>
    public string this[int index] => names[index];

    /// <summary>How many class names the file holds.</summary>
    public int Count => names.Count;

    /// <inheritdoc />
    public IEnumerator<string> GetEnumerator() => names.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
