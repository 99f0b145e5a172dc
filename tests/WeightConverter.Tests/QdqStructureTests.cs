using AlexNet.Realtime.Inference.Onnx;
using AlexNet.Realtime.Inference.Preprocessing;
using Xunit;
using DataType = AlexNet.Realtime.Inference.Onnx.TensorProto.Types.DataType;

namespace AlexNet.Realtime.WeightConverter.Tests;

/// <summary>
/// The written int8 models, parsed: the QDQ form ONNX Runtime fuses into integer kernels, around
/// a float preprocessing head and a float Softmax and TopK, still cut at crop_levels by the engine.
/// </summary>
[Collection("Console")]
public sealed class QdqStructureTests(QuantizedModels models) : IClassFixture<QuantizedModels>
{
    private static readonly HashSet<string> WeightedOps = ["Conv", "Gemm", "MatMul"];

    public static TheoryData<string, string> Int8Forms => new()
    {
        { "tv_mini.pth", "gemm" },
        { "tv_mini.pth", "conv" },
        { "paper_mini.pth", "gemm" },
        { "paper_mini.pth", "conv" },
    };

    [Theory]
    [MemberData(nameof(Int8Forms))]
    public void Int8_EveryConvAndDenseLayerReadsPerChannelInt8WeightsAndQuantizedInput(string weights, string fcOps)
    {
        var model = QuantizedModels.Read(Int8(weights, fcOps));
        var graph = new GraphIndex(model.Graph);

        var layers = model.Graph.Node.Where(n => WeightedOps.Contains(n.OpType)).ToList();
        Assert.Equal(8, layers.Count);
        foreach (var layer in layers)
        {
            AssertPerChannelInt8Weights(graph, layer);
            var input = graph.Producer(layer.Input[0]);
            Assert.Equal("DequantizeLinear", input?.OpType);
            Assert.Equal("QuantizeLinear", graph.Producer(input!.Input[0])?.OpType);
        }
    }

    [Theory]
    [MemberData(nameof(Int8Forms))]
    public void Int8_PreprocessingAndHeadStayFloatAndTheEngineCanCutAtCropLevels(string weights, string fcOps)
    {
        var model = QuantizedModels.Read(Int8(weights, fcOps));
        var graph = new GraphIndex(model.Graph);

        Assert.Equal("Round", graph.Producer("crop_levels")?.OpType);
        var upstream = graph.Upstream("crop_levels");
        Assert.DoesNotContain(upstream, n => n.OpType is "QuantizeLinear" or "DequantizeLinear");
        var softmax = Assert.Single(model.Graph.Node, n => n.OpType == "Softmax");
        Assert.Equal("logits", softmax.Input[0]);
        Assert.True(graph.Producer("logits")!.OpType is "Gemm" or "Transpose");
        Assert.NotNull(NetworkGraph.From(model, "crop_levels", weights.StartsWith("paper", StringComparison.Ordinal) ? 227 : 224));
    }

    [Fact]
    public void Int8OfAnNchwModel_QuantizesFromItsFloatInput()
    {
        var model = QuantizedModels.Read(models.Model("tv_mini.pth", ["--precision", "int8", "--input", "nchw", "--calibrate", .. QuantizedModels.SmallCalibration]));
        var graph = new GraphIndex(model.Graph);

        Assert.Equal((int)DataType.Float, model.Graph.Input.Single().Type.TensorType.ElemType);
        var layers = model.Graph.Node.Where(n => WeightedOps.Contains(n.OpType)).ToList();
        Assert.Equal(8, layers.Count);
        Assert.All(layers, layer => AssertPerChannelInt8Weights(graph, layer));
        Assert.Equal("input", graph.Producer(graph.Producer(layers[0].Input[0])!.Input[0])!.Input[0]);
    }

