using AlexNet.Realtime.Inference.Contract;
using AlexNet.Realtime.Inference.Devices;

namespace AlexNet.Realtime.Inference.Engine;

/// <summary>
/// What is worth saying about a model once it is open: that converting it again, or with other
/// options, would make it faster on the device it runs on. Said through the engine's notice at
/// open, never an error; kept apart from the run path, which never reads the contract's history.
/// </summary>
internal static class ModelAdvisories
{
    /// <summary>
    /// The size from which a model counts as the full-size one the <c>--fc-ops gemm</c> notice's
    /// figures were measured on (244 MB of fully connected weights): a small model (tv_mini) is not
    /// told it is slow on a figure that is not its own.
    /// </summary>
    internal const long DenseNoticeMinBytes = 64L * 1024 * 1024;

    /// <summary>Every notice for this model on this device, in the order they are said.</summary>
    public static IEnumerable<string> For(string modelPath, OpenedSession opened, ModelContract contract, EngineOptions options)
    {
        var name = Path.GetFileName(modelPath);
        if (opened.Kind == DeviceKind.Cpu && WrittenBeforeConvolutionDenseLayers(contract.ConverterVersion))
        {
            yield return $"{name} was written by alexnet-convert {contract.ConverterVersion}, whose fully connected layers are Gemm; converting it again with 0.2.0 or later (1x1 convolutions) makes it faster on the CPU (4 to 19% a frame in the project's paired benchmark runs)";
        }

        if (opened.Kind == DeviceKind.Cpu && options.HostPreprocessing && Preprocessing.CropGeometry.Fast && !opened.NetworkOnly && contract.CropLevels is null)
        {
            yield return $"{name} was written by alexnet-convert {contract.ConverterVersion} and names no crop_levels tensor, so its graph resizes the frames; converting it again with 0.3.1 or later lets the engine do it on the CPU (0.2 against 1.0 ms a 640x480 frame on 2 cores)";
        }

        if (DenseLayersNotice(name, new FileInfo(modelPath).Length, opened.Kind, contract, options) is { } dense)
        {
            yield return dense;
        }
    }

    /// <summary>
    /// What to say when a model's fully connected layers are in the slower form for the device:
    /// 1x1 convolutions (the converter's default, the CPU's fastest) are slower than Gemm on CUDA
    /// in float32, and about as fast with TF32 (bench/README.md). Null: nothing to say.
    /// </summary>
    internal static string? DenseLayersNotice(string modelName, long modelBytes, DeviceKind device, ModelContract contract, EngineOptions options) =>
        device == DeviceKind.Cuda && contract.DenseOps == "conv" && !options.CudaTf32 && modelBytes >= DenseNoticeMinBytes
            ? $"{modelName}'s fully connected layers are 1x1 convolutions, the CPU's fastest form; on CUDA in float32 they ran 1.6 times slower than Gemm (an H200: 1.48 against 0.91 ms a frame): 'alexnet-convert --fc-ops gemm' writes them as Gemm, and --tf32 runs both about as fast"
            : null;

    /// <summary>Converter versions before 0.2.0 wrote the fully connected layers as Gemm (see the converter's DenseOps).</summary>
    internal static bool WrittenBeforeConvolutionDenseLayers(string converterVersion) =>
        Version.TryParse(converterVersion.Split('-', '+')[0], out var version) && version < new Version(0, 2, 0);
}
