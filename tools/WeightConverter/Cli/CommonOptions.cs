using System.CommandLine;
using AlexNet.Realtime.Inference.Contract;
using AlexNet.Realtime.WeightConverter.Graph;

namespace AlexNet.Realtime.WeightConverter.Cli;

/// <summary>Options shared by the commands that write a model.</summary>
internal static class CommonOptions
{
    public static Option<FileInfo> Output() => new("--output", "-o")
    {
        Description = "The ONNX model to write (written to a temporary file, then renamed).",
        Required = true,
    };

    public static Option<int> Top() => new("--top")
    {
        Description = "How many classes the graph's TopK returns per frame.",
        DefaultValueFactory = _ => 5,
    };

    public static Option<string> Input() => new Option<string>("--input")
    {
        Description = "frames: uint8 [N,H,W,3] BGR frames, preprocessed in the graph; nchw: float [N,3,S,S], already normalized.",
        DefaultValueFactory = _ => "frames",
    }.AcceptOnlyFromAmong("frames", "nchw");

    public static Option<FileInfo?> Labels() => new("--labels")
    {
        Description = "Class names, one a line (default: the 1000 ImageNet names for 1000 classes).",
    };

    public static Option<bool> ExactResize() => new("--exact-resize")
    {
        Description = "Resize the uint8 frame as PIL does: bit-exact with torchvision's preprocessing, for results that must match PyTorch's to the bit; slower on the CPU, as it resizes the whole frame. Default: a float resize within one uint8 level.",
    };

    public static Option<string> FcOps() => new Option<string>("--fc-ops")
    {
        Description = "Operators of the fully connected layers. conv (the default): 1x1 convolutions over the batch, faster on ONNX Runtime's CPU provider, which streams their weights at nearly the memory's bandwidth; gemm: Gemm, as torch.onnx.export writes them, faster on CUDA in float32: pick it for a model that runs on a GPU. Same results within float rounding.",
        DefaultValueFactory = _ => "conv",
    }.AcceptOnlyFromAmong("conv", "gemm");

    public static DenseOps ParseFcOps(string? text) => text == "gemm" ? DenseOps.Gemm : DenseOps.Conv1x1;

    public static Option<bool> Quiet() => new("--quiet", "-q")
    {
        Description = "Print nothing but errors.",
    };

    public static InputLayout ParseLayout(string? text) => text == "nchw" ? InputLayout.Nchw : InputLayout.Frames;
}
