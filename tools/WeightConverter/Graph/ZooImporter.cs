using AlexNet.Realtime.Inference.Contract;
using AlexNet.Realtime.Inference.Onnx;
using static AlexNet.Realtime.WeightConverter.Graph.OnnxGraphBuilder;

namespace AlexNet.Realtime.WeightConverter.Graph;

/// <summary>
/// Wraps an existing AlexNet ONNX graph (the model zoo's Caffe-converted bvlc_alexnet: opset 9,
/// input <c>data_0</c> [1,3,224,224] BGR minus the ImageNet mean on the 0..255 scale, Softmax
/// output) with the same frame preprocessing, top-K head and contract as a converted model.
/// Dropout (identity at inference) and the final Softmax are removed, the Softmax's input becomes
/// <c>logits</c>, and a batch-1 Reshape is made batch-free.
/// </summary>
public static class ZooImporter
{
    /// <summary>
    /// Caffe's ilsvrc_2012_mean averaged per channel (B, G, R), the mean bvlc_alexnet was trained
    /// with, as commonly quoted; not checked here against the zoo's documentation (no network).
    /// </summary>
    public static IReadOnlyList<float> CaffeMeanBgr { get; } = [104.00699f, 116.66877f, 122.67892f];

    // Bounds that no image classifier comes near, so that a damaged dimension is refused here
    // rather than becoming an int overflow or a billion generated labels.
    private const long MaxCrop = 4096;
    private const long MaxClasses = 1_000_000;

    /// <summary>
    /// What makes the weights of the graph's convolutions and matrix products when they are no
    /// stored values ("8 ConstantOfShape nodes": the zoo's light test graph fills them with ones),
    /// or null when each is an initializer: such a model's labels mean nothing, like a synthetic one's.
    /// </summary>
    public static string? WeightsMadeInGraph(ModelProto source)
    {
        ArgumentNullException.ThrowIfNull(source);
        var graph = source.Graph;
        var initializers = graph.Initializer.Select(t => t.Name).ToHashSet(StringComparer.Ordinal);
        var producers = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var node in graph.Node)
        {
            foreach (var output in node.Output)
            {
                producers.TryAdd(output, node.OpType);
            }
        }

