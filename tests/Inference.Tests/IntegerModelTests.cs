using AlexNet.Realtime.Inference.Devices;
using AlexNet.Realtime.Inference.Engine;
using AlexNet.Realtime.TestSupport;
using AlexNet.Realtime.WeightConverter.Graph;
using AlexNet.Realtime.WeightConverter.Quantization;
using AlexNet.Realtime.Inference.Onnx;
using OpenCvSharp;
using Xunit;

namespace AlexNet.Realtime.Inference.Tests;

/// <summary>
/// An int8 model on the CPU: ONNX Runtime's integer kernels pack their weights when the session
/// starts, and with the engine's default (prepacking off, right for fp32 one-frame runs) they
/// packed them again at every run, which made int8 several times slower than fp32 (bench -- paired).
/// </summary>
[Collection("Models")]
public sealed class IntegerModelTests(TestModels models)
{
    [Fact]
    public void Int8Model_ToldFromItsContractSoItsWeightsArePrepacked()
    {
        using var dir = new TempDirectory();
        var int8 = dir.File("tv_mini_int8.onnx");
        var fp32 = ModelProto.Parser.ParseFrom(File.ReadAllBytes(models.MiniFrames));
        var request = new PrecisionRequest { Precision = "int8", Calibrate = [Fixtures.Image("rocket.png"), Fixtures.Image("coffee.png"), Fixtures.Image("astronaut.png"), Fixtures.Image("chelsea.png")], MinAgreement = 0 };
        ModelFile.Write(PrecisionConversion.Apply(fp32, request, new WeightConverter.Cli.Steps(quiet: true)), int8);

        Assert.True(SessionFactory.HasIntegerWeights(NetworkModel.ContractOf(int8)));
        Assert.False(SessionFactory.HasIntegerWeights(NetworkModel.ContractOf(models.MiniFrames)));
        Assert.False(SessionFactory.HasIntegerWeights(NetworkModel.ContractOf(dir.File("missing.onnx"))));

        // And it answers as the fp32 model does on a photo (the agreement report's own claim, on the engine's path).
        using var photo = Cv2.ImRead(Fixtures.Image("rocket.png"));
        using var a = ClassifierEngine.Open(models.MiniFrames, new EngineOptions { Device = DeviceRequest.Cpu });
        using var b = ClassifierEngine.Open(int8, new EngineOptions { Device = DeviceRequest.Cpu });
        Assert.Equal(a.Classify(photo).Indices[0], b.Classify(photo).Indices[0]);
    }
}
