namespace AlexNet.Realtime.Inference.Devices;

/// <summary>Which ONNX Runtime package this build links (chosen by the build, see Directory.Build.props).</summary>
public static class BuildFlavor
{
#if ORT_DML_BUILD
    public const bool HasDirectML = true;
    public const string Package = "Microsoft.ML.OnnxRuntime.DirectML";
#elif ORT_CUDA_BUILD
    public const bool HasDirectML = false;
    public const string Package = "Microsoft.ML.OnnxRuntime.Gpu.Linux (CUDA 13)";
#else
    public const bool HasDirectML = false;
    public const string Package = "Microsoft.ML.OnnxRuntime (CPU)";
#endif
}
