using AlexNet.Realtime.Inference.Onnx;
using AlexNet.Realtime.WeightConverter.Graph;
using static AlexNet.Realtime.WeightConverter.Graph.OnnxGraphBuilder;
using DataType = AlexNet.Realtime.Inference.Onnx.TensorProto.Types.DataType;

namespace AlexNet.Realtime.WeightConverter.Quantization;

/// <summary>
/// Rewrites a float32 model into ONNX's QDQ form, which ONNX Runtime's CPU provider fuses into
/// integer kernels (QLinearConv, QGemm): every chosen Conv, Gemm and MatMul reads its weights
/// through DequantizeLinear of int8 initializers with a scale per output channel (symmetric, zero
/// points 0), its bias through DequantizeLinear of int32, and its activation input through a
/// QuantizeLinear/DequantizeLinear pair. A ReLU after such a node is folded into the pair on the
/// node's output: quantized over [0, max], the pair clips negatives to 0 exactly as the ReLU did,
/// and the kernel writes integers straight into the next layer.
/// </summary>
/// <remarks>
/// Only the network is touched: the nodes the model's entry tensor (<c>crop_levels</c>, or an nchw
/// model's input) reaches. The preprocessing before it, and Softmax and TopK, stay float. A layer
/// whose output is not followed by a ReLU (the last, the logits) keeps a float output, which ONNX
/// Runtime's Gemm fusion supports and its Conv runs on dequantized weights. Activations are uint8:
/// on x86 ONNX Runtime's integer kernels multiply unsigned activations by signed weights
/// (VPMADDUBSW, or VNNI's VPDPBUSD), and a ReLU output uses all 256 levels.
/// </remarks>
internal sealed class QdqWriter
{
    /// <summary>Ops whose output holds only values of its input, so a quantization of the input fits the output too.</summary>
    private static readonly HashSet<string> Passthrough = new(StringComparer.Ordinal) { "MaxPool", "Flatten", "Reshape", "Transpose", "Squeeze", "Unsqueeze" };

    private readonly ModelProto _model;
    private readonly List<Target> _targets;
    private readonly Dictionary<string, NodeProto> _producers;
    private readonly Dictionary<string, TensorProto> _initializers;

    private readonly string? _levels;

    private QdqWriter(ModelProto model, List<Target> targets, Dictionary<string, NodeProto> producers, Dictionary<string, TensorProto> initializers, string? levels)
    {
        _levels = levels;
        _model = model;
        _targets = targets;
        _producers = producers;
        _initializers = initializers;
    }

    /// <summary>The tensors whose ranges <see cref="Write"/> needs, measured on the float32 network.</summary>
    public IReadOnlyList<string> TensorsToMeasure => [.. _targets.Select(t => t.Node.Input[0]).Where(t => t != _levels).Concat(_targets.Where(t => t.Relu is not null).Select(t => t.Relu!.Output[0])).Distinct()];

    /// <summary>How many layers will be quantized.</summary>
    public int Layers => _targets.Count;

