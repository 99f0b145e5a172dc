using AlexNet.Realtime.Inference.Contract;
using AlexNet.Realtime.Inference.Onnx;

namespace AlexNet.Realtime.WeightConverter.Quantization;

/// <summary>Which of a model's nodes are the network: reached from its entry tensor, up to the logits.</summary>
internal static class NetworkNodes
{
    /// <summary>The tensor the network starts from: the contract's <c>crop_levels</c>, or an nchw model's input.</summary>
    public static string Entry(ModelContract contract) =>
        contract.InputLayout == InputLayout.Nchw ? ModelContract.NchwInputName
        : contract.CropLevels ?? throw new ConversionException("the model names no crop_levels tensor: convert it again with this version of alexnet-convert before reducing its precision");

    /// <summary>Indices of the nodes that read, directly or not, <paramref name="entry"/>, not following the logits on into the head.</summary>
    public static HashSet<int> Reached(GraphProto graph, string entry)
    {
        var consumers = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        for (var i = 0; i < graph.Node.Count; i++)
        {
            foreach (var input in graph.Node[i].Input)
            {
                (consumers.TryGetValue(input, out var list) ? list : consumers[input] = []).Add(i);
            }
        }

        var reached = new HashSet<int>();
        var pending = new Stack<string>([entry]);
        while (pending.Count > 0)
        {
            foreach (var index in consumers.GetValueOrDefault(pending.Pop()) ?? [])
            {
                if (reached.Add(index))
                {
                    foreach (var output in graph.Node[index].Output.Where(o => o != ModelContract.LogitsOutputName))
                    {
                        pending.Push(output);
                    }
                }
            }
        }

        return reached;
    }
}
