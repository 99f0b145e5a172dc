using AlexNet.Realtime.Inference.Contract;
using AlexNet.Realtime.WeightConverter.Architecture;
using AlexNet.Realtime.WeightConverter.Graph;

namespace AlexNet.Realtime.App.Commands;

/// <summary>
/// Finds the model to run: <c>--model</c> if given (it must exist), else <c>models/alexnet.onnx</c>,
/// which is written on first use as a full-size synthetic model, so a fresh machine with no
/// weights still runs (the overlay then says the labels are meaningless).
/// </summary>
internal static class ModelLocator
{
    public const string DefaultPath = "models/alexnet.onnx";

    public static string Resolve(FileInfo? given, Action<string> say)
    {
        if (given is not null)
        {
            return given.FullName;
        }

        var path = Path.GetFullPath(DefaultPath);
        if (File.Exists(path))
        {
            return path;
        }

        say($"no model at {DefaultPath}: writing a full-size synthetic AlexNet there (random weights, labels mean nothing; see README to convert real weights)");
        ModelFile.Write(SyntheticWeights.Model(), path);
        return path;
    }
}