    [Fact]
    public void Int8Fc_QuantizesTheDenseLayersOnly()
    {
        var model = QuantizedModels.Read(models.Model("tv_mini.pth", ["--precision", "int8-fc", "--calibrate", .. QuantizedModels.SmallCalibration]));
        var graph = new GraphIndex(model.Graph);

        var convs = model.Graph.Node.Where(n => n.OpType == "Conv").ToList();
        var gemms = model.Graph.Node.Where(n => n.OpType == "Gemm").ToList();
        Assert.Equal(5, convs.Count);
        Assert.Equal(3, gemms.Count);
        Assert.All(convs, c => Assert.Equal((int)DataType.Float, graph.Initializer(c.Input[1])?.DataType));
        Assert.All(gemms, g => AssertPerChannelInt8Weights(graph, g));
        Assert.Equal("int8-fc", QuantizedModels.Metadata(model)["precision"]);
    }

    [Fact]
    public void Int8_ContractSaysPrecisionCalibrationSourceAndAgreement()
    {
        var model = QuantizedModels.Read(Int8("tv_mini.pth", "gemm"));
        var metadata = QuantizedModels.Metadata(model);

        Assert.Equal("int8", metadata["precision"]);
        Assert.Contains("h264-64x48.mp4", metadata["calibration_source"], StringComparison.Ordinal);
        var agreement = QuantizedModels.Agreement(model);
        Assert.True(agreement.GetProperty("frames").GetInt32() > 0);
        Assert.Contains("held out", agreement.GetProperty("frameset").GetString(), StringComparison.Ordinal);
        Assert.InRange(agreement.GetProperty("top1").GetDouble(), 0, 1);
        Assert.False(agreement.GetProperty("forced").GetBoolean());
    }

    private string Int8(string weights, string fcOps) =>
        models.Model(weights, ["--precision", "int8", "--fc-ops", fcOps, "--calibrate", .. QuantizedModels.SmallCalibration]);

    private static void AssertPerChannelInt8Weights(GraphIndex graph, NodeProto layer)
    {
        var dequantize = graph.Producer(layer.Input[1]);
        Assert.Equal("DequantizeLinear", dequantize?.OpType);
        var values = graph.Initializer(dequantize!.Input[0]);
        Assert.Equal((int)DataType.Int8, values?.DataType);
        var scale = graph.Initializer(dequantize.Input[1]);
        Assert.Equal((int)DataType.Float, scale?.DataType);
        var axis = dequantize.Attribute.Single(a => a.Name == "axis").I;
        Assert.Equal(0, axis);
        Assert.Equal([values!.Dims[0]], scale!.Dims);
        var zero = graph.Initializer(dequantize.Input[2]);
        Assert.Equal((int)DataType.Int8, zero?.DataType);
        Assert.All(zero!.RawData.ToByteArray(), b => Assert.Equal(0, b));
        Assert.Equal(values.Dims[0], zero.RawData.Length);
        if (layer.Input.Count > 2)
        {
            var bias = graph.Producer(layer.Input[2]);
            Assert.Equal("DequantizeLinear", bias?.OpType);
            Assert.Equal((int)DataType.Int32, graph.Initializer(bias!.Input[0])?.DataType);
        }
    }

    private sealed class GraphIndex(GraphProto graph)
    {
        private readonly Dictionary<string, NodeProto> _producers = graph.Node.SelectMany(n => n.Output.Select(o => (o, n))).ToDictionary(p => p.o, p => p.n);
        private readonly Dictionary<string, TensorProto> _initializers = graph.Initializer.ToDictionary(t => t.Name);

        public NodeProto? Producer(string tensor) => _producers.GetValueOrDefault(tensor);

        public TensorProto? Initializer(string name) => _initializers.GetValueOrDefault(name);

        /// <summary>Every node the tensor depends on.</summary>
        public List<NodeProto> Upstream(string tensor)
        {
            var found = new List<NodeProto>();
            var pending = new Stack<string>([tensor]);
            var seen = new HashSet<string>();
            while (pending.Count > 0)
            {
                var name = pending.Pop();
                if (seen.Add(name) && Producer(name) is { } node)
                {
                    found.Add(node);
                    node.Input.ToList().ForEach(pending.Push);
                }
            }

            return found;
        }
    }
}
