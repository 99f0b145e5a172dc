namespace AlexNet.Realtime.WeightConverter.Fetching;

/// <summary>
/// PyTorch's hub cache, where <c>torchvision.models.alexnet(weights=...)</c> keeps its downloads:
/// the converter looks there first and downloads into it, so PyTorch and this tool share one copy
/// of the 244 MB (the file is checked against its SHA-256 either way).
/// </summary>
public static class TorchHubCache
{
    /// <summary>
    /// <c>$TORCH_HOME/hub/checkpoints</c>, else <c>$XDG_CACHE_HOME/torch/hub/checkpoints</c>, else
    /// <c>~/.cache/torch/hub/checkpoints</c>: <c>torch.hub.get_dir()</c>'s rule (a leading <c>~</c> expanded as Python does).
    /// </summary>
    public static string CheckpointsDirectory(Func<string, string?> environment, string home)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var torchHome = environment("TORCH_HOME") is { Length: > 0 } torch
            ? ExpandHome(torch, home)
            : Path.Combine(environment("XDG_CACHE_HOME") is { Length: > 0 } xdg ? ExpandHome(xdg, home) : Path.Combine(home, ".cache"), "torch");
        return Path.GetFullPath(Path.Combine(torchHome, "hub", "checkpoints"));
    }

    /// <summary>This process's: from its environment and the user's home folder.</summary>
    public static string CheckpointsDirectory() =>
        CheckpointsDirectory(Environment.GetEnvironmentVariable, Environment.GetFolderPath(Environment.SpecialFolder.UserProfile));

    private static string ExpandHome(string path, string home) =>
        path == "~" ? home
        : path.StartsWith("~/", StringComparison.Ordinal) || path.StartsWith("~\\", StringComparison.Ordinal) ? Path.Combine(home, path[2..])
        : path;
}
