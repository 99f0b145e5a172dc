using AlexNet.Realtime.Inference.Contract;
using AlexNet.Realtime.TestSupport;
using AlexNet.Realtime.WeightConverter.Architecture;
using AlexNet.Realtime.WeightConverter.Cli;
using AlexNet.Realtime.WeightConverter.Graph;
using AlexNet.Realtime.WeightConverter.Quantization;
using AlexNet.Realtime.WeightConverter.Weights;
using Xunit;

namespace AlexNet.Realtime.App.Tests;

/// <summary>The PyTorch-written mini model as a frames model, for app runs that must be quick.</summary>
public sealed class AppModels : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly Lazy<string> _miniInt8;
    private readonly Lazy<string> _miniInt8Forced;

    public AppModels()
    {
        _miniInt8 = new(MakeMiniInt8);
        _miniInt8Forced = new(MakeMiniInt8Forced);
        var state = CheckpointReader.Read(Fixtures.Path("tv_mini.pth"));
        var spec = ArchitectureDetector.Detect(state, null);
        MiniFrames = _dir.File("tv_mini.onnx");
        ModelFile.Write(AlexNetModelBuilder.Build(spec, state, new ModelOptions { SourceFile = "tv_mini.pth" }), MiniFrames);
        MiniSynthetic = _dir.File("tv_mini_synthetic.onnx");
        ModelFile.Write(AlexNetModelBuilder.Build(spec, state, new ModelOptions { SourceFile = "tv_mini.pth", Weights = WeightsKind.Synthetic }), MiniSynthetic);

        // NaN put into the built graph's last bias (not the checkpoint, which the converter may
        // refuse): every probability is then NaN, as with a checkpoint holding NaN weights.
        var nan = AlexNetModelBuilder.Build(spec, state, new ModelOptions { SourceFile = "tv_mini.pth" });
        var bias = nan.Graph.Initializer.Last(t => t.Name.EndsWith(".bias", StringComparison.Ordinal) && t.Dims.Count == 1 && t.Dims[0] == 10);
        var values = new float[10];
        values[3] = float.NaN;
        bias.RawData = Google.Protobuf.ByteString.CopyFrom(System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()));
        MiniNaN = _dir.File("tv_mini_nan.onnx");
        ModelFile.Write(nan, MiniNaN);

        // Labels that carry a terminal escape sequence, a line break and a spreadsheet formula.
        MiniHostileLabels = _dir.File("tv_mini_hostile_labels.onnx");
        string[] hostile = ["\u001b]0;owned\u0007\u001b[31mred", "=HYPERLINK(\"http://x\")", "line\nbreak", "+1", "-2", "@sum", "'quoted", "\u009b31mcsi", "plain", "tab\tin"];
        ModelFile.Write(AlexNetModelBuilder.Build(spec, state, new ModelOptions { SourceFile = "tv_mini.pth", Labels = hostile, TopK = 10 }), MiniHostileLabels);

        // Labels that carry Unicode format and separator characters: bidi overrides and
        // isolates, zero-width characters, a tag character, line and paragraph separators.
        MiniFormatLabels = _dir.File("tv_mini_format_labels.onnx");
        ModelFile.Write(AlexNetModelBuilder.Build(spec, state, new ModelOptions { SourceFile = "tv_mini.pth", Labels = FormatLabels, TopK = 10 }), MiniFormatLabels);
    }

    /// <summary>The class names of <see cref="MiniFormatLabels"/>.</summary>
    public static IReadOnlyList<string> FormatLabels { get; } =
        ["rlo\u202eevil", "ls\u2028sep", "ps\u2029para", "zw\u200bsp", "lri\u2066x\u2069", "bom\ufeffx", "tag\U000E0041x", "lre\u202ax\u202c", "plain", "nbsp\u00a0ok"];

    /// <summary>The mini model whose class names hold Unicode format (Cf) and separator (Zl, Zp) characters.</summary>
    public string MiniFormatLabels { get; }

    /// <summary>The mini model with a NaN in its last layer: every probability it gives is NaN.</summary>
    public string MiniNaN { get; }

    /// <summary>The mini model whose class names hold control characters and formulas.</summary>
    public string MiniHostileLabels { get; }

    public string MiniFrames { get; }

    /// <summary>The mini model marked as having synthetic weights, as the first run's fallback is.</summary>
    public string MiniSynthetic { get; }

    /// <summary>
    /// The mini model in int8 (<c>--precision int8</c>), calibrated on the demo clip and photo as
    /// the converter does without <c>--calibrate</c>; made on first use (calibration takes seconds).
    /// </summary>
    public string MiniInt8 => _miniInt8.Value;

    /// <summary><see cref="MiniInt8"/> as <c>--force</c> writes a model below the threshold: marked forced, top-1 agreement 0.9 in its contract.</summary>
    public string MiniInt8Forced => _miniInt8Forced.Value;

    public static string DemoClip => Path.Combine(Fixtures.RepositoryRoot, "samples", "demo-640x480.mp4");

    public void Dispose() => _dir.Dispose();

    private string MakeMiniInt8()
    {
        var state = CheckpointReader.Read(Fixtures.Path("tv_mini.pth"));
        var spec = ArchitectureDetector.Detect(state, null);

        // Dense layers as Gemm, as the converter writes them for int8.
        var fp32 = AlexNetModelBuilder.Build(spec, state, new ModelOptions { SourceFile = "tv_mini.pth", Dense = DenseOps.Gemm });
        var request = new PrecisionRequest { Precision = "int8", Calibrate = [DemoClip, Path.Combine(Fixtures.RepositoryRoot, "samples", "frame-640x480.jpg")] };
        var path = _dir.File("tv_mini_int8.onnx");
        ModelFile.Write(PrecisionConversion.Apply(fp32, request, new Steps(quiet: true)), path);
        return path;
    }

    private string MakeMiniInt8Forced()
    {
        var model = ModelFile.Read(MiniInt8);
        var metadata = model.MetadataProps.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
        var contract = ModelContract.FromMetadata(metadata);
        var forced = contract with { Agreement = contract.Agreement! with { Top1 = 0.9, Forced = true } };
        model.MetadataProps.Clear();
        foreach (var (key, value) in forced.ToMetadata())
        {
            model.MetadataProps.Add(new Inference.Onnx.StringStringEntryProto { Key = key, Value = value });
        }

        var path = _dir.File("tv_mini_int8_forced.onnx");
        ModelFile.Write(model, path);
        return path;
    }
}

[CollectionDefinition("App", DisableParallelization = true)]
public sealed class AppGroup : ICollectionFixture<AppModels>;
