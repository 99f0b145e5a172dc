using AlexNet.Realtime.WeightConverter.Weights;

namespace AlexNet.Realtime.WeightConverter.Architecture;

/// <summary>
/// Tells torchvision's AlexNet from the paper's by the state_dict keys, reads the widths, groups
/// and class count from the shapes, and checks that every shape chains into the next layer.
/// </summary>
public static class ArchitectureDetector
{
    public static AlexNetSpec Detect(StateDict weights, AlexNetArch? forced)
    {
        ArgumentNullException.ThrowIfNull(weights);
        var arch = forced ?? Guess(weights);
        var layout = AlexNetSpec.Layout(arch);
        var expectedKeys = layout.Select(l => l.Key).Concat(["classifier.1", "classifier.4", "classifier.6"])
            .SelectMany(k => new[] { k + ".weight", k + ".bias" }).ToHashSet(StringComparer.Ordinal);

        var unknown = weights.Names.Where(n => !expectedKeys.Contains(n)).Order(StringComparer.Ordinal).ToList();
        if (unknown.Count > 0)
        {
            throw new ConversionException(
                $"tensor {unknown[0]} is not part of a {arch.Name()} AlexNet{(unknown.Count > 1 ? $" (nor {unknown.Count - 1} more: {string.Join(", ", unknown.Skip(1).Take(5))})" : "")}" +
                (forced is null ? "" : "; check --arch"));
        }

        var missing = expectedKeys.Where(k => !weights.Contains(k)).Order(StringComparer.Ordinal).ToList();
        if (missing.Count > 0)
        {
            throw new ConversionException($"tensor {missing[0]} is missing from the checkpoint ({arch.Name()} AlexNet needs {expectedKeys.Count} tensors, {missing.Count} missing)");
        }

        var widths = new int[5];
        var groups = new int[5];
        var inChannels = 3;
        for (var i = 0; i < 5; i++)
        {
            var (key, kernel, _, _, _, _) = layout[i];
            var w = weights[key + ".weight"];
            if (w.Shape.Count != 4 || w.Shape[0] < 1 || w.Shape[1] < 1 || inChannels % w.Shape[1] != 0
                || w.Shape[2] != kernel || w.Shape[3] != kernel || (i == 0 && w.Shape[1] != 3))
            {
                var expectedIn = i == 0 ? "3" : $"{inChannels} / groups";
                throw Shape(w, $"[out, {expectedIn}, {kernel}, {kernel}]", i == 0 ? "" : $" (the previous layer has {inChannels} channels)");
            }

            groups[i] = inChannels / w.Shape[1];
            if (groups[i] > 1 && (arch == AlexNetArch.Torchvision || w.Shape[0] % groups[i] != 0))
            {
                throw Shape(w, $"[{w.Shape[0]}, {inChannels}, {kernel}, {kernel}]", $" (the previous layer has {inChannels} channels)");
            }

            widths[i] = w.Shape[0];
            ExpectShape(weights[key + ".bias"], [widths[i]]);
            inChannels = widths[i];
        }

        var fc1 = weights["classifier.1.weight"];
        var flat = inChannels * AlexNetSpec.FeatureMapSize * AlexNetSpec.FeatureMapSize;
        ExpectShape(fc1, [fc1.Shape.Count == 2 ? fc1.Shape[0] : -1, flat], $" ({inChannels} channels x 6 x 6 from the last conv)");
        ExpectShape(weights["classifier.1.bias"], [fc1.Shape[0]]);
        var fc2 = weights["classifier.4.weight"];
        ExpectShape(fc2, [fc2.Shape.Count == 2 ? fc2.Shape[0] : -1, fc1.Shape[0]], " (classifier.1 has that many outputs)");
        ExpectShape(weights["classifier.4.bias"], [fc2.Shape[0]]);
        var fc3 = weights["classifier.6.weight"];
        ExpectShape(fc3, [fc3.Shape.Count == 2 ? fc3.Shape[0] : -1, fc2.Shape[0]], " (classifier.4 has that many outputs)");
        ExpectShape(weights["classifier.6.bias"], [fc3.Shape[0]]);

        return AlexNetSpec.Create(arch, widths, groups, fc1.Shape[0], fc2.Shape[0], fc3.Shape[0]);
    }

    private static AlexNetArch Guess(StateDict weights)
    {
        if (weights.Contains("features.3.weight"))
        {
            return AlexNetArch.Torchvision;
        }

        if (weights.Contains("features.4.weight"))
        {
            return AlexNetArch.Paper;
        }

        var sample = string.Join(", ", weights.Names.Order(StringComparer.Ordinal).Take(6));
        throw new ConversionException(
            $"not an AlexNet state_dict: expected torchvision keys (features.0/3/6/8/10, classifier.1/4/6) or the paper's (features.0/4/8/10/12, classifier.1/4/6), found [{sample}{(weights.Count > 6 ? ", ..." : "")}]");
    }

    private static void ExpectShape(WeightTensor t, int[] expected, string why = "")
    {
        if (expected.Any(d => d < 1) || !t.Shape.SequenceEqual(expected))
        {
            throw Shape(t, WeightTensor.FormatShape(expected.Select(d => d < 1 ? 0 : d).ToArray()), why);
        }
    }

    private static ConversionException Shape(WeightTensor t, string expected, string why) =>
        new($"tensor {t.Name}: expected shape {expected}, got {t.ShapeText}{why}");
}
