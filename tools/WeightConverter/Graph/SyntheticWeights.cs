using AlexNet.Realtime.Inference.Contract;
using AlexNet.Realtime.WeightConverter.Architecture;
using AlexNet.Realtime.Inference.Onnx;
using AlexNet.Realtime.WeightConverter.Weights;

namespace AlexNet.Realtime.WeightConverter.Graph;

/// <summary>
/// Full-size AlexNet weights drawn from a seeded generator: He-uniform (bound sqrt(6/fan_in), so
/// activations survive the ReLUs) and PyTorch's default bias bound 1/sqrt(fan_in). The same seed
/// gives the same bytes on every machine and .NET version, which System.Random does not promise;
/// hence the small SplitMix64 generator here.
/// </summary>
public static class SyntheticWeights
{
    public static AlexNetSpec FullSize(AlexNetArch arch, int classes) => arch == AlexNetArch.Torchvision
        ? AlexNetSpec.Create(arch, [64, 192, 384, 256, 256], [1, 1, 1, 1, 1], 4096, 4096, classes)
        : AlexNetSpec.Create(arch, [96, 256, 384, 384, 256], [1, 2, 1, 2, 2], 4096, 4096, classes);

    /// <summary>The contract's <c>source_file</c> for synthetic weights.</summary>
    public static string SourceName(AlexNetArch arch, ulong seed) => $"synthetic:{arch.Name()}:seed={seed}";

    /// <summary>A full-size synthetic model, marked synthetic in its contract; other options (input, K, resize) from <paramref name="options"/>.</summary>
    public static ModelProto Model(AlexNetArch arch = AlexNetArch.Torchvision, int classes = 1000, ulong seed = 1, ModelOptions? options = null)
    {
        var spec = FullSize(arch, classes);
        return AlexNetModelBuilder.Build(spec, Generate(spec, seed), (options ?? new ModelOptions()) with
        {
            Weights = WeightsKind.Synthetic,
            SourceFile = SourceName(arch, seed),
            SourceSha256 = "",
        });
    }

    public static StateDict Generate(AlexNetSpec spec, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var tensors = new List<WeightTensor>();
        var stream = 0UL;
        foreach (var conv in spec.Convs)
        {
            var fanIn = conv.InChannels / conv.Groups * conv.Kernel * conv.Kernel;
            tensors.Add(Uniform(conv.Key + ".weight", [conv.OutChannels, conv.InChannels / conv.Groups, conv.Kernel, conv.Kernel], Math.Sqrt(6.0 / fanIn), seed, stream++));
            tensors.Add(Uniform(conv.Key + ".bias", [conv.OutChannels], 1.0 / Math.Sqrt(fanIn), seed, stream++));
        }

        foreach (var fc in spec.Linears)
        {
            tensors.Add(Uniform(fc.Key + ".weight", [fc.OutFeatures, fc.InFeatures], Math.Sqrt(6.0 / fc.InFeatures), seed, stream++));
            tensors.Add(Uniform(fc.Key + ".bias", [fc.OutFeatures], 1.0 / Math.Sqrt(fc.InFeatures), seed, stream++));
        }

        return new StateDict(tensors);
    }

    private static WeightTensor Uniform(string name, int[] shape, double bound, ulong seed, ulong stream)
    {
        var count = shape.Aggregate(1, (a, b) => a * b);
        var data = new float[count];
        var state = seed * 0x9E3779B97F4A7C15UL ^ (stream + 1) * 0xBF58476D1CE4E5B9UL;
        for (var i = 0; i < data.Length; i++)
        {
            // SplitMix64 step; the top 24 bits make a uniform float in [0, 1).
            state += 0x9E3779B97F4A7C15UL;
            var z = state;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            z ^= z >> 31;
            var unit = (z >> 40) * (1.0 / (1UL << 24));
            data[i] = (float)((unit * 2 - 1) * bound);
        }

        return new WeightTensor(name, shape, data);
    }
}
