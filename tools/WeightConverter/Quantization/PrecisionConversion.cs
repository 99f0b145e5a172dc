using System.Globalization;
using AlexNet.Realtime.Inference.Contract;
using AlexNet.Realtime.Inference.Onnx;
using AlexNet.Realtime.Inference.Preprocessing;
using AlexNet.Realtime.WeightConverter.Cli;

namespace AlexNet.Realtime.WeightConverter.Quantization;

/// <summary>What <c>--precision</c> and its options ask for (init-only, validated on set).</summary>
public sealed record PrecisionRequest
{
    private readonly string _precision = ModelContract.Fp32;
    private readonly double _minAgreement = 0.99;

    /// <summary><c>fp32</c>, <c>fp16</c>, <c>int8</c> or <c>int8-fc</c>.</summary>
    public string Precision
    {
        get => _precision;
        init => _precision = ModelContract.KnownPrecisions.Contains(value, StringComparer.Ordinal) ? value
            : throw new ConversionException($"--precision must be one of {string.Join(", ", ModelContract.KnownPrecisions)}, got '{value}'");
    }

    /// <summary>Images, folders and videos to calibrate on; empty: the bundled demo clip and photo.</summary>
    public IReadOnlyList<string> Calibrate { get; init; } = [];

    /// <summary>The least top-1 agreement with fp32 on held-out frames that is written (0..1).</summary>
    public double MinAgreement
    {
        get => _minAgreement;
        init => _minAgreement = value is >= 0 and <= 1 ? value : throw new ConversionException($"--min-agreement must be between 0 and 1, got {value.ToString(CultureInfo.InvariantCulture)}");
    }

    /// <summary>Write the model even below <see cref="MinAgreement"/>, marked forced in its contract.</summary>
    public bool Force { get; init; }
}

/// <summary>
/// Makes a reduced-precision model from a float32 one the converter built: calibrates (int8),
/// measures agreement with float32 on held-out frames, refuses below the threshold, and writes the
/// precision, calibration source and agreement into the contract.
/// </summary>
/// <remarks>
/// The range method is chosen by the same held-out frames the report is measured on, so the
/// report is the best of the methods tried: a little kinder than a third, untouched set would
/// be, in exchange for not splitting a small calibration set three ways.
/// </remarks>
public static class PrecisionConversion
{
    private static readonly string[] BundledFiles = ["samples/demo-640x480.mp4", "samples/frame-640x480.jpg"];

    public static ModelProto Apply(ModelProto fp32, PrecisionRequest request, Steps steps)
    {
        ArgumentNullException.ThrowIfNull(fp32);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(steps);
        if (request.Precision == ModelContract.Fp32)
        {
            return request.Calibrate.Count > 0
                ? throw new ConversionException("--calibrate is for --precision int8, int8-fc or fp16 (an fp32 model needs no calibration or agreement check)")
                : fp32;
        }

        var contract = ContractOf(fp32);
        var entry = NetworkNodes.Entry(contract);
        var (sources, sourceText) = request.Calibrate.Count > 0
            ? (request.Calibrate, string.Join(", ", request.Calibrate))
            : Bundled();
        var frames = steps.Run("reading calibration frames", () => CalibrationFrames.Read(sources, sourceText, contract.CropSize, contract.ResizeShorter, contract.CropLevelsPilExact));
        using var reference = new NetworkRunner(Network(fp32, contract, entry), contract);
        var expected = steps.Run($"running fp32 on {frames.HeldOut.Count} held-out frames", () => reference.Logits(frames.HeldOut));

        ModelProto reduced;
        PrecisionAgreement agreement;
        if (request.Precision == "fp16")
        {
            reduced = steps.Run("writing the network in fp16", () => Fp16Writer.Write(fp32, entry));
            agreement = Measure(reduced, contract, entry, frames, expected, method: null);
        }
        else
        {
            var plan = QdqWriter.Plan(fp32, entry, denseOnly: request.Precision == "int8-fc", levels: contract.InputLayout == InputLayout.Frames ? entry : null);
            var ranges = steps.Run($"calibrating {plan.TensorsToMeasure.Count} activations on {frames.Calibration.Count} frames",
                () => ActivationRanges.Measure(Network(fp32, contract, entry), contract, plan.TensorsToMeasure, frames.Calibration));
            (reduced, agreement) = steps.Run($"quantizing {plan.Layers} layers ({RangeMethod.All.Count} ways of choosing ranges, each checked)", () =>
                RangeMethod.All
                    .Select(method =>
                    {
                        var model = plan.Write(t => ranges.For(t, method), ranges.ChannelMeans);
                        return (Model: model, Agreement: Measure(model, contract, entry, frames, expected, method.Name));
                    })
                    .OrderByDescending(c => c.Agreement.Top1)
                    .ThenByDescending(c => c.Agreement.Top5Overlap)
                    .ThenBy(c => c.Agreement.RelativeLogitError)
                    .First());
        }

        foreach (var line in Describe(request.Precision, agreement, request.Calibrate.Count == 0))
        {
            steps.Info(line);
        }

        if (agreement.Top1 < request.MinAgreement)
        {
            var what = $"{request.Precision}: top-1 agreement with fp32 {agreement.Top1.ToString("0.0000", CultureInfo.InvariantCulture)} on {agreement.Frames} held-out frames is below --min-agreement {request.MinAgreement.ToString(CultureInfo.InvariantCulture)}";
            if (!request.Force)
            {
                throw new ConversionException($"{what}; nothing written (--force writes it anyway, marked forced in its contract)");
            }

            Steps.Warn($"{what}; written as asked (--force), marked forced in its contract");
            agreement = agreement with { Forced = true };
        }

        var updated = contract with
        {
            Precision = request.Precision,
            CalibrationSource = request.Precision.StartsWith("int8", StringComparison.Ordinal) ? Calibrated(frames, request.Calibrate.Count == 0) : null,
            Agreement = agreement,
        };
        reduced.MetadataProps.Clear();
        foreach (var (key, value) in updated.ToMetadata())
        {
            reduced.MetadataProps.Add(new StringStringEntryProto { Key = key, Value = value });
        }

        return reduced;
    }

