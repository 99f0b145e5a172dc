using AlexNet.Realtime.Inference.Contract;

namespace AlexNet.Realtime.WeightConverter.Graph;

/// <summary>
/// What the written model takes, returns and says about itself: init-only, each value checked as it
/// is set (<see cref="ArgumentException"/> naming the property; the command line names its flag).
/// </summary>
public sealed record ModelOptions
{
    private readonly int _topK = 5;
    private readonly IReadOnlyList<string>? _labels;

    public InputLayout Input { get; init; } = InputLayout.Frames;

    /// <summary>How many classes the graph's TopK returns (1 or more; at most the class count).</summary>
    public int TopK
    {
        get => _topK;
        init => _topK = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(TopK), value, "the graph's TopK must return 1 class or more");
    }

    /// <summary>Class names; null means the ImageNet names (1000 classes) or class_0.. otherwise.</summary>
    public IReadOnlyList<string>? Labels
    {
        get => _labels;
        init => _labels = value is null || value.Count > 0 ? value : throw new ArgumentException("the class names must name at least one class", nameof(Labels));
    }

    public string SourceFile { get; init; } = "";

    public string SourceSha256 { get; init; } = "";

    public WeightsKind Weights { get; init; } = WeightsKind.Pretrained;

    /// <summary>The weights hold NaN or infinity and were converted as asked (<c>--allow-nonfinite</c>): said in the contract.</summary>
    public bool NonfiniteWeights { get; init; }

    /// <summary>
    /// Resize the uint8 frame itself, as PIL does: bit-exact with torchvision's preprocessing of
    /// images. Off by default: resizing a float copy is within one uint8 level (mean |diff| about
    /// 0.003 after normalization) and faster on the CPU (bench/README.md, "Figures behind design
    /// choices").
    /// </summary>
    public bool PilExactResize { get; init; }

    /// <summary>The operators of the fully connected layers (see <see cref="DenseOps"/>).</summary>
    public DenseOps Dense { get; init; } = DenseOps.Conv1x1;
}
