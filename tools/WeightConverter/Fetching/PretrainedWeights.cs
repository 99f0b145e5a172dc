using System.Globalization;

namespace AlexNet.Realtime.WeightConverter.Fetching;

/// <summary>
/// A published set of trained weights the converter can fetch: where it is, how large it is and
/// its SHA-256, checked before the file is used (init-only, validated on set).
/// </summary>
public sealed record PretrainedWeights
{
    /// <summary>Test only: serve the weights from another URL (a local server in the tests).</summary>
    public const string UrlVariable = "ALEXNET_RT_WEIGHTS_URL";

    /// <summary>Test only: the overriding file's size in bytes.</summary>
    public const string SizeVariable = "ALEXNET_RT_WEIGHTS_SIZE";

    /// <summary>Test only: the overriding file's SHA-256 (64 hex digits).</summary>
    public const string Sha256Variable = "ALEXNET_RT_WEIGHTS_SHA256";

    private readonly string _name = "";
    private readonly Uri _url = new("http://invalid/");
    private readonly long _size;
    private readonly string _sha256 = "";
    private readonly string _fileName = "";

    /// <summary>torchvision's name for the weights (<c>AlexNet_Weights.IMAGENET1K_V1</c>).</summary>
    public required string Name
    {
        get => _name;
        init => _name = !string.IsNullOrWhiteSpace(value) ? value : throw new ArgumentException("a name is required", nameof(value));
    }

    /// <summary>An http or https URL.</summary>
    public required Uri Url
    {
        get => _url;
        init => _url = value is { IsAbsoluteUri: true } && (value.Scheme == Uri.UriSchemeHttp || value.Scheme == Uri.UriSchemeHttps)
            ? value
            : throw new ConversionException($"weights URL {value}: not an http or https URL");
    }

    /// <summary>The file's size in bytes: a server that sends more is refused.</summary>
    public required long Size
    {
        get => _size;
        init => _size = value > 0 ? value : throw new ConversionException($"weights size {value}: must be 1 byte or more");
    }

    /// <summary>The file's SHA-256, 64 lowercase hex digits.</summary>
    public required string Sha256
    {
        get => _sha256;
        init => _sha256 = value is { Length: 64 } && value.All(char.IsAsciiHexDigit)
            ? value.ToLowerInvariant()
            : throw new ConversionException($"weights SHA-256 '{value}': expected 64 hex digits");
    }

    /// <summary>The name in the cache: PyTorch's own (the URL's last segment), so PyTorch and this tool share one copy.</summary>
    public required string FileName
    {
        get => _fileName;
        init => _fileName = !string.IsNullOrEmpty(value) && value.IndexOfAny(['/', '\\']) < 0 && value is not ("." or "..")
            ? value
            : throw new ConversionException($"weights file name '{value}': not a plain file name");
    }

    /// <summary>True when the test-only variables replaced the product's values.</summary>
    public bool Overridden { get; init; }

    /// <summary>torchvision's <c>AlexNet_Weights.IMAGENET1K_V1</c>: top-1 56.5% on ImageNet-1k.</summary>
    public static PretrainedWeights ImageNet1kV1 { get; } = new()
    {
        Name = "IMAGENET1K_V1",
        Url = new Uri("https://download.pytorch.org/models/alexnet-owt-7be5be79.pth"),
        Size = 244_408_911,
        Sha256 = "7be5be791159472b1fbf3c69796f7cb30dca7ad8466c2df70058c37116cdee02",
        FileName = "alexnet-owt-7be5be79.pth",
    };

    /// <summary>Every set <c>fetch --weights</c> knows.</summary>
    public static IReadOnlyList<PretrainedWeights> Catalog { get; } = [ImageNet1kV1];

    public static PretrainedWeights Named(string name) =>
        Catalog.FirstOrDefault(w => string.Equals(w.Name, name, StringComparison.OrdinalIgnoreCase))
        ?? throw new ConversionException($"--weights {name}: unknown; known: {string.Join(", ", Catalog.Select(w => w.Name))}");

    /// <summary>Megabytes as the messages say them (1 MB = 10^6 bytes, as curl and browsers count).</summary>
    public static string Megabytes(long bytes) => (bytes / 1e6).ToString("0.0", CultureInfo.InvariantCulture) + " MB";

    /// <summary>
    /// The entry, or with <see cref="UrlVariable"/> set (tests only) the file the variables
    /// describe: its URL, size and SHA-256 (all three required), cached under the URL's own file
    /// name so that a test file never takes the real weights' name in PyTorch's cache.
    /// </summary>
    public PretrainedWeights WithTestOverrides(Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var url = environment(UrlVariable);
        if (string.IsNullOrEmpty(url))
        {
            return this;
        }

        var size = environment(SizeVariable);
        var sha = environment(Sha256Variable);
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            throw new ConversionException($"{UrlVariable}={url}: not a URL");
        }

        if (!long.TryParse(size, NumberStyles.None, CultureInfo.InvariantCulture, out var bytes) || string.IsNullOrEmpty(sha))
        {
            throw new ConversionException($"{UrlVariable} is set (a test override): {SizeVariable} (bytes) and {Sha256Variable} must be set with it");
        }

        return this with
        {
            Url = uri,
            Size = bytes,
            Sha256 = sha,
            FileName = Uri.UnescapeDataString(uri.Segments[^1]),
            Overridden = true,
        };
    }
}
