namespace AlexNet.Realtime.WeightConverter.Architecture;

/// <summary>The AlexNet layouts the converter knows.</summary>
public enum AlexNetArch
{
    /// <summary>torchvision.models.alexnet: 224 input, conv1 pad 2, no LRN, no groups.</summary>
    Torchvision,

    /// <summary>The 2012 paper / Caffe bvlc_alexnet: 227 input, conv1 pad 0, LRN, two-group conv2/4/5.</summary>
    Paper,
}

public static class AlexNetArchNames
{
    public static string Name(this AlexNetArch arch) => arch == AlexNetArch.Torchvision ? "torchvision" : "paper";

    public static int CropSize(this AlexNetArch arch) => arch == AlexNetArch.Torchvision ? 224 : 227;
}
