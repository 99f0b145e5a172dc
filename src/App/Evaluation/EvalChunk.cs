namespace AlexNet.Realtime.App.Evaluation;

/// <summary>
/// A run of a dataset's images whose labels map to classes, decoded by one image-list source:
/// the dataset is read a chunk at a time, so only a chunk's names are held, never the whole list.
/// </summary>
internal sealed class EvalChunk(int capacity)
{
    private readonly string[] _paths = new string[capacity];
    private readonly string[] _names = new string[capacity];
    private readonly int[] _truths = new int[capacity];

    public int Count { get; private set; }

    public bool IsFull => Count == _paths.Length;

    /// <summary>The paths of the entries from <paramref name="from"/> on.</summary>
    public IReadOnlyList<string> PathsFrom(int from) => new ArraySegment<string>(_paths, from, Count - from);

    public string PathOf(int i) => _paths[i];

    public string NameOf(int i) => _names[i];

    public int TruthOf(int i) => _truths[i];

    public void Add(string path, string name, int truth)
    {
        _paths[Count] = path;
        _names[Count] = name;
        _truths[Count] = truth;
        Count++;
    }

    /// <summary>
    /// The next chunk of <paramref name="entries"/> (null when they are done); an entry whose line
    /// or label is of no use is told to <paramref name="failed"/> (name, why) and left out.
    /// </summary>
    public static EvalChunk? Next(IEnumerator<DatasetEntry> entries, int capacity, ClassMap classes, Action<string, string> failed, CancellationToken cancel)
    {
        var chunk = new EvalChunk(capacity);
        while (!chunk.IsFull && !cancel.IsCancellationRequested && entries.MoveNext())
        {
            var entry = entries.Current;
            if (entry.Problem is { } problem)
            {
                failed(entry.Name, problem);
                continue;
            }

            var mapped = classes.Map(entry.Label);
            if (mapped.Problem is { } unmapped)
            {
                failed(entry.Name, $"label: {unmapped}");
                continue;
            }

            chunk.Add(entry.Path, entry.Name, mapped.Index);
        }

        return chunk.Count > 0 ? chunk : null;
    }
}
