namespace AlexNet.Realtime.Inference.Devices;

/// <summary>ONNX Runtime's names for the providers this project uses.</summary>
public static class ExecutionProviders
{
    public const string Cpu = "CPUExecutionProvider";
    public const string Cuda = "CUDAExecutionProvider";
    public const string DirectML = "DmlExecutionProvider";
}
