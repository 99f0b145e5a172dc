using AlexNet.Realtime.Inference.Contract;
using AlexNet.Realtime.TestSupport;
using AlexNet.Realtime.WeightConverter.Architecture;
using AlexNet.Realtime.WeightConverter.Graph;
using AlexNet.Realtime.WeightConverter.Weights;

namespace AlexNet.Realtime.WeightConverter.Tests;

/// <summary>Converts a weights file the way the CLI does, into a temporary folder.</summary>
internal static class ConvertedModels
{
    public static string Convert(TempDirectory dir, string weightsPath, InputLayout input, int top = 5, string? name = null, bool exactResize = false, DenseOps dense = DenseOps.Conv1x1)
    {
        var state = CheckpointReader.Read(weightsPath);
        var spec = ArchitectureDetector.Detect(state, null);
        var model = AlexNetModelBuilder.Build(spec, state, new ModelOptions
        {
            Input = input,
            TopK = top,
            SourceFile = Path.GetFileName(weightsPath),
            SourceSha256 = ModelFile.Sha256(weightsPath),
            PilExactResize = exactResize,
            Dense = dense,
        });
        var path = dir.File(name ?? Path.GetFileNameWithoutExtension(weightsPath) + $"_{input}{(exactResize ? "_exact" : "")}_{dense}.onnx".ToLowerInvariant());
        ModelFile.Write(model, path);
        return path;
    }

    public static string Preprocessing(TempDirectory dir, int crop, bool exactResize = false)
    {
        var path = dir.File($"preprocessing_{crop}{(exactResize ? "_exact" : "")}.onnx");
        ModelFile.Write(PreprocessingModel.Build(crop, ModelContract.ImageNetMean, ModelContract.ImageNetStd, exactResize), path);
        return path;
    }
}
