using AlexNet.Realtime.Inference.Contract;
using AlexNet.Realtime.WeightConverter.Architecture;
using AlexNet.Realtime.Inference.Onnx;
using AlexNet.Realtime.WeightConverter.Weights;
using static AlexNet.Realtime.WeightConverter.Graph.OnnxGraphBuilder;

namespace AlexNet.Realtime.WeightConverter.Graph;

/// <summary>
/// Writes an AlexNet as one ONNX graph: (frames) in-graph preprocessing, the network, and the
/// Softmax/TopK head, with the model contract in <c>metadata_props</c>.
/// </summary>
public static class AlexNetModelBuilder
{
    public const int OpsetVersion = 18;
    public const long IrVersion = 8;
    public const int ResizeShorter = 256;

    public static ModelProto Build(AlexNetSpec spec, StateDict weights, ModelOptions options)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(options);
        var labels = Labels.Resolve(options.Labels, spec.Classes);
        if (options.TopK > spec.Classes)
        {
            throw new ConversionException($"--top {options.TopK} is more than the model's {spec.Classes} classes");
        }

        var graph = new GraphProto { Name = $"alexnet_{spec.Arch.Name()}" };
        var g = new OnnxGraphBuilder(graph);
        var conv1 = spec.Convs[0];
        var w1 = weights[conv1.Key + ".weight"].Data;
        var b1 = weights[conv1.Key + ".bias"].Data;
        string x;
        if (options.Input == InputLayout.Frames)
        {
            graph.Input.Add(TensorInfo(ModelContract.FramesInputName, TensorProto.Types.DataType.Uint8, "batch", "height", "width", 3));
            var cropped = Preprocessing.ResizeAndCrop(g, ModelContract.FramesInputName, ResizeShorter, spec.CropSize, options.PilExactResize);
            var folded = Conv1Folding.Fold(w1, b1, conv1, ModelContract.ImageNetMean, ModelContract.ImageNetStd);
            w1 = folded.Weight;
            b1 = folded.Bias;
            x = folded.SubtractBgr255 is { } mean ? Preprocessing.SubtractMean(g, cropped, mean) : cropped;
        }
        else
        {
            graph.Input.Add(TensorInfo(ModelContract.NchwInputName, TensorProto.Types.DataType.Float, "batch", 3, spec.CropSize, spec.CropSize));
            x = ModelContract.NchwInputName;
        }

