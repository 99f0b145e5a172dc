using Microsoft.Extensions.FileSystemGlobbing.Abstractions;

namespace AlexNet.Realtime.Capture;

/// <summary>
/// The files under a folder, not descending into symbolic links to folders: .NET's recursive
/// enumeration (and the globbing package's) follows them, so a link back up the tree made the same
/// file appear once per level, 40 deep, until the OS gave up. A link to a file is a file like any
/// other; a folder that can't be read is left out.
/// </summary>
public static class FolderWalk
{
    private static readonly EnumerationOptions OneLevel = new() { IgnoreInaccessible = true, AttributesToSkip = 0 };

    public static IEnumerable<string> Files(string folder)
    {
        ArgumentNullException.ThrowIfNull(folder);
        var pending = new Stack<string>();
        pending.Push(folder);
        while (pending.Count > 0)
        {
            var current = pending.Pop();
            foreach (var file in Directory.EnumerateFiles(current, "*", OneLevel))
            {
                yield return file;
            }

            foreach (var sub in Directory.EnumerateDirectories(current, "*", OneLevel))
            {
                if (new DirectoryInfo(sub).LinkTarget is null)
                {
                    pending.Push(sub);
                }
            }
        }
    }

    /// <summary>A folder for the globbing package's matcher that, like <see cref="Files"/>, does not enter linked folders.</summary>
    internal sealed class WithoutLinkedFolders(DirectoryInfo folder, DirectoryInfoBase? parent = null) : DirectoryInfoBase
    {
        public override string Name => folder.Name;

        public override string FullName => folder.FullName;

        public override DirectoryInfoBase? ParentDirectory => parent;

        public override IEnumerable<FileSystemInfoBase> EnumerateFileSystemInfos()
        {
            foreach (var entry in folder.EnumerateFileSystemInfos("*", OneLevel))
            {
                if (entry is DirectoryInfo sub)
                {
                    if (sub.LinkTarget is null)
                    {
                        yield return new WithoutLinkedFolders(sub, this);
                    }
                }
                else if (entry is FileInfo file)
                {
                    yield return new FileInfoWrapper(file);
                }
            }
        }

        public override DirectoryInfoBase? GetDirectory(string path) =>
            path == ".." ? parent : Directory.Exists(Path.Combine(folder.FullName, path)) ? new WithoutLinkedFolders(new DirectoryInfo(Path.Combine(folder.FullName, path)), this) : null;

        public override FileInfoBase? GetFile(string path) =>
            File.Exists(Path.Combine(folder.FullName, path)) ? new FileInfoWrapper(new FileInfo(Path.Combine(folder.FullName, path))) : null;
    }
}
