namespace AlexNet.Realtime.Inference.Devices;

/// <summary>The execution providers the engine can ask ONNX Runtime for.</summary>
public enum DeviceKind
{
    /// <summary>DirectML on Windows, CUDA where the build has it and a GPU answers, else the CPU.</summary>
    Auto,
    Cpu,

    /// <summary>ONNX Runtime's DirectML provider (Windows builds).</summary>
    DirectML,

    /// <summary>ONNX Runtime's CUDA provider (Linux builds made with <c>-p:Gpu=cuda</c>).</summary>
    Cuda,
}
