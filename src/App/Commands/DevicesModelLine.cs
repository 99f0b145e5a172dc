using AlexNet.Realtime.App.Output;
using AlexNet.Realtime.Inference.Contract;
using AlexNet.Realtime.Inference.Onnx;
using Google.Protobuf;

namespace AlexNet.Realtime.App.Commands;

/// <summary>
/// <c>devices</c>' line about the model: its precision and measured agreement, and whether that
/// precision suits the devices here. Read from the file's contract alone (no session, no
/// first-run conversion: <c>devices</c> makes nothing).
/// </summary>
internal static class DevicesModelLine
{
    /// <param name="given">--model, or null for the default model (said to be missing where it is).</param>
    /// <param name="cudaHere">A CUDA device answers this build.</param>
    public static string For(FileInfo? given, bool cudaHere)
    {
        var path = ModelLocator.PathOf(given);
        var shown = given?.ToString() ?? ModelLocator.DefaultPath;
        if (given is null && !File.Exists(path))
        {
            return $"model:     none at {shown} yet (made on first use by live, classify, label and profile; -m names another)";
        }

        ModelContract contract;
        try
        {
            contract = Read(path);
        }
        catch (AppException e) when (given is null)
        {
            // The default model is only described here: one that can't be read is said, not a failure of devices.
            return $"model:     {shown}: {e.Message}";
        }
        catch (AppException e)
        {
            throw new AppException($"--model {Inference.ErrorText.OneLine(shown)}: {e.Message}", e);
        }

        var fit = contract.Precision switch
        {
            "fp16" when !cudaHere && !OperatingSystem.IsWindows() => "; fp16 is for GPUs (CUDA, DirectML): on this CPU it runs, slower than fp32",
            "int8" or "int8-fc" => "; int8 is for CPUs (ONNX Runtime's integer kernels)",
            _ => "",
        };
        return $"model:     {Inference.ErrorText.OneLine(shown)}: {ModelPrecision.Describe(contract)}, {contract.Weights.ToString().ToLowerInvariant()} weights{fit}";
    }

    private static ModelContract Read(string path)
    {
        try
        {
            // The metadata alone: the graph's weights (hundreds of MB) are skipped, not kept.
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, FileOptions.SequentialScan);
            var view = ModelMetadataView.Parser.WithDiscardUnknownFields(true).ParseFrom(stream);
            var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var entry in view.MetadataProps)
            {
                metadata[entry.Key] = entry.Value;
            }

            return ModelContract.FromMetadata(metadata);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new AppException("no such file");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new AppException($"can't be read ({Inference.ErrorText.FirstLine(e.Message)})");
        }
        catch (InvalidProtocolBufferException)
        {
            throw new AppException("not an ONNX model");
        }
        catch (ModelContractException e)
        {
            throw new AppException(e.Message);
        }
    }
}
