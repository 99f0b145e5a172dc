namespace AlexNet.Realtime.App.Evaluation;

/// <summary>One labeled image of a dataset: where it is, its label as the dataset spells it, and how to name it to a user.</summary>
/// <param name="Problem">Why the dataset's line for it can't be used (no label field), or null.</param>
internal sealed record DatasetEntry(string Path, string Label, string Name, string? Problem = null);

/// <summary>A labeled set of images, read as a stream: entries are made as they are read, never all held.</summary>
internal interface IDataset
{
    /// <summary>What the dataset is, for the report (the folder or list file).</summary>
    string Source { get; }

    /// <summary>"folder" or "list".</summary>
    string Kind { get; }

    /// <summary>The entries, in the dataset's order.</summary>
    IEnumerable<DatasetEntry> Entries();

    /// <summary>How many entries there are, by a reading pass that keeps nothing (for progress).</summary>
    long Count(CancellationToken cancel);
}