    /// <param name="entry">The tensor the network starts from.</param>
    /// <param name="denseOnly">Quantize only the fully connected layers: those after the network's Flatten.</param>
    /// <param name="levels">
    /// The entry tensor where it holds whole levels 0..255 (<c>crop_levels</c>): a layer that reads
    /// it directly (conv1 with its mean folded in, as without padding) reads it exactly as uint8,
    /// scale 1 and zero point 0, whatever the calibration frames' range.
    /// </param>
    public static QdqWriter Plan(ModelProto model, string entry, bool denseOnly, string? levels = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        var graph = model.Graph;
        var initializers = graph.Initializer.ToDictionary(t => t.Name, StringComparer.Ordinal);
        var producers = new Dictionary<string, NodeProto>(StringComparer.Ordinal);
        var consumers = new Dictionary<string, List<NodeProto>>(StringComparer.Ordinal);
        foreach (var node in graph.Node)
        {
            foreach (var output in node.Output)
            {
                producers[output] = node;
            }

            foreach (var input in node.Input)
            {
                (consumers.TryGetValue(input, out var list) ? list : consumers[input] = []).Add(node);
            }
        }

        var reached = NetworkNodes.Reached(graph, entry);
        var graphOutputs = graph.Output.Select(o => o.Name).ToHashSet(StringComparer.Ordinal);
        var dense = false;
        var targets = new List<Target>();
        for (var index = 0; index < graph.Node.Count; index++)
        {
            var node = graph.Node[index];
            if (!reached.Contains(index))
            {
                continue;
            }

            dense |= node.OpType == "Flatten";
            if ((denseOnly && !dense) || Axis(node, initializers) is not { } axis)
            {
                continue;
            }

            var users = consumers.GetValueOrDefault(node.Output[0]) ?? [];
            var relu = users.Count == 1 && users[0].OpType == "Relu" && !graphOutputs.Contains(node.Output[0]) ? users[0] : null;
            targets.Add(new Target(node, index, axis, relu, relu is null ? -1 : graph.Node.IndexOf(relu)));
        }

        return targets.Count == 0
            ? throw new ConversionException("the model has no Conv, Gemm or MatMul with float weights to quantize")
            : new QdqWriter(model, targets, producers, initializers, levels);
    }

    /// <summary>The model in QDQ form with activation ranges from <paramref name="range"/>.</summary>
    /// <param name="inputMeans">Each layer input's per-channel means, for <see cref="BiasCorrection"/>; null or a null answer: no correction.</param>
    public ModelProto Write(Func<string, ValueRange> range, Func<string, double[]?>? inputMeans = null)
    {
        var model = _model.Clone();
        var source = model.Graph;
        var graph = new GraphProto { Name = source.Name, DocString = source.DocString };
        graph.Input.AddRange(source.Input);
        graph.Output.AddRange(source.Output);
        graph.ValueInfo.AddRange(source.ValueInfo);
        var g = new OnnxGraphBuilder(graph);
        var byIndex = _targets.ToDictionary(t => t.Index);
        var removed = _targets.Where(t => t.Relu is not null).Select(t => t.ReluIndex).ToHashSet();
        var replaced = new HashSet<string>(StringComparer.Ordinal);
        var quantized = new Dictionary<string, (string Dequantized, ActivationQuant Quant)>(StringComparer.Ordinal);

        for (var index = 0; index < source.Node.Count; index++)
        {
            var original = source.Node[index];
            if (removed.Contains(index))
            {
                continue;
            }

            if (!byIndex.TryGetValue(index, out var target))
            {
                graph.Node.Add(original);
                continue;
            }

            var node = original.Clone();
            var x = node.Input[0];
            if (!quantized.TryGetValue(x, out var input))
            {
                var quant = x == _levels ? new ActivationQuant(1f, 0) : Inherited(x, quantized) ?? QuantTensors.Activation(range(x), unsigned: true);
                input = (QuantizeDequantize(g, x, quant, outputName: null), quant);
                quantized[x] = input;
            }

            node.Input[0] = input.Dequantized;
            var weight = _initializers[node.Input[1]];
            var channels = (int)weight.Dims[target.Axis];
            var channelAxisLast = target.Axis == weight.Dims.Count - 1 && target.Axis > 0;
            var floats = QuantTensors.Floats(weight);
            var (values, scales) = QuantTensors.Weights(floats, channels, channelAxisLast);
            replaced.Add(weight.Name);
            graph.Initializer.Add(QuantTensors.Tensor(weight.Name + "_int8", DataType.Int8, values.AsSpan(), [.. weight.Dims]));
            var weightScale = g.Initializer(weight.Name + "_scale", scales, channels);
            graph.Initializer.Add(QuantTensors.Tensor(weight.Name + "_zero_point", DataType.Int8, new sbyte[channels].AsSpan(), channels));
            node.Input[1] = g.Node("DequantizeLinear", [weight.Name + "_int8", weightScale, weight.Name + "_zero_point"], weight.Name + "_dequantized", [Attr("axis", (long)target.Axis)]);

            if (node.Input.Count > 2 && _initializers.TryGetValue(node.Input[2], out var bias) && bias.Dims.Count == 1 && bias.Dims[0] == channels)
            {
                var groups = (int)(node.Attribute.FirstOrDefault(a => a.Name == "group")?.I ?? 1);
                var corrected = BiasCorrection.Apply(QuantTensors.Floats(bias), floats, values, scales, channelAxisLast, groups, inputMeans?.Invoke(x));
                var (biasValues, biasScales) = QuantTensors.Bias(corrected, input.Quant.Scale, scales);
                replaced.Add(bias.Name);
                graph.Initializer.Add(QuantTensors.Tensor(bias.Name + "_int32", DataType.Int32, biasValues.AsSpan(), channels));
                var biasScale = g.Initializer(bias.Name + "_scale", biasScales, channels);
                node.Input[2] = g.Node("DequantizeLinear", [bias.Name + "_int32", biasScale], bias.Name + "_dequantized", [Attr("axis", 0L)]);
            }

            graph.Node.Add(node);
            if (target.Relu is { } relu)
            {
                // The ReLU's output name, now the pair's: its readers are unchanged.
                var reluOutput = relu.Output[0];
                var quant = QuantTensors.Activation(range(reluOutput) with { Low = 0 }, unsigned: true);
                quantized[reluOutput] = (QuantizeDequantize(g, node.Output[0], quant, outputName: reluOutput), quant);
            }
        }

        graph.Initializer.AddRange(source.Initializer.Where(t => !replaced.Contains(t.Name) || IsReadElsewhere(t.Name, graph)));
        model.Graph = graph;
        return model;
    }

