using AlexNet.Realtime.Inference.Onnx;
using Google.Protobuf;

namespace AlexNet.Realtime.Inference.Preprocessing;

/// <summary>
/// A converted model's graph from its <c>crop_levels</c> tensor on: the network and its head, with
/// that tensor as the input (float <c>[batch, 3, S, S]</c>), for an engine that computes it on the
/// host (<see cref="CropResizer"/>). The nodes before it, and the frames input, are left out.
/// </summary>
internal static class NetworkGraph
{
    /// <summary>The contract's metadata of the model file, without reading its graph into memory.</summary>
    /// <exception cref="IOException">The file can't be read.</exception>
    /// <exception cref="InvalidProtocolBufferException">The file is not a protobuf message.</exception>
    public static Dictionary<string, string> ReadMetadata(string modelPath)
    {
        using var stream = new FileStream(modelPath, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, FileOptions.SequentialScan);
        var view = ModelMetadataView.Parser.WithDiscardUnknownFields(true).ParseFrom(stream);
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var entry in view.MetadataProps)
        {
            metadata[entry.Key] = entry.Value;
        }

        return metadata;
    }

    /// <summary>
    /// The model cut at <paramref name="tensor"/>; null where it can't be: no <c>Round</c> or <c>Cast</c>
    /// node makes the tensor (the converter's last preprocessing step, the float resize's and the
    /// PIL-exact one's; a contract that names another tensor is
    /// damaged or edited, and feeding it a crop would answer wrongly), the outputs still need that
    /// node, or something after it still reads the frames or a node with subgraphs, whose outer names
    /// this does not follow.
    /// </summary>
    public static ModelProto? From(ModelProto model, string tensor, int crop)
    {
        ArgumentNullException.ThrowIfNull(model);
        var graph = model.Graph;
        if (graph is null)
        {
            return null;
        }

        var producer = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < graph.Node.Count; i++)
        {
            foreach (var output in graph.Node[i].Output)
            {
                producer[output] = i;
            }
        }

        if (!producer.TryGetValue(tensor, out var cutAt) || graph.Node[cutAt].OpType is not ("Round" or "Cast") || graph.Output.Any(o => o.Name == tensor))
        {
            return null;
        }

        var initializers = graph.Initializer.Select(t => t.Name).ToHashSet(StringComparer.Ordinal);
        var inputs = graph.Input.Select(v => v.Name).Where(n => !initializers.Contains(n)).ToHashSet(StringComparer.Ordinal);
        var kept = new bool[graph.Node.Count];
        var usedInitializers = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>(graph.Output.Select(o => o.Name));
        var seen = new HashSet<string>(StringComparer.Ordinal);
        while (pending.Count > 0)
        {
            var name = pending.Pop();
            if (name.Length == 0 || name == tensor || !seen.Add(name))
            {
                continue;
            }

            if (initializers.Contains(name))
            {
                usedInitializers.Add(name);
                continue;
            }

            if (inputs.Contains(name) || !producer.TryGetValue(name, out var index))
            {
                return null;
            }

            var node = graph.Node[index];
            if (node.Attribute.Any(a => a.G is not null || a.Graphs.Count > 0))
            {
                return null;
            }

            kept[index] = true;
            foreach (var input in node.Input)
            {
                pending.Push(input);
            }
        }

        if (kept[cutAt])
        {
            return null;
        }

        var batch = graph.Input.FirstOrDefault(v => inputs.Contains(v.Name))?.Type?.TensorType?.Shape?.Dim.FirstOrDefault();
        var cut = new GraphProto { Name = graph.Name, DocString = graph.DocString };
        cut.Input.Add(new ValueInfoProto
        {
            Name = tensor,
            Type = new TypeProto
            {
                TensorType = new TypeProto.Types.Tensor
                {
                    ElemType = (int)TensorProto.Types.DataType.Float,
                    Shape = new TensorShapeProto
                    {
                        Dim =
                        {
                            batch?.Clone() ?? new TensorShapeProto.Types.Dimension { DimParam = "batch" },
                            new TensorShapeProto.Types.Dimension { DimValue = 3 },
                            new TensorShapeProto.Types.Dimension { DimValue = crop },
                            new TensorShapeProto.Types.Dimension { DimValue = crop },
                        },
                    },
                },
            },
        });
        cut.Node.AddRange(graph.Node.Where((_, i) => kept[i]));
        cut.Initializer.AddRange(graph.Initializer.Where(t => usedInitializers.Contains(t.Name)));
        cut.Output.AddRange(graph.Output);
        var names = new HashSet<string>(cut.Node.SelectMany(n => n.Output), StringComparer.Ordinal);
        cut.ValueInfo.AddRange(graph.ValueInfo.Where(v => names.Contains(v.Name)));

        // Every model-level field as it was (opsets, metadata, producer, and any this code does not
        // name); the clone shares the weights' bytes (ByteString is immutable), so only the graph is new.
        var result = model.Clone();
        result.Graph = cut;
        return result;
    }
}
