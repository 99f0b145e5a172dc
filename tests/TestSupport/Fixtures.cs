namespace AlexNet.Realtime.TestSupport;

/// <summary>Paths into the repository's tests/fixtures (files written by PyTorch, copied in).</summary>
public static class Fixtures
{
    private static readonly Lazy<string> s_root = new(FindRoot);

    /// <summary>The repository root (the folder holding AlexNet.Realtime.sln).</summary>
    public static string RepositoryRoot => System.IO.Path.GetDirectoryName(System.IO.Path.GetDirectoryName(s_root.Value))!;

    public static string Dir => s_root.Value;

    public static string Path(params string[] parts) => System.IO.Path.Combine([Dir, .. parts]);

    public static string Generated(string name) => Path("generated", name);

    public static string Image(string name) => Path("images", name);

    public static readonly string[] Photos = ["chelsea", "coffee", "astronaut", "rocket"];

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "AlexNet.Realtime.sln")))
            {
                return System.IO.Path.Combine(dir.FullName, "tests", "fixtures");
            }
        }

        throw new DirectoryNotFoundException($"no AlexNet.Realtime.sln above {AppContext.BaseDirectory}");
    }
}
