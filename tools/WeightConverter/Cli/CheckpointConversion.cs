using AlexNet.Realtime.WeightConverter.Architecture;
using AlexNet.Realtime.WeightConverter.Graph;
using AlexNet.Realtime.WeightConverter.Weights;

namespace AlexNet.Realtime.WeightConverter.Cli;

/// <summary>
/// A checkpoint read, its architecture found, the graph built and written (to a temporary file,
/// renamed): what <c>convert</c>, <c>fetch</c> and alexnet-rt's first run share.
/// </summary>
public static class CheckpointConversion
{
    /// <param name="options">The model's options; an empty <see cref="ModelOptions.SourceSha256"/> is computed here.</param>
    /// <param name="forced">The architecture to assume, or null to detect it from the keys.</param>
    /// <param name="allowNonfinite">Convert weights holding NaN or infinity (with a warning, marked in the contract) rather than refuse them.</param>
    /// <param name="finish">A last step on the built model before it is written (a precision reduction); null for none.</param>
    public static void Run(string source, string target, ModelOptions options, AlexNetArch? forced, Steps steps, bool allowNonfinite = false, Func<Inference.Onnx.ModelProto, Inference.Onnx.ModelProto>? finish = null)
    {
        var name = Path.GetFileName(source);
        var state = steps.Run($"reading {name}", () => CheckpointReader.Read(source));
        var nonfinite = NonfiniteValues.In(state);
        if (nonfinite.Count > 0)
        {
            var what = $"{name}: {NonfiniteValues.Describe(nonfinite)}";
            if (!allowNonfinite)
            {
                throw new ConversionException($"{what}; a model made of it answers NaN; --allow-nonfinite converts it anyway, marked in its contract");
            }

            Steps.Warn($"{what}; converted as asked (--allow-nonfinite), marked nonfinite_weights in the contract");
            options = options with { NonfiniteWeights = true };
        }

        var spec = ArchitectureDetector.Detect(state, forced);
        steps.Info($"architecture: {spec.Arch.Name()}, conv {string.Join("-", spec.Convs.Select(c => c.OutChannels))}, fc {spec.Linears[0].OutFeatures}-{spec.Linears[1].OutFeatures}, {spec.Classes} classes");
        if (options.Labels is null && spec.Classes != Labels.ImageNet.Count)
        {
            steps.Info($"note: {spec.Classes} classes and no --labels: classes are named class_0..class_{spec.Classes - 1}");
        }

        var sha = options.SourceSha256.Length > 0 ? options.SourceSha256 : steps.Run("hashing the source", () => ModelFile.Sha256(source));
        var model = steps.Run("building the graph", () => AlexNetModelBuilder.Build(spec, state, options with { SourceFile = name, SourceSha256 = sha }));
        model = finish?.Invoke(model) ?? model;
        steps.Run($"writing {Path.GetFileName(target)}", () => ModelFile.Write(model, target));
    }
}
