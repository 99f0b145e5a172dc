using AlexNet.Realtime.Inference.Engine;
using AlexNet.Realtime.TestSupport;
using OpenCvSharp;
using Xunit;

namespace AlexNet.Realtime.Inference.Tests;

/// <summary>Frames that are not plain BGR: converted and classified, or one clear error.</summary>
[Collection("Models")]
public sealed class FrameFormatTests(TestModels models)
{
    [Fact]
    public void GreyFrame_ClassifiedAsItsBgrConversion()
    {
        using var engine = Open();
        using var session = OrtRunner.Open(models.MiniFrames);
        using var bgr = Cv2.ImRead(Fixtures.Image("coffee.png"), ImreadModes.Color);
        using var grey = bgr.CvtColor(ColorConversionCodes.BGR2GRAY);
        using var expected = grey.CvtColor(ColorConversionCodes.GRAY2BGR);
        EngineParityTests.AssertSameAsDirect(engine.Classify(grey), session, expected);
    }

    /// <summary>A batch of frames that need converting (grey, BGRA) answers as each frame alone.</summary>
    [Fact]
    public void BatchOfGreyAndBgraFrames_EachAsAlone()
    {
        using var engine = Open();
        using var coffee = Cv2.ImRead(Fixtures.Image("coffee.png"), ImreadModes.Color);
        using var rocket = Cv2.ImRead(Fixtures.Image("rocket.png"), ImreadModes.Color).Resize(new Size(coffee.Cols, coffee.Rows));
        using var grey = coffee.CvtColor(ColorConversionCodes.BGR2GRAY);
        using var bgra = rocket.CvtColor(ColorConversionCodes.BGR2BGRA);
        var alone = new[] { engine.Classify(grey).Clone(), engine.Classify(bgra).Clone() };

        var batch = engine.ClassifyBatch([grey, bgra]);

        for (var i = 0; i < alone.Length; i++)
        {
            Assert.Equal(alone[i].Indices.ToArray(), batch[i].Indices.ToArray());
            for (var k = 0; k < alone[i].Count; k++)
            {
                // A batch of two runs other GEMM blocking than one frame: the last bits differ.
                Assert.Equal(alone[i].Probabilities[k], batch[i].Probabilities[k], 1e-6);
            }
        }
    }

    [Fact]
    public void BgraFrame_ClassifiedAsItsBgrPixels()
    {
        using var engine = Open();
        using var session = OrtRunner.Open(models.MiniFrames);
        using var bgr = Cv2.ImRead(Fixtures.Image("rocket.png"), ImreadModes.Color);
        using var bgra = bgr.CvtColor(ColorConversionCodes.BGR2BGRA);
        EngineParityTests.AssertSameAsDirect(engine.Classify(bgra), session, bgr);
    }

    [Fact]
    public void RoiView_ClassifiedAsItsCopy()
    {
        using var engine = Open();
        using var session = OrtRunner.Open(models.MiniFrames);
        using var bgr = Cv2.ImRead(Fixtures.Image("astronaut.png"), ImreadModes.Color);
        using var roi = new Mat(bgr, new Rect(100, 50, 300, 200));
        Assert.False(roi.IsContinuous());
        using var copy = roi.Clone();
        EngineParityTests.AssertSameAsDirect(engine.Classify(roi), session, copy);
    }

    /// <summary>
    /// With the graph's preprocessing, against the same graph run directly; the engine's own
    /// (the default) at these sizes is held to torchvision's definition in EngineParityTests, since
    /// under 8 pixels a side the graph's resize is not torchvision's.
    /// </summary>
    [Theory]
    [InlineData(1, 1)]
    [InlineData(4000, 3000)]
    [InlineData(3, 700)]
    public void ExtremeSizes_AreClassified(int width, int height)
    {
        using var engine = ClassifierEngine.Open(models.MiniFrames, new EngineOptions { Device = Devices.DeviceRequest.Cpu, WarmUp = false, HostPreprocessing = false });
        using var session = OrtRunner.Open(models.MiniFrames);
        using var frame = new Mat(height, width, MatType.CV_8UC3);
        Cv2.Randu(frame, Scalar.All(0), Scalar.All(255));
        EngineParityTests.AssertSameAsDirect(engine.Classify(frame), session, frame, EngineParityTests.GraphTolerance);
    }

    [Fact]
    public void EmptyFrame_IsOneClearError()
    {
        using var engine = Open();
        using var empty = new Mat();
        var e = Assert.Throws<InferenceException>(() => engine.Classify(empty));
        Assert.Contains("empty frame", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FloatFrame_IsOneClearError()
    {
        using var engine = Open();
        using var frame = new Mat(10, 10, MatType.CV_32FC3);
        var e = Assert.Throws<InferenceException>(() => engine.Classify(frame));
        Assert.Contains("expected 8-bit grey, BGR or BGRA", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TwoChannelFrame_IsOneClearError()
    {
        using var engine = Open();
        using var frame = new Mat(10, 10, MatType.CV_8UC2);
        var e = Assert.Throws<InferenceException>(() => engine.Classify(frame));
        Assert.Contains("2 channels", e.Message, StringComparison.Ordinal);
    }

    private ClassifierEngine Open() => ClassifierEngine.Open(models.MiniFrames, new EngineOptions { Device = Devices.DeviceRequest.Cpu, WarmUp = false });
}
