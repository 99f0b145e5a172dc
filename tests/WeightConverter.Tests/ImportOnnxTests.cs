using AlexNet.Realtime.Inference.Contract;
using AlexNet.Realtime.TestSupport;
using AlexNet.Realtime.WeightConverter.Graph;
using OpenCvSharp;
using Xunit;

namespace AlexNet.Realtime.WeightConverter.Tests;

/// <summary>The model zoo's bvlc_alexnet graph, wrapped with preprocessing, top-K and contract.</summary>
public sealed class ImportOnnxTests
{
    [Fact]
    public void ZooGraph_WrappedModelRunsOn640x480Frame()
    {
        using var dir = new TempDirectory();
        var source = Fixtures.Path("onnx-backend", "light_bvlc_alexnet.onnx");
        var path = dir.File("zoo.onnx");
        ModelFile.Write(ZooImporter.Import(ModelFile.Read(source), new ModelOptions { SourceFile = "light_bvlc_alexnet.onnx" }), path);

        using var session = OrtRunner.Open(path);
        using var frame = new Mat(480, 640, MatType.CV_8UC3, new Scalar(30, 120, 200));
        var outputs = OrtRunner.RunFrame(session, frame);

        // The light graph's weights are all ones, so every class scores the same and the zoo's
        // reference output is 0.001 everywhere; the wrapped graph must agree.
        var reference = ReadReferenceProbabilities();
        Assert.All(reference, p => Assert.Equal(0.001f, p, 6));
        Assert.Equal([1L, 5L], outputs[ModelContract.ProbsTopOutputName].Shape);
        Assert.All(outputs[ModelContract.ProbsTopOutputName].Floats!, p => Assert.Equal(reference[0], p, 6));
        Assert.All(outputs[ModelContract.IndexTopOutputName].Longs!, i => Assert.InRange(i, 0, 999));
        Assert.Equal([1L, 1000L], outputs[ModelContract.LogitsOutputName].Shape);

        var contract = ModelContract.FromMetadata(session.ModelMetadata.CustomMetadataMap);
        Assert.Equal("onnx-zoo", contract.Architecture);
        Assert.Equal(1000, contract.NumClasses);
        Assert.Equal("light_bvlc_alexnet.onnx", contract.SourceFile);
    }

    [Fact]
    public void ZooGraph_WrappedModelTakesABatchOfFrames()
    {
        using var dir = new TempDirectory();
        var path = dir.File("zoo.onnx");
        ModelFile.Write(ZooImporter.Import(ModelFile.Read(Fixtures.Path("onnx-backend", "light_bvlc_alexnet.onnx")), new ModelOptions()), path);
        using var session = OrtRunner.Open(path);
        var batch = new byte[3 * 300 * 400 * 3];
        using var value = Microsoft.ML.OnnxRuntime.OrtValue.CreateTensorValueFromMemory(batch, [3, 300, 400, 3]);
        using var runOptions = new Microsoft.ML.OnnxRuntime.RunOptions();
        using var results = session.Run(runOptions, ["frames"], [value], [ModelContract.IndexTopOutputName]);
        Assert.Equal([3L, 5L], results[0].GetTensorTypeAndShape().Shape);
    }

