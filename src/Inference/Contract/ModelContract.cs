using System.Globalization;
using System.Text.Json;

namespace AlexNet.Realtime.Inference.Contract;

/// <summary>
/// What a model written by <c>alexnet-convert</c> promises about itself, stored as ONNX
/// <c>metadata_props</c> so the model file is self-describing: the engine needs nothing else.
/// </summary>
public sealed record ModelContract
{
    /// <summary>The contract format this code writes and reads.</summary>
    public const int CurrentVersion = 1;

    /// <summary>Graph input name for <see cref="InputLayout.Frames"/> models.</summary>
    public const string FramesInputName = "frames";

    /// <summary>Graph input name for <see cref="InputLayout.Nchw"/> models.</summary>
    public const string NchwInputName = "input";

    public const string LogitsOutputName = "logits";
    public const string ProbsTopOutputName = "probs_top";
    public const string IndexTopOutputName = "index_top";

    /// <summary>The name the converter gives the graph's <see cref="CropLevels"/> tensor.</summary>
    public const string CropLevelsName = "crop_levels";

    /// <summary>The torchvision evaluation transform's resize policy, in words.</summary>
    public static string ResizePolicyText(bool pilExact) =>
        "shorter side to 256 (bilinear, antialias; long side truncated), center crop (offsets rounded half to even); " +
        (pilExact ? "uint8 resize, bit-exact with PIL" : "float resize rounded to whole levels, within one level of PIL");

    /// <summary>The <see cref="Precision"/> of a float32 model, and of one that does not say.</summary>
    public const string Fp32 = "fp32";

    /// <summary>The <see cref="Precision"/> values this build writes.</summary>
    public static IReadOnlyList<string> KnownPrecisions { get; } = [Fp32, "fp16", "int8", "int8-fc"];

    public static IReadOnlyList<float> ImageNetMean { get; } = [0.485f, 0.456f, 0.406f];

    public static IReadOnlyList<float> ImageNetStd { get; } = [0.229f, 0.224f, 0.225f];

    public required IReadOnlyList<string> Labels { get; init; }

    /// <summary><c>torchvision</c>, <c>paper</c> or <c>onnx-zoo</c>.</summary>
    public required string Architecture { get; init; }

    public required int CropSize { get; init; }

    public required int ResizeShorter { get; init; }

    public required string ResizePolicy { get; init; }

    /// <summary>Per-channel mean, RGB order, on the 0..1 scale.</summary>
    public required IReadOnlyList<float> Mean { get; init; }

    /// <summary>Per-channel standard deviation, RGB order, on the 0..1 scale.</summary>
    public required IReadOnlyList<float> Std { get; init; }

    public required InputLayout InputLayout { get; init; }

    public required int TopK { get; init; }

    public required string SourceFile { get; init; }

    public required string SourceSha256 { get; init; }

    public required string ConverterVersion { get; init; }

    public required WeightsKind Weights { get; init; }

    /// <summary>
    /// The weights hold NaN or infinity (converted with <c>alexnet-convert --allow-nonfinite</c>):
    /// the model's probabilities may be NaN. Optional key; false when absent.
    /// </summary>
    public bool NonfiniteWeights { get; init; }

    /// <summary>
    /// The operators of the fully connected layers, <c>conv</c> (1x1 convolutions, the CPU's
    /// fastest) or <c>gemm</c>; null for a model written before the key existed (optional key).
    /// </summary>
    public string? DenseOps { get; init; }

    /// <summary>
    /// The graph's float <c>[N,3,S,S]</c> tensor that holds the resized and cropped frame (BGR
    /// planes, whole levels 0..255, nothing subtracted or scaled yet), null where the model names
    /// none (an nchw model, a model written before 0.3.0, or before 0.3.1 with a PIL-exact resize; optional key). A host that computes the
    /// same tensor may feed the rest of the graph from it.
    /// </summary>
    public string? CropLevels { get; init; }

