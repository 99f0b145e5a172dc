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

    private static float[] ReadReferenceProbabilities()
    {
        var bytes = File.ReadAllBytes(Fixtures.Path("onnx-backend", "light_bvlc_alexnet_output_0.pb"));
        var tensor = Onnx.TensorProto.Parser.ParseFrom(bytes);
        return System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(tensor.RawData.Span).ToArray();
    }
}
