namespace AlexNet.Realtime.CommandLine;

/// <summary>Where the tools agree the model lives unless told.</summary>
public static class ModelPaths
{
    /// <summary>Where <c>alexnet-convert fetch</c> writes the model unless told, and where alexnet-rt looks for it.</summary>
    public const string Default = "models/alexnet.onnx";
}
