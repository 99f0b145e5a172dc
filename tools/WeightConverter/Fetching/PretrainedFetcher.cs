namespace AlexNet.Realtime.WeightConverter.Fetching;

/// <summary>
/// Gets a verified local copy of pretrained weights: the one in the cache folder (PyTorch's, by
/// default) when there is one, else a download into it unless offline.
/// </summary>
public static class PretrainedFetcher
{
    /// <summary>The path of the weights, their size and SHA-256 checked.</summary>
    /// <exception cref="WeightsUnavailableException">Offline, or the network failed.</exception>
    /// <exception cref="ConversionException">A file of the wrong size or hash (in the cache, or sent).</exception>
    public static string Obtain(PretrainedWeights weights, DownloadOptions options, IDownloadProgress progress, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(progress);
        if (weights.Overridden)
        {
            progress.Note($"test override ({PretrainedWeights.UrlVariable}): weights from {weights.Url}, cached as {weights.FileName}");
        }

        var cached = CachedPath(weights, options);
        if (File.Exists(cached))
        {
            VerifiedCopy.Check(cached, weights);
            return cached;
        }

        if (options.OfflineReason is { } offline)
        {
            throw new WeightsUnavailableException($"offline ({offline}), and {weights.FileName} is not in {options.CacheDirectory}");
        }

        using var downloader = new WeightsDownloader(options, progress);
        return downloader.Download(weights, cancel);
    }

    /// <summary>Where the weights are (or will be) kept: the cache folder and the URL's file name.</summary>
    public static string CachedPath(PretrainedWeights weights, DownloadOptions options)
    {
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(options);
        return Path.Combine(options.CacheDirectory, weights.FileName);
    }

    /// <summary>How to get the weights by hand, for a line that follows a failed or offline fetch.</summary>
    public static string HowToGet(PretrainedWeights weights, string model, string cacheDirectory)
    {
        ArgumentNullException.ThrowIfNull(weights);
        return $"to get them, run 'alexnet-convert fetch -o {model}' where there is a network, or download {weights.Url} " +
            $"(curl -LO) and put it in {cacheDirectory} or run 'alexnet-convert convert {weights.FileName} -o {model}'";
    }
}