        var made = graph.Node
            .Where(n => n.OpType is "Conv" or "Gemm" or "MatMul" && n.Input.Count > 1 && !initializers.Contains(n.Input[1]))
            .Select(n => producers.TryGetValue(n.Input[1], out var op) ? op : "graph input")
            .GroupBy(op => op, StringComparer.Ordinal)
            .Select(g => $"{g.Count()} {g.Key}{(g.Key == "graph input" ? "" : " node")}{(g.Count() == 1 ? "" : "s")}")
            .ToList();
        return made.Count == 0 ? null : string.Join(", ", made);
    }

    public static ModelProto Import(ModelProto source, ModelOptions options)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(options);
        if (options.Input != InputLayout.Frames)
        {
            throw new ConversionException("import-onnx writes frames models only (the wrapped graph keeps its own input convention)");
        }

        var src = source.Graph;
        var initializers = new HashSet<string>(StringComparer.Ordinal);
        foreach (var t in src.Initializer)
        {
            if (!initializers.Add(t.Name))
            {
                throw new ConversionException($"the graph has two initializers named '{t.Name}'; not a valid ONNX graph");
            }
        }

        var realInputs = src.Input.Where(i => !initializers.Contains(i.Name)).ToList();
        if (realInputs.Count != 1 || src.Output.Count != 1)
        {
            throw new ConversionException($"expected a classifier graph with one input and one output; found {realInputs.Count} inputs and {src.Output.Count} outputs");
        }

        var input = realInputs[0];
        var dims = input.Type?.TensorType?.Shape?.Dim;
        if (dims is null || dims.Count != 4 || dims[1].DimValue != 3 || dims[2].DimValue is < 1 or > MaxCrop || dims[2].DimValue != dims[3].DimValue)
        {
            throw new ConversionException($"input {input.Name} is not an image tensor [N,3,S,S]");
        }

        var crop = (int)dims[2].DimValue;
        var softmax = src.Node.LastOrDefault(n => n.Output.Contains(src.Output[0].Name));
        if (softmax is null || softmax.OpType != "Softmax" || softmax.Input.Count == 0)
        {
            throw new ConversionException($"the graph's output {src.Output[0].Name} is not made by a Softmax; not an ImageNet classifier graph");
        }

        var graph = new GraphProto { Name = "alexnet_onnx_zoo" };
        var g = new OnnxGraphBuilder(graph);
        graph.Input.Add(TensorInfo(ModelContract.FramesInputName, TensorProto.Types.DataType.Uint8, "batch", "height", "width", 3));
        var cropped = Preprocessing.ResizeAndCrop(g, ModelContract.FramesInputName, AlexNetModelBuilder.ResizeShorter, crop, options.PilExactResize);
        var nchw = Preprocessing.SubtractMean(g, cropped, [.. CaffeMeanBgr]);

        var rename = new Dictionary<string, string>(StringComparer.Ordinal) { [input.Name] = nchw, [softmax.Input[0]] = ModelContract.LogitsOutputName };
        string Renamed(string name) => rename.TryGetValue(name, out var r) ? r : name;

        foreach (var t in src.Initializer)
        {
            graph.Initializer.Add(t.Clone());
        }

        foreach (var node in src.Node)
        {
            if (node == softmax)
            {
                continue;
            }

            // Every node makes an output; of the inputs only a Dropout's is read here (a Constant has
            // none, and is fine).
            if (node.Output.Count == 0 || (node.OpType == "Dropout" && node.Input.Count == 0))
            {
                throw new ConversionException($"node {node.Name} ({node.OpType}) has no {(node.Output.Count == 0 ? "output" : "input")}; not a classifier graph");
            }

            if (node.OpType == "Dropout")
            {
                rename[node.Output[0]] = Renamed(node.Input[0]);
                continue;
            }

            var copy = node.Clone();
            for (var i = 0; i < copy.Input.Count; i++)
            {
                copy.Input[i] = Renamed(copy.Input[i]);
            }

            for (var i = 0; i < copy.Output.Count; i++)
            {
                copy.Output[i] = Renamed(copy.Output[i]);
            }

            if (copy.OpType == "Reshape")
            {
                FreeBatch(graph, copy);
            }

            if (options.Dense == DenseOps.Conv1x1 && IsPlainDense(copy))
            {
                AddAsConvolution(g, copy);
                continue;
            }

            graph.Node.Add(copy);
        }

        if (!graph.Node.Any(n => n.Output.Contains(ModelContract.LogitsOutputName)))
        {
            throw new ConversionException("the Softmax's input is produced by no node; not a classifier graph");
        }

        var classes = OutputClasses(src.Output[0]);
        var labels = Labels.Resolve(options.Labels, classes);
        if (options.TopK > classes)
        {
            throw new ConversionException($"--top {options.TopK} is more than the model's {classes} classes");
        }

        AlexNetModelBuilder.Head(g, ModelContract.LogitsOutputName, classes, options.TopK);
        // A layer left as Gemm (not in the plain form the rewrite reads) makes the model's dense ops Gemm.
        var dense = graph.Node.Any(n => n.OpType == "Gemm") ? DenseOps.Gemm : DenseOps.Conv1x1;
        var contract = AlexNetModelBuilder.Contract(options with { Input = InputLayout.Frames, Dense = dense }, labels, "onnx-zoo", crop,
            [CaffeMeanBgr[2] / 255f, CaffeMeanBgr[1] / 255f, CaffeMeanBgr[0] / 255f], [1f / 255f, 1f / 255f, 1f / 255f]);
        return AlexNetModelBuilder.Wrap(graph, contract);
    }

    /// <summary>A fully connected layer as Caffe's exporter writes it: Gemm(x, W, b) with W transposed and nothing scaled.</summary>
    private static bool IsPlainDense(NodeProto node) =>
        node.OpType == "Gemm" && node.Input.Count is 2 or 3 && node.Output.Count == 1
        && node.Attribute.All(a => a.Name switch
        {
            "transB" => a.I == 1,
            "transA" => a.I == 0,
            "alpha" or "beta" => a.F == 1f,
            _ => false,
        })
        && node.Attribute.Any(a => a.Name == "transB");

    /// <summary>
    /// The layer as a 1x1 convolution over the batch laid along the height, as the converter writes
    /// its own (see <see cref="DenseOps"/>): x [N,K] to [1,K,N,1], W [M,K] to [M,K,1,1] (folded into
    /// a constant by ONNX Runtime), and the result [1,M,N,1] back to [N,M].
    /// </summary>
    private static void AddAsConvolution(OnnxGraphBuilder g, NodeProto gemm)
    {
        var image = BatchAsHeight.FromRows(g, gemm.Input[0]);
        var weight = g.Node("Unsqueeze", [gemm.Input[1], g.Int64s("kernel_axes", 2, 3)], "dense_kernel");
        var conv = BatchAsHeight.Conv1x1(g, image, weight, gemm.Input.Count == 3 ? gemm.Input[2] : null, "dense_conv");
        BatchAsHeight.ToRows(g, conv, gemm.Output[0]);
    }

    private static int OutputClasses(ValueInfoProto output)
    {
        var dims = output.Type?.TensorType?.Shape?.Dim;
        return dims is { Count: 2 } && dims[1].DimValue is > 0 and <= MaxClasses
            ? (int)dims[1].DimValue
            : throw new ConversionException($"output {output.Name} is not [N, classes]");
    }

    /// <summary>A Reshape to a constant shape starting with batch 1 copies the batch instead (0), so N frames work.</summary>
    private static void FreeBatch(GraphProto graph, NodeProto reshape)
    {
        var shape = reshape.Input.Count < 2 ? null : graph.Initializer.FirstOrDefault(t => t.Name == reshape.Input[1]);
        if (shape is null || shape.DataType != (int)TensorProto.Types.DataType.Int64)
        {
            return;
        }

        var values = shape.Int64Data.Count > 0
            ? shape.Int64Data.ToArray()
            : System.Runtime.InteropServices.MemoryMarshal.Cast<byte, long>(shape.RawData.Span).ToArray();
        if (values.Length == 2 && values[0] == 1)
        {
            values[0] = 0;
            var patched = new TensorProto { Name = shape.Name + "_batch_free", DataType = shape.DataType };
            patched.Dims.Add(2);
            patched.Int64Data.AddRange(values);
            graph.Initializer.Add(patched);
            reshape.Input[1] = patched.Name;
            if (!graph.Node.Any(n => n.Input.Contains(shape.Name)))
            {
                graph.Initializer.Remove(shape);
            }
        }
    }
}