    /// <summary>
    /// How <see cref="CropLevels"/> is made: false, float arithmetic rounded once at the end
    /// (within a level of PIL); true, PIL's own integer arithmetic (uint8 after each pass),
    /// bit-exact with PIL (<c>--exact-resize</c>). Optional key, written with the tensor's name.
    /// </summary>
    public bool CropLevelsPilExact { get; init; }

    /// <summary>
    /// The network's arithmetic: <c>fp32</c>, <c>fp16</c>, <c>int8</c> or <c>int8-fc</c> (only the
    /// fully connected layers in int8). Optional key: a model written before it existed is fp32; a
    /// value this build does not know reads as <c>unknown</c> (the model still runs: the graph says
    /// what it computes, this only describes it).
    /// </summary>
    public string Precision { get; init; } = Fp32;

    /// <summary>What the int8 activation ranges were calibrated on, in words; null when not calibrated (optional key).</summary>
    public string? CalibrationSource { get; init; }

    /// <summary>The measured agreement with float32 (reduced precisions); null when not measured or unreadable (optional key).</summary>
    public PrecisionAgreement? Agreement { get; init; }

    public int NumClasses => Labels.Count;

    public string InputName => InputLayout == InputLayout.Frames ? FramesInputName : NchwInputName;

    /// <summary>The metadata key/value pairs that carry this contract.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> ToMetadata() =>
    [
        new(Keys.Version, CurrentVersion.ToString(CultureInfo.InvariantCulture)),
        new(Keys.Labels, JsonSerializer.Serialize(Labels, ContractJsonContext.Default.IReadOnlyListString)),
        new(Keys.NumClasses, NumClasses.ToString(CultureInfo.InvariantCulture)),
        new(Keys.Architecture, Architecture),
        new(Keys.CropSize, CropSize.ToString(CultureInfo.InvariantCulture)),
        new(Keys.ResizeShorter, ResizeShorter.ToString(CultureInfo.InvariantCulture)),
        new(Keys.ResizePolicy, ResizePolicy),
        new(Keys.Mean, FormatFloats(Mean)),
        new(Keys.Std, FormatFloats(Std)),
        new(Keys.InputLayout, InputLayout == InputLayout.Frames ? "frames" : "nchw"),
        new(Keys.TopK, TopK.ToString(CultureInfo.InvariantCulture)),
        new(Keys.SourceFile, SourceFile),
        new(Keys.SourceSha256, SourceSha256),
        new(Keys.ConverterVersion, ConverterVersion),
        new(Keys.Weights, Weights == WeightsKind.Synthetic ? "synthetic" : "pretrained"),
        .. DenseOps is null ? Array.Empty<KeyValuePair<string, string>>() : [new(Keys.DenseOps, DenseOps)],
        .. NonfiniteWeights ? [new(Keys.NonfiniteWeights, "true")] : Array.Empty<KeyValuePair<string, string>>(),
        .. CropLevels is null ? Array.Empty<KeyValuePair<string, string>>() : [new(Keys.CropLevels, CropLevels), new(Keys.CropLevelsResize, CropLevelsPilExact ? "pil" : "float")],
        new(Keys.Precision, Precision),
        .. CalibrationSource is null ? Array.Empty<KeyValuePair<string, string>>() : [new(Keys.CalibrationSource, CalibrationSource)],
        .. Agreement is null ? Array.Empty<KeyValuePair<string, string>>() : [new(Keys.Agreement, JsonSerializer.Serialize(Agreement, AgreementJsonContext.Default.PrecisionAgreement))],
    ];

    /// <summary>
    /// Reads a contract from a model's metadata. Throws <see cref="ModelContractException"/>
    /// naming every missing or malformed key.
    /// </summary>
    public static ModelContract FromMetadata(IReadOnlyDictionary<string, string> metadata)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        if (!metadata.ContainsKey(Keys.Version))
        {
            throw new ModelContractException(
                "the model has no AlexNet.Realtime contract (metadata key 'alexnet_rt.contract' is missing); " +
                "convert it with 'alexnet-convert convert <weights.pth> -o model.onnx' or wrap an existing ONNX AlexNet " +
                "with 'alexnet-convert import-onnx <model.onnx> -o model.onnx'");
        }