    /// <summary>The report's lines, as printed.</summary>
    internal static IEnumerable<string> Describe(string precision, PrecisionAgreement a, bool bundled)
    {
        var f = CultureInfo.InvariantCulture;
        yield return $"{precision} against fp32 on {a.Frames} held-out frames{(a.Method is null ? "" : $" ({a.Method} activation ranges, chosen by agreement)")}:";
        yield return string.Create(f, $"  top-1 agreement {a.Top1:0.0000}, mean top-5 overlap {a.Top5Overlap:0.0000}, largest probability difference {a.MaxProbabilityDifference:0.0000}, relative logit error {a.RelativeLogitError:0.0000} (mean of |z - z32| / |z32|)");
        yield return $"  frames: {a.Frameset}";
        if (bundled)
        {
            yield return "  (no --calibrate: the bundled demo clip and photo were used; calibrate on pictures like yours with --calibrate)";
        }
    }

    private static string Calibrated(CalibrationFrames frames, bool bundled) =>
        $"{frames.Calibration.Count} frames of {frames.Source}{(bundled ? " (the bundled demo clip and photo)" : "")}";

    private static PrecisionAgreement Measure(ModelProto model, ModelContract contract, string entry, CalibrationFrames frames, float[] expected, string? method)
    {
        using var runner = new NetworkRunner(Network(model, contract, entry), contract);
        var calculator = new AgreementCalculator(contract.NumClasses);
        calculator.Add(expected, runner.Logits(frames.HeldOut));
        return calculator.Result(frames.HeldOutText, method);
    }

    /// <summary>The network the engine's CPU path runs: the model cut at crop_levels; an nchw model as it is.</summary>
    private static ModelProto Network(ModelProto model, ModelContract contract, string entry) =>
        contract.InputLayout == InputLayout.Nchw ? model
        : NetworkGraph.From(model, entry, contract.CropSize) ?? throw new ConversionException($"the model can't be cut at its {entry} tensor to calibrate it");

    private static ModelContract ContractOf(ModelProto model)
    {
        var metadata = model.MetadataProps.GroupBy(p => p.Key).ToDictionary(g => g.Key, g => g.Last().Value, StringComparer.Ordinal);
        try
        {
            return ModelContract.FromMetadata(metadata);
        }
        catch (ModelContractException e)
        {
            throw new ConversionException(e.Message, e);
        }
    }

    /// <summary>The demo clip and photo the repository ships, found from the working folder or above the converter.</summary>
    private static (IReadOnlyList<string> Files, string Text) Bundled()
    {
        var roots = new List<string> { Directory.GetCurrentDirectory() };
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            roots.Add(dir.FullName);
        }

        foreach (var root in roots)
        {
            var files = BundledFiles.Select(f => Path.Combine(root, f)).ToList();
            if (files.All(File.Exists))
            {
                return (files, string.Join(", ", BundledFiles));
            }
        }

        throw new ConversionException($"no --calibrate and the bundled {string.Join(" and ", BundledFiles)} are not found (from the working folder or the converter's); give --calibrate <images|folders|videos>");
    }
}
