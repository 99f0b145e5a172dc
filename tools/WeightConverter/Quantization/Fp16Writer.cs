using AlexNet.Realtime.Inference.Contract;
using AlexNet.Realtime.Inference.Onnx;
using Google.Protobuf;
using static AlexNet.Realtime.WeightConverter.Graph.OnnxGraphBuilder;
using DataType = AlexNet.Realtime.Inference.Onnx.TensorProto.Types.DataType;

namespace AlexNet.Realtime.WeightConverter.Quantization;

/// <summary>
/// Rewrites a float32 model's network into float16, for the GPU providers: the network's weights
/// become float16 initializers, a Cast takes its entry tensor to float16 and another brings the
/// logits back to float32, so the graph's inputs and outputs, the preprocessing before the network
/// and the Softmax and TopK after it stay float32 and callers change nothing.
/// </summary>
/// <remarks>
/// The preprocessing stays float32 because its resize filters levels 0..255, which float16 steps
/// by an eighth of a level above 128, and then rounds to whole levels, where those steps would
/// turn into whole-level differences; the head because a Softmax over 1000 classes sums small
/// probabilities. On the CPU, which has no float16 kernels for most of these ops,
/// ONNX Runtime casts around them: it runs, slower than float32.
/// </remarks>
internal static class Fp16Writer
{
    public static ModelProto Write(ModelProto model, string entry)
    {
        ArgumentNullException.ThrowIfNull(model);
        var result = model.Clone();
        var graph = result.Graph;
        var reached = NetworkNodes.Reached(graph, entry);
        var network = reached.Order().Select(i => graph.Node[i]).ToList();
        var logitsProducer = network.FirstOrDefault(n => n.Output.Contains(ModelContract.LogitsOutputName))
            ?? throw new ConversionException("the network does not lead to the logits output; it can't be converted to fp16");
        var outside = graph.Node.Where((_, i) => !reached.Contains(i)).SelectMany(n => n.Input).ToHashSet(StringComparer.Ordinal);
        var read = network.SelectMany(n => n.Input).ToHashSet(StringComparer.Ordinal);

        var half = entry + "_fp16";
        foreach (var node in network)
        {
            for (var i = 0; i < node.Input.Count; i++)
            {
                if (node.Input[i] == entry)
                {
                    node.Input[i] = half;
                }
            }

            for (var i = 0; i < node.Output.Count; i++)
            {
                if (node.Output[i] == ModelContract.LogitsOutputName)
                {
                    node.Output[i] = ModelContract.LogitsOutputName + "_fp16";
                }
            }
        }

        foreach (var tensor in graph.Initializer.Where(t => t.DataType == (int)DataType.Float && read.Contains(t.Name) && !outside.Contains(t.Name)))
        {
            var floats = QuantTensors.Floats(tensor);
            var halves = new Half[floats.Length];
            for (var i = 0; i < floats.Length; i++)
            {
                halves[i] = (Half)floats[i];
            }

            tensor.FloatData.Clear();
            tensor.DataType = (int)DataType.Float16;
            tensor.RawData = ByteString.CopyFrom(System.Runtime.InteropServices.MemoryMarshal.AsBytes(halves.AsSpan()));
        }

        // Value types recorded for the network's tensors were float32's.
        var produced = network.SelectMany(n => n.Output).ToHashSet(StringComparer.Ordinal);
        foreach (var info in graph.ValueInfo.Where(v => produced.Contains(v.Name)).ToList())
        {
            graph.ValueInfo.Remove(info);
        }

        var toHalf = new NodeProto { OpType = "Cast", Name = "Cast_to_fp16" };
        toHalf.Input.Add(entry);
        toHalf.Output.Add(half);
        toHalf.Attribute.Add(Attr("to", (long)DataType.Float16));
        graph.Node.Insert(graph.Node.IndexOf(network[0]), toHalf);

        var toFloat = new NodeProto { OpType = "Cast", Name = "Cast_logits_to_fp32" };
        toFloat.Input.Add(ModelContract.LogitsOutputName + "_fp16");
        toFloat.Output.Add(ModelContract.LogitsOutputName);
        toFloat.Attribute.Add(Attr("to", (long)DataType.Float));
        graph.Node.Insert(graph.Node.IndexOf(logitsProducer) + 1, toFloat);
        return result;
    }
}