        var missing = Keys.Required.Where(k => !metadata.ContainsKey(k)).ToList();
        if (missing.Count > 0)
        {
            throw new ModelContractException(
                $"the model's contract is incomplete: missing {string.Join(", ", missing)}; convert it again with this version of alexnet-convert");
        }

        var version = ParseInt(metadata, Keys.Version);
        if (version != CurrentVersion)
        {
            throw new ModelContractException(
                $"the model's contract is version {version}, this build reads version {CurrentVersion}; convert it again with this version of alexnet-convert");
        }

        IReadOnlyList<string>? labels;
        try
        {
            labels = JsonSerializer.Deserialize(metadata[Keys.Labels], ContractJsonContext.Default.IReadOnlyListString);
        }
        catch (JsonException e)
        {
            throw new ModelContractException($"the model's contract has malformed labels ({e.Message})", e);
        }

        if (labels is null || labels.Count == 0)
        {
            throw new ModelContractException("the model's contract has no labels");
        }

        for (var i = 0; i < labels.Count; i++)
        {
            if (labels[i] is null)
            {
                throw new ModelContractException($"the model's contract has no name for class {i} (null in its labels)");
            }
        }

        var numClasses = ParseInt(metadata, Keys.NumClasses);
        if (numClasses != labels.Count)
        {
            throw new ModelContractException($"the model's contract names {labels.Count} labels for {numClasses} classes");
        }

        var layout = metadata[Keys.InputLayout] switch
        {
            "frames" => InputLayout.Frames,
            "nchw" => InputLayout.Nchw,
            var other => throw new ModelContractException($"the model's contract has an unknown input layout '{other}' (expected frames or nchw)"),
        };
        var weights = metadata[Keys.Weights] switch
        {
            "pretrained" => WeightsKind.Pretrained,
            "synthetic" => WeightsKind.Synthetic,
            var other => throw new ModelContractException($"the model's contract has an unknown weights kind '{other}' (expected pretrained or synthetic)"),
        };

        var contract = new ModelContract
        {
            Labels = labels,
            Architecture = metadata[Keys.Architecture],
            CropSize = ParseInt(metadata, Keys.CropSize),
            ResizeShorter = ParseInt(metadata, Keys.ResizeShorter),
            ResizePolicy = metadata[Keys.ResizePolicy],
            Mean = ParseFloats(metadata, Keys.Mean),
            Std = ParseFloats(metadata, Keys.Std),
            InputLayout = layout,
            TopK = ParseInt(metadata, Keys.TopK),
            SourceFile = metadata[Keys.SourceFile],
            SourceSha256 = metadata[Keys.SourceSha256],
            ConverterVersion = metadata[Keys.ConverterVersion],
            Weights = weights,
            DenseOps = metadata.TryGetValue(Keys.DenseOps, out var dense) && dense is "conv" or "gemm" ? dense : null,
            CropLevels = metadata.TryGetValue(Keys.CropLevels, out var levels) && !string.IsNullOrEmpty(levels) ? levels : null,
            CropLevelsPilExact = metadata.TryGetValue(Keys.CropLevelsResize, out var levelsResize) && levelsResize == "pil",
            NonfiniteWeights = metadata.TryGetValue(Keys.NonfiniteWeights, out var nonfinite) && nonfinite == "true",
            Precision = ReadPrecision(metadata),
            CalibrationSource = metadata.TryGetValue(Keys.CalibrationSource, out var calibration) && !string.IsNullOrEmpty(calibration) ? calibration : null,
            Agreement = ReadAgreement(metadata),
        };
        if (contract.TopK < 1 || contract.TopK > contract.NumClasses)
        {
            throw new ModelContractException($"the model's contract has top_k {contract.TopK}, outside 1..{contract.NumClasses}");
        }

        if (contract.CropSize < 1)
        {
            throw new ModelContractException($"the model's contract has crop size {contract.CropSize}");
        }

