using AlexNet.Realtime.Inference.Contract;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace AlexNet.Realtime.Inference.Engine;

/// <summary>
/// Reads an opened model's contract and checks that the graph has what the contract promises: the
/// input the engine feeds (frames, or the network's crop_levels tensor) and the two top-K outputs.
/// </summary>
internal static class ContractCheck
{
    /// <param name="networkOnly">The session runs the network alone (host crop): its input is the crop_levels tensor.</param>
    /// <exception cref="ModelContractException">The contract is missing or damaged, or the graph does not match it.</exception>
    public static ModelContract Read(InferenceSession session, string modelName, bool networkOnly)
    {
        ModelContract contract;
        try
        {
            contract = ModelContract.FromMetadata(session.ModelMetadata.CustomMetadataMap);
        }
        catch (ModelContractException e)
        {
            throw new ModelContractException($"{modelName}: {e.Message}", e);
        }

        if (contract.InputLayout != InputLayout.Frames)
        {
            throw new ModelContractException(
                $"{modelName}: the model takes normalized nchw tensors, but the engine feeds camera frames; convert it again with '--input frames' (the default)");
        }

        if (networkOnly)
        {
            if (contract.CropLevels is not { } levels || !session.InputMetadata.TryGetValue(levels, out var network) || network.ElementDataType != TensorElementType.Float)
            {
                throw new ModelContractException($"{modelName}: the network graph has no float input named for the contract's crop_levels tensor");
            }
        }
        else if (!session.InputMetadata.TryGetValue(ModelContract.FramesInputName, out var input) || input.ElementDataType != TensorElementType.UInt8)
        {
            throw new ModelContractException($"{modelName}: the contract says frames, but the graph has no uint8 input named '{ModelContract.FramesInputName}'");
        }

        foreach (var name in new[] { ModelContract.ProbsTopOutputName, ModelContract.IndexTopOutputName })
        {
            if (!session.OutputMetadata.ContainsKey(name))
            {
                throw new ModelContractException($"{modelName}: the graph has no output named '{name}'");
            }
        }

        return contract;
    }
}
