using System.Runtime.InteropServices;
using AlexNet.Realtime.Inference.Onnx;
using Google.Protobuf;

namespace AlexNet.Realtime.WeightConverter.Graph;

/// <summary>Appends nodes and initializers to an ONNX graph with unique names.</summary>
internal sealed class OnnxGraphBuilder
{
    private int _next;

    public OnnxGraphBuilder(GraphProto graph)
    {
        Graph = graph;
    }

    public GraphProto Graph { get; }

    public string Unique(string hint) => $"{hint}_{_next++}";

    public string Initializer(string name, ReadOnlySpan<float> values, params long[] dims)
    {
        var tensor = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Float, RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(values)) };
        tensor.Dims.AddRange(dims);
        Graph.Initializer.Add(tensor);
        return name;
    }

    public string Int64s(string hint, params long[] values)
    {
        var tensor = new TensorProto { Name = Unique(hint), DataType = (int)TensorProto.Types.DataType.Int64, RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(values.AsSpan())) };
        tensor.Dims.Add(values.Length);
        Graph.Initializer.Add(tensor);
        return tensor.Name;
    }

    /// <summary>A one-dimensional float initializer.</summary>
    public string Floats(string hint, params float[] values) => Initializer(Unique(hint), values, values.Length);

    public string ScalarFloat(string hint, float value)
    {
        var tensor = new TensorProto { Name = Unique(hint), DataType = (int)TensorProto.Types.DataType.Float, RawData = ByteString.CopyFrom(BitConverter.GetBytes(value)) };
        Graph.Initializer.Add(tensor);
        return tensor.Name;
    }

    /// <summary>Adds a node with one output named after <paramref name="outputHint"/> (or exactly <paramref name="outputName"/>).</summary>
    public string Node(string op, IEnumerable<string> inputs, string outputHint, IEnumerable<AttributeProto>? attributes = null, string? outputName = null)
    {
        var output = outputName ?? Unique(outputHint);
        var node = new NodeProto { OpType = op, Name = Unique(op) };
        node.Input.AddRange(inputs);
        node.Output.Add(output);
        if (attributes is not null)
        {
            node.Attribute.AddRange(attributes);
        }

        Graph.Node.Add(node);
        return output;
    }

    public static AttributeProto Attr(string name, long value) => new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

    public static AttributeProto Attr(string name, float value) => new() { Name = name, Type = AttributeProto.Types.AttributeType.Float, F = value };

    public static AttributeProto Attr(string name, string value) => new() { Name = name, Type = AttributeProto.Types.AttributeType.String, S = ByteString.CopyFromUtf8(value) };

    public static AttributeProto Attr(string name, params long[] values)
    {
        var a = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        a.Ints.AddRange(values);
        return a;
    }

    public static ValueInfoProto TensorInfo(string name, TensorProto.Types.DataType type, params object[] dims)
    {
        var shape = new TensorShapeProto();
        foreach (var d in dims)
        {
            shape.Dim.Add(d switch
            {
                string symbol => new TensorShapeProto.Types.Dimension { DimParam = symbol },
                int n => new TensorShapeProto.Types.Dimension { DimValue = n },
                long n => new TensorShapeProto.Types.Dimension { DimValue = n },
                _ => throw new ArgumentException($"dimension {d} is neither a name nor a size", nameof(dims)),
            });
        }

        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)type, Shape = shape } },
        };
    }
}