        return contract;
    }

    private static string ReadPrecision(IReadOnlyDictionary<string, string> metadata) =>
        !metadata.TryGetValue(Keys.Precision, out var precision) ? Fp32
        : KnownPrecisions.Contains(precision, StringComparer.Ordinal) ? precision
        : "unknown";

    /// <summary>The stored agreement, or null where absent or unreadable: it describes the model, it is not needed to run it.</summary>
    private static PrecisionAgreement? ReadAgreement(IReadOnlyDictionary<string, string> metadata)
    {
        if (!metadata.TryGetValue(Keys.Agreement, out var text) || string.IsNullOrEmpty(text))
        {
            return null;
        }

        try
        {
            var agreement = JsonSerializer.Deserialize(text, AgreementJsonContext.Default.PrecisionAgreement);
            return agreement is { Frameset: not null, Frames: >= 0 } ? agreement : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static int ParseInt(IReadOnlyDictionary<string, string> metadata, string key) =>
        int.TryParse(metadata[key], NumberStyles.Integer, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new ModelContractException($"the model's contract has a malformed {key}: '{metadata[key]}'");

    private static float[] ParseFloats(IReadOnlyDictionary<string, string> metadata, string key)
    {
        var parts = metadata[key].Split(',');
        var values = new float[parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            if (!float.TryParse(parts[i], NumberStyles.Float, CultureInfo.InvariantCulture, out values[i]))
            {
                throw new ModelContractException($"the model's contract has a malformed {key}: '{metadata[key]}'");
            }
        }

        return values.Length == 3
            ? values
            : throw new ModelContractException($"the model's contract has {values.Length} values for {key}, expected 3");
    }

    private static string FormatFloats(IReadOnlyList<float> values) =>
        string.Join(",", values.Select(v => v.ToString("R", CultureInfo.InvariantCulture)));

    /// <summary>The metadata keys of the contract.</summary>
    public static class Keys
    {
        public const string Version = "alexnet_rt.contract";
        public const string Labels = "labels";
        public const string NumClasses = "num_classes";
        public const string Architecture = "architecture";
        public const string CropSize = "crop_size";
        public const string ResizeShorter = "resize_shorter";
        public const string ResizePolicy = "resize_policy";
        public const string Mean = "mean";
        public const string Std = "std";
        public const string InputLayout = "input_layout";
        public const string TopK = "top_k";
        public const string SourceFile = "source_file";
        public const string SourceSha256 = "source_sha256";
        public const string ConverterVersion = "converter_version";
        public const string Weights = "weights";

        /// <summary>Optional: <c>conv</c> or <c>gemm</c> (see <see cref="ModelContract.DenseOps"/>).</summary>
        public const string DenseOps = "dense_ops";

        /// <summary>Optional: <c>true</c> when the weights hold NaN or infinity (see <see cref="ModelContract.NonfiniteWeights"/>).</summary>
        public const string NonfiniteWeights = "nonfinite_weights";

        /// <summary>Optional: the name of the <see cref="ModelContract.CropLevels"/> tensor.</summary>
        public const string CropLevels = "crop_levels_tensor";

        /// <summary>Optional: <c>float</c> or <c>pil</c> (see <see cref="ModelContract.CropLevelsPilExact"/>).</summary>
        public const string CropLevelsResize = "crop_levels_resize";

        /// <summary>Optional: <c>fp32</c>, <c>fp16</c>, <c>int8</c> or <c>int8-fc</c> (see <see cref="ModelContract.Precision"/>).</summary>
        public const string Precision = "precision";

        /// <summary>Optional: what int8 ranges were calibrated on (see <see cref="ModelContract.CalibrationSource"/>).</summary>
        public const string CalibrationSource = "calibration_source";

        /// <summary>Optional: JSON, the agreement with float32 (see <see cref="PrecisionAgreement"/>).</summary>
        public const string Agreement = "agreement";

        internal static readonly string[] Required =
        [
            Labels, NumClasses, Architecture, CropSize, ResizeShorter, ResizePolicy, Mean, Std,
            InputLayout, TopK, SourceFile, SourceSha256, ConverterVersion, Weights,
        ];
    }
}
