using System.Globalization;

namespace AlexNet.Realtime.Inference.Devices;

/// <summary>A parsed device name: <c>auto</c>, <c>cpu</c>, <c>dml[:N]</c> or <c>cuda[:N]</c>. A name it does not know is an <see cref="InferenceException"/> that starts with the text; the command line adds its flag.</summary>
public readonly record struct DeviceRequest(DeviceKind Kind, int Index)
{
    public static DeviceRequest Auto => new(DeviceKind.Auto, 0);

    public static DeviceRequest Cpu => new(DeviceKind.Cpu, 0);

    public static DeviceRequest Parse(string? text)
    {
        var value = (text ?? "auto").Trim().ToLowerInvariant();
        var colon = value.IndexOf(':', StringComparison.Ordinal);
        var name = colon < 0 ? value : value[..colon];
        var index = 0;
        if (colon >= 0 && (!int.TryParse(value[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out index) || index < 0))
        {
            throw new InferenceException($"{text}: the device index after ':' must be a number, e.g. cuda:0");
        }

        return name switch
        {
            "auto" when colon < 0 => Auto,
            "cpu" when colon < 0 => Cpu,
            "dml" or "directml" => new DeviceRequest(DeviceKind.DirectML, index),
            "cuda" or "gpu" => new DeviceRequest(DeviceKind.Cuda, index),
            _ => throw new InferenceException($"{text}: unknown device; use auto, cpu, dml[:N] or cuda[:N]"),
        };
    }

    /// <summary>
    /// Whether this request can only end on the CPU: <c>cpu</c>, or <c>auto</c> in a build whose
    /// first choice (<see cref="AutoFirstChoice"/>) is the CPU.
    /// </summary>
    public bool CpuOnly => Kind == DeviceKind.Cpu || (Kind == DeviceKind.Auto && AutoFirstChoice() == DeviceKind.Cpu);

    /// <summary>
    /// The device <c>auto</c> tries first in this build: DirectML in a Windows build that has it,
    /// else CUDA where the build has its provider, else the CPU (a GPU that does not answer falls
    /// back to the CPU, and says why).
    /// </summary>
    public static DeviceKind AutoFirstChoice() =>
        OperatingSystem.IsWindows() && BuildFlavor.HasDirectML ? DeviceKind.DirectML
        : Microsoft.ML.OnnxRuntime.OrtEnv.Instance().GetAvailableProviders().Contains(ExecutionProviders.Cuda) ? DeviceKind.Cuda
        : DeviceKind.Cpu;

    public override string ToString() => Kind switch
    {
        DeviceKind.Auto => "auto",
        DeviceKind.Cpu => "cpu",
        DeviceKind.DirectML => $"dml:{Index}",
        _ => $"cuda:{Index}",
    };
}