    [Fact]
    public void ZooGraph_FullyConnectedLayersAsConvolutions_SameLogitsAsGemm()
    {
        using var dir = new TempDirectory();
        var source = WithRandomWeights(ModelFile.Read(Fixtures.Path("onnx-backend", "light_bvlc_alexnet.onnx")));
        var asConv = ZooImporter.Import(source, new ModelOptions());
        var asGemm = ZooImporter.Import(source, new ModelOptions { Dense = DenseOps.Gemm });
        Assert.Equal(0, asConv.Graph.Node.Count(n => n.OpType == "Gemm"));
        Assert.Equal(3, asGemm.Graph.Node.Count(n => n.OpType == "Gemm"));
        Assert.Equal("conv", asConv.MetadataProps.Single(p => p.Key == "dense_ops").Value);
        Assert.Equal("gemm", asGemm.MetadataProps.Single(p => p.Key == "dense_ops").Value);
        ModelFile.Write(asConv, dir.File("conv.onnx"));
        ModelFile.Write(asGemm, dir.File("gemm.onnx"));

        using var batch = new Mat(2 * 300, 400, MatType.CV_8UC3);
        Cv2.Randu(batch, Scalar.All(0), Scalar.All(255));
        float[] Logits(string model)
        {
            using var session = OrtRunner.Open(model);
            var pixels = new byte[2 * 300 * 400 * 3];
            System.Runtime.InteropServices.Marshal.Copy(batch.Data, pixels, 0, pixels.Length);
            using var value = Microsoft.ML.OnnxRuntime.OrtValue.CreateTensorValueFromMemory(pixels, [2, 300, 400, 3]);
            using var runOptions = new Microsoft.ML.OnnxRuntime.RunOptions();
            using var results = session.Run(runOptions, ["frames"], [value], [ModelContract.LogitsOutputName]);
            return results[0].GetTensorDataAsSpan<float>().ToArray();
        }

        var gemm = Logits(dir.File("gemm.onnx"));
        var conv = Logits(dir.File("conv.onnx"));
        var scale = gemm.Max(MathF.Abs);
        Assert.True(scale > 0, "random weights should give logits that are not all zero");
        Assert.Equal(2000, conv.Length);
        var (max, _) = Compare.AbsDiff(conv, gemm);
        Assert.True(max <= 1e-4 * scale, $"max |diff| {max} > 1e-4 x {scale}");
        Assert.NotEqual(gemm[..1000], gemm[1000..]);
    }

    /// <summary>
    /// The light graph makes its weights with ConstantOfShape; random initializers instead, so that
    /// a wrong layout shows, with fc6 and fc7 64 wide instead of 4096 (a small model, a fast test).
    /// </summary>
    private static Inference.Onnx.ModelProto WithRandomWeights(Inference.Onnx.ModelProto model)
    {
        var random = new Random(7);
        var graph = model.Graph;
        var narrowed = new Dictionary<string, long[]>
        {
            ["fc6_w_0"] = [64, 9216], ["fc6_b_0"] = [64], ["fc7_w_0"] = [64, 64], ["fc7_b_0"] = [64], ["fc8_w_0"] = [1000, 64],
        };
        foreach (var node in graph.Node.Where(n => n.OpType == "ConstantOfShape").ToList())
        {
            var shape = graph.Initializer.Single(t => t.Name == node.Input[0]);
            var dims = narrowed.TryGetValue(node.Output[0], out var small) ? small
                : shape.Int64Data.Count > 0 ? shape.Int64Data.ToArray() : System.Runtime.InteropServices.MemoryMarshal.Cast<byte, long>(shape.RawData.Span).ToArray();
            var values = new float[dims.Aggregate(1L, (a, b) => a * b)];
            var fanIn = dims.Length > 1 ? dims.Skip(1).Aggregate(1L, (a, b) => a * b) : 1;
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = (float)((random.NextDouble() - 0.5) * 2 / Math.Sqrt(fanIn));
            }

            var tensor = new Inference.Onnx.TensorProto { Name = node.Output[0], DataType = (int)Inference.Onnx.TensorProto.Types.DataType.Float, RawData = Google.Protobuf.ByteString.CopyFrom(System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan())) };
            tensor.Dims.AddRange(dims);
            graph.Initializer.Add(tensor);
            graph.Node.Remove(node);
        }

        return model;
    }

    private static float[] ReadReferenceProbabilities()
    {
        var bytes = File.ReadAllBytes(Fixtures.Path("onnx-backend", "light_bvlc_alexnet_output_0.pb"));
        var tensor = Inference.Onnx.TensorProto.Parser.ParseFrom(bytes);
        return System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(tensor.RawData.Span).ToArray();
    }
}
