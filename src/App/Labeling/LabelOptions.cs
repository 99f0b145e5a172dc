namespace AlexNet.Realtime.App.Labeling;

/// <summary>A labeling job: sealed, init-only, checked as set.</summary>
internal sealed class LabelOptions
{
    private readonly int _every = 1;
    private readonly int _batch = 1;
    private readonly int _lanes = 1;
    private readonly double _smoothing;

    public required IReadOnlyList<string> Inputs { get; init; }

    public required string Output { get; init; }

    public LabelFormat Format { get; init; } = LabelFormat.Jsonl;

    public string? AnnotatedDirectory { get; init; }

    /// <summary>Label every Nth frame of a video (frames 0, N, 2N, ...).</summary>
    public int Every { get => _every; init => _every = value >= 1 ? value : throw new Commands.AppException($"--every must be 1 or more, got {value}"); }

    /// <summary>Frames per inference call.</summary>
    public int Batch { get => _batch; init => _batch = value is >= 1 and <= 64 ? value : throw new Commands.AppException($"--batch must be 1..64, got {value}"); }

    /// <summary>
    /// Batches classified side by side, each on its own thread over one shared CPU session
    /// (<see cref="Inference.Engine.ClassifierEngine.OpenLane"/>); 1 runs one batch at a time. A
    /// device that may be a GPU takes one (<c>LabelCommand.LanesFor</c>).
    /// </summary>
    public int Lanes { get => _lanes; init => _lanes = value is >= 1 and <= 16 ? value : throw new Commands.AppException($"--lanes must be 1..16, got {value}"); }

    /// <summary>The frames the labeling loop holds at most: a batch per lane.</summary>
    public int FramesHeld => Batch * Lanes;

    public bool Resume { get; init; }

    /// <summary>What decodes the videos (auto: the system's FFmpeg libraries when they load, else OpenCV).</summary>
    public Capture.VideoDecoder Decoder { get; init; } = Capture.VideoDecoder.Auto;

    public string? Shard { get; init; }

    /// <summary>
    /// The weight of the past in a moving average of each input's answers, in frame order, started
    /// over at each input (0: each frame's own answer).
    /// </summary>
    public double Smoothing { get => _smoothing; init => _smoothing = Commands.SteadyLabelOptions.CheckSmoothing(value); }

    /// <summary>Classes per row (at most the model's K; default the model's K).</summary>
    public int? Top { get; init; }

    /// <summary>
    /// The output is a device or a pipe (<c>-o -</c>, <c>/dev/stdout</c>, <c>/dev/null</c>), not a
    /// file: it is written through, never removed or replaced, has no side file and can't be resumed.
    /// .NET does not tell a device from a file, so on Unix its place does.
    /// </summary>
    public static bool IsStream(string output) => CommandLine.OutputCheck.IsDevicePath(output);

    /// <summary>The output's path: <c>-</c> is standard output.</summary>
    /// <exception cref="Commands.AppException">The name is a folder's (ends in a slash, or names a folder there is).</exception>
    public static string OutputPath(string given)
    {
        ArgumentNullException.ThrowIfNull(given);
        if (given == "-")
        {
            return OperatingSystem.IsWindows() ? throw new Commands.AppException("--output -: standard output as the output is for Linux and macOS here; give a file name") : "/dev/stdout";
        }

        // Said here, before the format is taken from the name's extension: "outdir/" has none,
        // and "unknown format ''" would send the user looking at --format.
        if (Path.EndsInDirectorySeparator(given) || Directory.Exists(given))
        {
            throw new Commands.AppException($"--output {given}: that is a folder name, not a file name; give the file to write the rows to, such as {Path.Join(given, "labels.jsonl")}");
        }

        return Path.GetFullPath(given);
    }

    public static LabelFormat FormatFor(string output, string? format) => (format ?? (IsStream(output) ? "jsonl" : Path.GetExtension(output).TrimStart('.'))).ToLowerInvariant() switch
    {
        "jsonl" or "json" or "ndjson" => LabelFormat.Jsonl,
        "csv" => LabelFormat.Csv,
        var other => throw new Commands.AppException($"--output {output}: unknown format '{other}'; use a .jsonl or .csv name, or --format jsonl|csv"),
    };
}
