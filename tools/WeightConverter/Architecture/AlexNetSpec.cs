namespace AlexNet.Realtime.WeightConverter.Architecture;

/// <summary>One convolution of the feature extractor (state_dict prefix <c>Key</c>, e.g. <c>features.0</c>) and what follows it.</summary>
public sealed record ConvLayer(string Key, int OutChannels, int InChannels, int Kernel, int Stride, int Pad, int Groups, bool LrnAfter, bool PoolAfter);

/// <summary>One fully connected layer of the classifier.</summary>
public sealed record LinearLayer(string Key, int OutFeatures, int InFeatures, bool ReluAfter);

/// <summary>A concrete AlexNet: layout plus the channel widths and class count read from the weights.</summary>
public sealed record AlexNetSpec(AlexNetArch Arch, IReadOnlyList<ConvLayer> Convs, IReadOnlyList<LinearLayer> Linears)
{
    /// <summary>Spatial size of the last pooled feature map (6 for both layouts at their crop size).</summary>
    public const int FeatureMapSize = 6;

    /// <summary>LocalResponseNorm(size 5, alpha 1e-4, beta 0.75, k 1), as in the paper and Caffe.</summary>
    public const int LrnSize = 5;
    public const float LrnAlpha = 1e-4f;
    public const float LrnBeta = 0.75f;
    public const float LrnBias = 1f;

    public int Classes => Linears[^1].OutFeatures;

    public int CropSize => Arch.CropSize();

    /// <summary>The layout with given widths (used for synthetic weights and to check real ones).</summary>
    public static AlexNetSpec Create(AlexNetArch arch, IReadOnlyList<int> convWidths, IReadOnlyList<int> convGroups, int fc1, int fc2, int classes)
    {
        ArgumentNullException.ThrowIfNull(convWidths);
        ArgumentNullException.ThrowIfNull(convGroups);
        var layout = Layout(arch);
        var convs = new List<ConvLayer>();
        var inChannels = 3;
        for (var i = 0; i < 5; i++)
        {
            var (key, kernel, stride, pad, lrn, pool) = layout[i];
            convs.Add(new ConvLayer(key, convWidths[i], inChannels, kernel, stride, pad, convGroups[i], lrn, pool));
            inChannels = convWidths[i];
        }

        var flat = inChannels * FeatureMapSize * FeatureMapSize;
        return new AlexNetSpec(arch, convs,
        [
            new LinearLayer("classifier.1", fc1, flat, ReluAfter: true),
            new LinearLayer("classifier.4", fc2, fc1, ReluAfter: true),
            new LinearLayer("classifier.6", classes, fc2, ReluAfter: false),
        ]);
    }

    /// <summary>Per conv: state_dict key, kernel, stride, padding, LRN after, max-pool after.</summary>
    internal static (string Key, int Kernel, int Stride, int Pad, bool Lrn, bool Pool)[] Layout(AlexNetArch arch) => arch == AlexNetArch.Torchvision
        ?
        [
            ("features.0", 11, 4, 2, false, true),
            ("features.3", 5, 1, 2, false, true),
            ("features.6", 3, 1, 1, false, false),
            ("features.8", 3, 1, 1, false, false),
            ("features.10", 3, 1, 1, false, true),
        ]
        :
        [
            ("features.0", 11, 4, 0, true, true),
            ("features.4", 5, 1, 2, true, true),
            ("features.8", 3, 1, 1, false, false),
            ("features.10", 3, 1, 1, false, false),
            ("features.12", 3, 1, 1, false, true),
        ];
}
