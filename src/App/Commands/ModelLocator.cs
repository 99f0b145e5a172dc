using AlexNet.Realtime.CommandLine;
using AlexNet.Realtime.Inference.Contract;
using AlexNet.Realtime.WeightConverter.Cli;
using AlexNet.Realtime.WeightConverter.Fetching;
using AlexNet.Realtime.WeightConverter.Graph;

namespace AlexNet.Realtime.App.Commands;

/// <summary>
/// Finds the model to run: <c>--model</c> if given (it must exist), else <c>models/alexnet.onnx</c>.
/// When that is missing it is made on first use from torchvision's IMAGENET1K_V1 weights (PyTorch's
/// cached copy, else downloaded); offline or with no network, a full-size synthetic model instead,
/// so a fresh machine still runs (the overlay then says the labels are meaningless). A model
/// already there is never replaced.
/// </summary>
internal static class ModelLocator
{
    public const string DefaultPath = ModelPaths.Default;

    /// <summary>The model file a run opens: <c>--model</c> if given, else the default path (made there on first use).</summary>
    public static string PathOf(FileInfo? given) => given?.FullName ?? Path.GetFullPath(DefaultPath);

    /// <param name="offline">--offline was given: no download (as with ALEXNET_RT_OFFLINE=1).</param>
    public static string Resolve(FileInfo? given, bool offline, Action<string> say, CancellationToken cancel = default)
    {
        var path = PathOf(given);
        if (given is not null || File.Exists(path))
        {
            return path;
        }

        var download = new DownloadOptions
        {
            OfflineReason = offline ? "--offline" : DownloadOptions.OfflineFromEnvironment(Environment.GetEnvironmentVariable),
        };
        var weights = PretrainedWeights.ImageNet1kV1.WithTestOverrides(Environment.GetEnvironmentVariable);
        return Provide(new FirstRun(path, DefaultPath, weights, download, new ConsoleDownloadProgress("alexnet-rt: ")), say, cancel);
    }

    /// <summary>The model at <see cref="FirstRun.Model"/>: the one there, else converted from the weights, else synthetic.</summary>
    internal static string Provide(FirstRun run, Action<string> say, CancellationToken cancel = default)
    {
        if (File.Exists(run.Model))
        {
            return run.Model;
        }

        if (OutputCheck.FolderProblem(run.Shown, Path.GetDirectoryName(run.Model)) is { } problem)
        {
            throw new AppException($"no model at {run.Shown}, and none can be written there: {problem}");
        }

        // Two first runs at once make the model once: the second waits and takes the first's.
        // Without it an offline run's synthetic model could replace the real one converted beside it.
        using var making = ProcessLock.AcquireWaiting(
            run.Model + ".lock", $"another alexnet-rt is making {run.Shown}: waiting for it", say, cancel);
        if (File.Exists(run.Model))
        {
            return run.Model;
        }

        try
        {
            var weights = PretrainedFetcher.Obtain(run.Weights, run.Download, run.Progress, cancel);
            cancel.ThrowIfCancellationRequested();
            say($"no model at {run.Shown}: converting torchvision's {run.Weights.Name} weights from {weights} into it");
            var options = new ModelOptions { Weights = WeightsKind.Pretrained, SourceSha256 = run.Weights.Sha256 };
            CheckpointConversion.Run(weights, run.Model, options, forced: null, new Steps(quiet: false));
            cancel.ThrowIfCancellationRequested();
            return run.Model;
        }
        catch (WeightsUnavailableException e)
        {
            say($"no real weights: {e.Message}; {PretrainedFetcher.HowToGet(run.Weights, run.Shown, run.Download.CacheDirectory)}");
        }

        say($"no model at {run.Shown}: writing a full-size synthetic AlexNet there (random weights, labels mean nothing; delete it and run again, or run 'alexnet-convert fetch', for real weights)");
        cancel.ThrowIfCancellationRequested();
        ModelFile.Write(SyntheticWeights.Model(), run.Model);
        cancel.ThrowIfCancellationRequested();
        return run.Model;
    }

    /// <summary>Where the first run's model goes and where its weights come from.</summary>
    /// <param name="Model">The model's full path.</param>
    /// <param name="Shown">The path as messages show it.</param>
    internal sealed record FirstRun(string Model, string Shown, PretrainedWeights Weights, DownloadOptions Download, IDownloadProgress Progress);
}
