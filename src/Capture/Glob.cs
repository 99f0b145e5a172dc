using Microsoft.Extensions.FileSystemGlobbing;

namespace AlexNet.Realtime.Capture;

/// <summary>Expands a file pattern such as <c>photos/*.jpg</c> or <c>data/**/*.png</c>, sorted.</summary>
public static class Glob
{
    public static IReadOnlyList<string> Expand(string pattern)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        var full = Path.GetFullPath(pattern.Replace('\\', '/'));
        var parts = full.Split('/');
        var firstWild = Array.FindIndex(parts, p => p.Contains('*', StringComparison.Ordinal) || p.Contains('?', StringComparison.Ordinal));
        var root = string.Join('/', parts[..firstWild]);
        if (root.Length == 0)
        {
            root = "/";
        }

        var relative = string.Join('/', parts[firstWild..]);
        if (!Directory.Exists(root))
        {
            return [];
        }

        var matcher = new Matcher(StringComparison.Ordinal);
        matcher.AddInclude(relative);
        return matcher.Execute(new FolderWalk.WithoutLinkedFolders(new DirectoryInfo(root))).Files
            .Select(match => Path.GetFullPath(Path.Combine(root, match.Path)))
            .Order(StringComparer.Ordinal)
            .ToList();
    }
}