    private static bool IsReadElsewhere(string initializer, GraphProto graph) => graph.Node.Any(n => n.Input.Contains(initializer));

    /// <summary>The quantization of a tensor made from a quantized one by ops that only move or pick its values (so the integer kernels' output goes on as is).</summary>
    private ActivationQuant? Inherited(string tensor, Dictionary<string, (string Dequantized, ActivationQuant Quant)> quantized)
    {
        while (true)
        {
            if (quantized.TryGetValue(tensor, out var known))
            {
                return known.Quant;
            }

            if (!_producers.TryGetValue(tensor, out var node) || !Passthrough.Contains(node.OpType))
            {
                return null;
            }

            tensor = node.Input[0];
        }
    }

    private static string QuantizeDequantize(OnnxGraphBuilder g, string tensor, ActivationQuant quant, string? outputName)
    {
        var scale = g.ScalarFloat(tensor + "_scale", quant.Scale);
        var zeroName = g.Unique(tensor + "_zero_point");
        g.Graph.Initializer.Add(QuantTensors.Tensor(zeroName, DataType.Uint8, new[] { (byte)quant.ZeroPoint }.AsSpan()));
        var q = g.Node("QuantizeLinear", [tensor, scale, zeroName], tensor + "_quantized");
        return g.Node("DequantizeLinear", [q, scale, zeroName], tensor + "_dequantized", outputName: outputName);
    }

    /// <summary>The weights' output-channel axis of a Conv, Gemm or MatMul with a float initializer for weights; null for any other node.</summary>
    private static int? Axis(NodeProto node, Dictionary<string, TensorProto> initializers)
    {
        if (node.Input.Count < 2 || !initializers.TryGetValue(node.Input[1], out var weight) || weight.DataType != (int)DataType.Float)
        {
            return null;
        }

        long Attribute(string name) => node.Attribute.FirstOrDefault(a => a.Name == name)?.I ?? 0;
        return node.OpType switch
        {
            "Conv" => 0,
            "Gemm" when weight.Dims.Count == 2 && Attribute("transA") == 0 => Attribute("transB") == 1 ? 0 : 1,
            "MatMul" when weight.Dims.Count == 2 => 1,
            _ => null,
        };
    }

    private sealed record Target(NodeProto Node, int Index, int Axis, NodeProto? Relu, int ReluIndex);
}
