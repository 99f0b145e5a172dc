using System.CommandLine;
using AlexNet.Realtime.Inference.Contract;
using AlexNet.Realtime.WeightConverter.Quantization;

namespace AlexNet.Realtime.WeightConverter.Cli;

/// <summary><c>--precision</c>, <c>--calibrate</c>, <c>--min-agreement</c> and <c>--force</c>, for the commands that build a model.</summary>
internal sealed class PrecisionOptions
{
    private readonly Option<string> _precision = new Option<string>("--precision")
    {
        Description = "The network's arithmetic. fp32; fp16: float16 weights and activations for the GPU providers (float32 at the graph's edges); int8: static QDQ quantization (int8 weights per channel, calibrated uint8 activations) that ONNX Runtime's CPU provider runs in integer kernels; int8-fc: only the fully connected layers in int8 (int8 writes them as Gemm unless --fc-ops is given). A reduced model is checked against fp32 on held-out frames and its agreement stored in its contract.",
        DefaultValueFactory = _ => ModelContract.Fp32,
    }.AcceptOnlyFromAmong([.. ModelContract.KnownPrecisions]);

    private readonly Option<string[]> _calibrate = new("--calibrate")
    {
        Description = "Images, folders (their images and videos) and videos to calibrate int8 on and check agreement on (every 4th block of frames held out). Default: the bundled demo clip and photo.",
        AllowMultipleArgumentsPerToken = true,
    };

    private readonly Option<double> _minAgreement = new("--min-agreement")
    {
        Description = "The least top-1 agreement with fp32 on held-out frames that is written; below it nothing is written and the exit is non-zero.",
        DefaultValueFactory = _ => 0.99,
    };

    private readonly Option<bool> _force = new("--force")
    {
        Description = "Write a reduced model even below --min-agreement, marked forced in its contract.",
    };

    public IEnumerable<Option> All => [_precision, _calibrate, _minAgreement, _force];

    /// <summary>
    /// The fully connected layers' operators: as <c>--fc-ops</c> says when given; else Gemm for
    /// int8, whose last layer (no ReLU after it, so its output stays float) ONNX Runtime fuses into
    /// an integer kernel only as a Gemm (as a 1x1 convolution it runs in float on weights
    /// dequantized every run), and whose integer Gemm ran the layers faster than its integer 1x1
    /// convolution where measured; else the float default.
    /// </summary>
    public Graph.DenseOps Dense(ParseResult parse, Option<string> fcOps)
    {
        ArgumentNullException.ThrowIfNull(parse);
        var given = parse.GetResult(fcOps) is { Implicit: false };
        var precision = parse.GetValue(_precision) ?? ModelContract.Fp32;
        return !given && precision.StartsWith("int8", StringComparison.Ordinal) ? Graph.DenseOps.Gemm : CommonOptions.ParseFcOps(parse.GetValue(fcOps));
    }

    /// <summary>The files and folders given to <c>--calibrate</c> (none when it is not given), for the output to be checked against.</summary>
    public IReadOnlyList<string> CalibrationSources(ParseResult parse) => parse.GetValue(_calibrate) ?? [];

    public PrecisionRequest Read(ParseResult parse) => new()
    {
        Precision = parse.GetValue(_precision) ?? ModelContract.Fp32,
        Calibrate = parse.GetValue(_calibrate) ?? [],
        MinAgreement = parse.GetValue(_minAgreement),
        Force = parse.GetValue(_force),
    };
}
