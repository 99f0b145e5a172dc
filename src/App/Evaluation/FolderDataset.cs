using AlexNet.Realtime.App.Labeling;
using AlexNet.Realtime.Capture;

namespace AlexNet.Realtime.App.Evaluation;

/// <summary>
/// A folder with one sub-folder per class, named by the class (its name, WordNet id or index), the
/// images anywhere below it: ImageNet's own layout, and torchvision's ImageFolder's.
/// </summary>
internal sealed class FolderDataset : IDataset
{
    private readonly string _root;

    public FolderDataset(string root)
    {
        _root = Path.GetFullPath(root);

        // Hidden folders (.git, .cache) hold no classes. Sorted, so runs list in the same order.
        ClassFolders = Directory.EnumerateDirectories(_root)
            .Select(Path.GetFileName)
            .OfType<string>()
            .Where(name => !name.StartsWith('.'))
            .Order(StringComparer.Ordinal)
            .ToList();
        ImagesOutsideClasses = Directory.EnumerateFiles(_root).Count(f => LabelInputs.IsImage(Path.GetExtension(f)));
    }

    public string Source => _root;

    public string Kind => "folder";

    /// <summary>The class folders' names: the labels this dataset uses.</summary>
    public IReadOnlyList<string> ClassFolders { get; }

    /// <summary>Images in the top folder itself, which belong to no class and are not evaluated.</summary>
    public int ImagesOutsideClasses { get; }

    public IEnumerable<DatasetEntry> Entries()
    {
        foreach (var label in ClassFolders)
        {
            var folder = Path.Combine(_root, label);
            foreach (var file in FolderWalk.Files(folder))
            {
                if (LabelInputs.IsImage(Path.GetExtension(file)))
                {
                    yield return new DatasetEntry(file, label, Slashes(Path.GetRelativePath(_root, file)));
                }
            }
        }
    }

    public long Count(CancellationToken cancel)
    {
        long count = 0;
        foreach (var label in ClassFolders)
        {
            foreach (var file in FolderWalk.Files(Path.Combine(_root, label)))
            {
                cancel.ThrowIfCancellationRequested();
                if (LabelInputs.IsImage(Path.GetExtension(file)))
                {
                    count++;
                }
            }
        }

        return count;
    }

    private static string Slashes(string path) => Path.DirectorySeparatorChar == '/' ? path : path.Replace(Path.DirectorySeparatorChar, '/');
}