        x = Network(g, spec, weights, x, w1, b1, options.Dense);
        Head(g, x, spec.Classes, options.TopK);
        return Wrap(graph, Contract(options, labels, spec.Arch.Name(), spec.CropSize, ModelContract.ImageNetMean, ModelContract.ImageNetStd));
    }

    /// <summary>The contract of a model this converter writes, from its options and what the network is.</summary>
    internal static ModelContract Contract(ModelOptions options, IReadOnlyList<string> labels, string architecture, int crop, IReadOnlyList<float> meanRgb, IReadOnlyList<float> stdRgb) => new()
    {
        Labels = labels,
        Architecture = architecture,
        CropSize = crop,
        ResizeShorter = ResizeShorter,
        ResizePolicy = ModelContract.ResizePolicyText(options.PilExactResize),
        Mean = meanRgb,
        Std = stdRgb,
        InputLayout = options.Input,
        TopK = options.TopK,
        SourceFile = options.SourceFile,
        SourceSha256 = options.SourceSha256,
        ConverterVersion = ConverterInfo.Version,
        Weights = options.Weights,
        NonfiniteWeights = options.NonfiniteWeights,
        DenseOps = options.Dense == DenseOps.Gemm ? "gemm" : "conv",
        CropLevels = options.Input == InputLayout.Frames ? ModelContract.CropLevelsName : null,
        CropLevelsPilExact = options.Input == InputLayout.Frames && options.PilExactResize,
    };

    /// <summary>A model around a finished graph, with the opset, producer and contract.</summary>
    internal static ModelProto Wrap(GraphProto graph, ModelContract contract)
    {
        var model = new ModelProto
        {
            IrVersion = IrVersion,
            ProducerName = "alexnet-convert",
            ProducerVersion = ConverterInfo.Version,
            Graph = graph,
            DocString = "AlexNet.Realtime model: frames or tensors in, logits and top-K out; see metadata_props for the contract.",
        };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = OpsetVersion });
        foreach (var (key, value) in contract.ToMetadata())
        {
            model.MetadataProps.Add(new StringStringEntryProto { Key = key, Value = value });
        }

        return model;
    }

    /// <summary>Softmax and TopK inside the graph, so only K numbers per frame leave the device; and the graph's three outputs.</summary>
    internal static void Head(OnnxGraphBuilder g, string logits, int classes, int topK)
    {
        var probs = g.Node("Softmax", [logits], "probs", [Attr("axis", 1L)]);
        var node = new NodeProto { OpType = "TopK", Name = g.Unique("TopK") };
        node.Input.Add(probs);
        node.Input.Add(g.Int64s("k", topK));
        node.Output.Add(ModelContract.ProbsTopOutputName);
        node.Output.Add(ModelContract.IndexTopOutputName);
        node.Attribute.Add(Attr("axis", 1L));
        node.Attribute.Add(Attr("largest", 1L));
        node.Attribute.Add(Attr("sorted", 1L));
        g.Graph.Node.Add(node);
        g.Graph.Output.Add(TensorInfo(ModelContract.LogitsOutputName, TensorProto.Types.DataType.Float, "batch", classes));
        g.Graph.Output.Add(TensorInfo(ModelContract.ProbsTopOutputName, TensorProto.Types.DataType.Float, "batch", topK));
        g.Graph.Output.Add(TensorInfo(ModelContract.IndexTopOutputName, TensorProto.Types.DataType.Int64, "batch", topK));
    }

    private static string Network(OnnxGraphBuilder g, AlexNetSpec spec, StateDict weights, string x, float[] w1, float[] b1, DenseOps dense)
    {
        foreach (var conv in spec.Convs)
        {
            var w = conv == spec.Convs[0] ? w1 : weights[conv.Key + ".weight"].Data;
            var b = conv == spec.Convs[0] ? b1 : weights[conv.Key + ".bias"].Data;
            var wName = g.Initializer(conv.Key + ".weight", w, conv.OutChannels, conv.InChannels / conv.Groups, conv.Kernel, conv.Kernel);
            var bName = g.Initializer(conv.Key + ".bias", b, conv.OutChannels);
            x = g.Node("Conv", [x, wName, bName], conv.Key.Replace('.', '_'),
            [
                Attr("kernel_shape", conv.Kernel, conv.Kernel),
                Attr("strides", conv.Stride, conv.Stride),
                Attr("pads", conv.Pad, conv.Pad, conv.Pad, conv.Pad),
                Attr("group", (long)conv.Groups),
            ]);
            x = g.Node("Relu", [x], "relu");
            if (conv.LrnAfter)
            {
                x = g.Node("LRN", [x], "lrn",
                [
                    Attr("size", (long)AlexNetSpec.LrnSize),
                    Attr("alpha", AlexNetSpec.LrnAlpha),
                    Attr("beta", AlexNetSpec.LrnBeta),
                    Attr("bias", AlexNetSpec.LrnBias),
                ]);
            }

            if (conv.PoolAfter)
            {
                x = g.Node("MaxPool", [x], "pool", [Attr("kernel_shape", 3L, 3L), Attr("strides", 2L, 2L)]);
            }
        }

        // torchvision's AdaptiveAvgPool2d((6, 6)) sits here; at the fixed 224 crop its input is
        // already 6x6, where it is the identity, so it is left out.
        x = g.Node("Flatten", [x], "flat", [Attr("axis", 1L)]);
        return dense == DenseOps.Gemm ? GemmLayers(g, spec, weights, x) : ConvLayers(g, spec, weights, x);
    }

    private static string GemmLayers(OnnxGraphBuilder g, AlexNetSpec spec, StateDict weights, string x)
    {
        foreach (var fc in spec.Linears)
        {
            var wName = g.Initializer(fc.Key + ".weight", weights[fc.Key + ".weight"].Data, fc.OutFeatures, fc.InFeatures);
            var bName = g.Initializer(fc.Key + ".bias", weights[fc.Key + ".bias"].Data, fc.OutFeatures);
            var last = fc == spec.Linears[^1];
            x = g.Node("Gemm", [x, wName, bName], fc.Key.Replace('.', '_'), [Attr("transB", 1L)],
                outputName: last ? ModelContract.LogitsOutputName : null);
            if (fc.ReluAfter)
            {
                x = g.Node("Relu", [x], "relu");
            }
        }

        return x;
    }

    /// <summary>The fully connected layers as 1x1 convolutions over the batch laid along the height (see <see cref="DenseOps"/>).</summary>
    private static string ConvLayers(OnnxGraphBuilder g, AlexNetSpec spec, StateDict weights, string x)
    {
        x = BatchAsHeight.FromRows(g, x);
        foreach (var fc in spec.Linears)
        {
            var wName = g.Initializer(fc.Key + ".weight", weights[fc.Key + ".weight"].Data, fc.OutFeatures, fc.InFeatures, 1, 1);
            var bName = g.Initializer(fc.Key + ".bias", weights[fc.Key + ".bias"].Data, fc.OutFeatures);
            x = BatchAsHeight.Conv1x1(g, x, wName, bName, fc.Key.Replace('.', '_'));
            if (fc.ReluAfter)
            {
                x = g.Node("Relu", [x], "relu");
            }
        }

        return BatchAsHeight.ToRows(g, x, ModelContract.LogitsOutputName);
    }
}
