namespace AlexNet.Realtime.WeightConverter.Fetching;

/// <summary>How weights are fetched (init-only, validated on set).</summary>
public sealed record DownloadOptions
{
    /// <summary>Set to 1 (or true): never use the network.</summary>
    public const string OfflineVariable = "ALEXNET_RT_OFFLINE";

    private readonly TimeSpan _connectTimeout = TimeSpan.FromSeconds(5);
    private readonly TimeSpan _stallTimeout = TimeSpan.FromSeconds(20);
    private readonly int _maxAttempts = 5;
    private readonly string _cacheDirectory = TorchHubCache.CheckpointsDirectory();

    /// <summary>Connecting (DNS, TCP, TLS) must finish within this: a network that does not answer fails in seconds.</summary>
    public TimeSpan ConnectTimeout
    {
        get => _connectTimeout;
        init => _connectTimeout = Positive(value, nameof(ConnectTimeout));
    }

    /// <summary>No byte (headers or body) for this long ends the attempt.</summary>
    public TimeSpan StallTimeout
    {
        get => _stallTimeout;
        init => _stallTimeout = Positive(value, nameof(StallTimeout));
    }

    /// <summary>
    /// Requests in all: a connection cut after some bytes arrived is resumed (HTTP Range) up to
    /// this many times; one that brought nothing is not tried again.
    /// </summary>
    public int MaxAttempts
    {
        get => _maxAttempts;
        init => _maxAttempts = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "1 or more");
    }

    /// <summary>Where the weights are looked for and downloaded to (default: PyTorch's hub cache).</summary>
    public string CacheDirectory
    {
        get => _cacheDirectory;
        init => _cacheDirectory = !string.IsNullOrEmpty(value) ? Path.GetFullPath(value) : throw new ArgumentException("a folder is required", nameof(value));
    }

    /// <summary>Why the network is not to be used (<c>--offline</c>, the variable), or null to use it.</summary>
    public string? OfflineReason { get; init; }

    /// <summary>"<see cref="OfflineVariable"/>=1" when the environment says offline, else null.</summary>
    public static string? OfflineFromEnvironment(Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        return environment(OfflineVariable) is { } value && (value == "1" || value.Equals("true", StringComparison.OrdinalIgnoreCase))
            ? $"{OfflineVariable}={value}"
            : null;
    }

    private static TimeSpan Positive(TimeSpan value, string name) =>
        value > TimeSpan.Zero ? value : throw new ArgumentOutOfRangeException(name, value, "must be positive");
}
