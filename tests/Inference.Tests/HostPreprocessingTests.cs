using AlexNet.Realtime.Inference.Contract;
using AlexNet.Realtime.Inference.Engine;
using AlexNet.Realtime.Inference.Onnx;
using AlexNet.Realtime.TestSupport;
using Google.Protobuf;
using OpenCvSharp;
using Xunit;

namespace AlexNet.Realtime.Inference.Tests;

/// <summary>
/// When the CPU engine resizes frames itself, and when it leaves that to the graph: the model's
/// contract decides, and a contract it can't follow falls back to the graph, never to a wrong answer.
/// </summary>
[Collection("Models")]
public sealed class HostPreprocessingTests(TestModels models)
{
    private static readonly EngineOptions Cpu = new() { Device = Devices.DeviceRequest.Cpu, WarmUp = false };

    [SkippableFact]
    public void FloatResizeModel_OnTheCpu_RunsTheNetworkAlone()
    {
        Skip.IfNot(Preprocessing.CropGeometry.Fast, "this CPU has no 256-bit vectors in hardware, so the engine leaves the resize to the graph (CropGeometry.Fast)");
        using var engine = ClassifierEngine.Open(models.MiniFrames, Cpu);
        Assert.True(engine.NetworkOnly);
        Assert.Equal("host", engine.PreprocessingPlace);
    }

    /// <summary>A PIL-exact model: the engine resizes with Pillow's integer arithmetic, as the graph does; the same answers as the graph run directly.</summary>
    [SkippableTheory]
    [InlineData("chelsea")]
    [InlineData("rocket")]
    public void ExactResizeModel_RunsTheNetworkAlone_SameAsItsGraph(string photo)
    {
        Skip.IfNot(Preprocessing.CropGeometry.Fast, "this CPU has no 256-bit vectors in hardware, so the engine leaves the resize to the graph (CropGeometry.Fast)");
        using var engine = ClassifierEngine.Open(models.MiniFramesExact, Cpu);
        using var session = OrtRunner.Open(models.MiniFramesExact);
        using var frame = Cv2.ImRead(Fixtures.Image(photo + ".png"), ImreadModes.Color);
        Assert.True(engine.NetworkOnly);
        Assert.True(engine.Contract.CropLevelsPilExact);
        EngineParityTests.AssertSameAsDirect(engine.Classify(frame), session, frame, EngineParityTests.HostTolerance);
    }

    /// <summary>A model from before the key (converter 0.3.0 and older): the graph resizes, and the engine says once how to change that.</summary>
    [SkippableFact]
    public void ModelWithoutTheKey_GraphResizes_AndTheEngineSaysSo()
    {
        Skip.IfNot(Preprocessing.CropGeometry.Fast, "this CPU has no 256-bit vectors in hardware, so the engine leaves the resize to the graph and has nothing to say (CropGeometry.Fast)");
        using var dir = new TempDirectory();
        var path = dir.File("older.onnx");
        var model = ModelProto.Parser.ParseFrom(File.ReadAllBytes(models.MiniFrames));
        foreach (var key in new[] { ModelContract.Keys.CropLevels, ModelContract.Keys.CropLevelsResize })
        {
            model.MetadataProps.Remove(model.MetadataProps.Single(p => p.Key == key));
        }

        File.WriteAllBytes(path, model.ToByteArray());
        var notices = new List<string>();
        using var engine = ClassifierEngine.Open(path, Cpu, notices.Add);
        Assert.False(engine.NetworkOnly);
        Assert.Single(notices, n => n.Contains("names no crop_levels tensor", StringComparison.Ordinal) && n.Contains("0.3.1 or later", StringComparison.Ordinal));

        var quiet = new List<string>();
        using var graph = ClassifierEngine.Open(path, new EngineOptions { Device = Devices.DeviceRequest.Cpu, WarmUp = false, HostPreprocessing = false }, quiet.Add);
        Assert.DoesNotContain(quiet, n => n.Contains("crop_levels", StringComparison.Ordinal));
    }

    /// <summary>A contract naming a tensor the graph does not have (damaged, or hand-edited): the whole graph runs, and answers as it does.</summary>
    [Theory]
    [InlineData("no_such_tensor")]
    [InlineData("probs_top")]
    [InlineData("window")]
    public void ContractNamingAnotherTensor_FallsBackToTheGraph(string named)
    {
        using var dir = new TempDirectory();
        var path = dir.File("renamed.onnx");
        var model = ModelProto.Parser.ParseFrom(File.ReadAllBytes(models.MiniFrames));
        model.MetadataProps.Single(p => p.Key == ModelContract.Keys.CropLevels).Value = named;
        File.WriteAllBytes(path, model.ToByteArray());
        using var frame = Cv2.ImRead(Fixtures.Image("chelsea.png"), ImreadModes.Color);

        using var engine = ClassifierEngine.Open(path, Cpu);
        using var session = OrtRunner.Open(path);
        EngineParityTests.AssertSameAsDirect(engine.Classify(frame), session, frame, EngineParityTests.GraphTolerance);
        Assert.False(engine.NetworkOnly);
    }
}
