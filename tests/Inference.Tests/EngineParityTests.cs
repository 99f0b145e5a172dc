using AlexNet.Realtime.Inference.Engine;
using AlexNet.Realtime.TestSupport;
using OpenCvSharp;
using Xunit;

namespace AlexNet.Realtime.Inference.Tests;

/// <summary>The engine's answers equal a plain ONNX Runtime run of the same model on the same frames.</summary>
[Collection("Models")]
public sealed class EngineParityTests(TestModels models)
{
    private static readonly EngineOptions Cpu = new() { Device = Devices.DeviceRequest.Cpu, IntraOpThreads = 2 };

    public static TheoryData<string> Photos => new(Fixtures.Photos);

    [Theory]
    [MemberData(nameof(Photos))]
    public void Photo_TopKEqualsDirectOnnxRuntimeRun(string photo)
    {
        using var engine = ClassifierEngine.Open(models.MiniFrames, Cpu);
        using var session = OrtRunner.Open(models.MiniFrames);
        using var frame = Cv2.ImRead(Fixtures.Image(photo + ".png"), ImreadModes.Color);

        AssertSameAsDirect(engine.Classify(frame), session, frame);
    }

    [Fact]
    public void FramesOfChangingSizes_EachEqualsDirectRun()
    {
        using var engine = ClassifierEngine.Open(models.MiniFrames, Cpu);
        using var session = OrtRunner.Open(models.MiniFrames);
        using var photo = Cv2.ImRead(Fixtures.Image("astronaut.png"), ImreadModes.Color);
        foreach (var (w, h) in new[] { (640, 480), (320, 240), (1280, 720), (640, 480), (333, 517), (320, 240) })
        {
            using var frame = photo.Resize(new Size(w, h));
            AssertSameAsDirect(engine.Classify(frame), session, frame);
        }
    }

    [Fact]
    public void FullSizeSyntheticModel_TopKEqualsDirectRun()
    {
        using var engine = ClassifierEngine.Open(models.FullSize, Cpu);
        using var session = OrtRunner.Open(models.FullSize);
        using var frame = Cv2.ImRead(Fixtures.Image("coffee.png"), ImreadModes.Color);
        var prediction = engine.Classify(frame);
        AssertSameAsDirect(prediction, session, frame);
        Assert.Equal(engine.Contract.Labels[prediction.Indices[0]], prediction.Labels[0]);
    }

    [Fact]
    public void Batch_EqualsFrameByFrame()
    {
        using var engine = ClassifierEngine.Open(models.MiniFrames, new EngineOptions { Device = Devices.DeviceRequest.Cpu, MaxBatch = 4 });
        var frames = Fixtures.Photos.Select(p => Cv2.ImRead(Fixtures.Image(p + ".png"), ImreadModes.Color).Resize(new Size(400, 300))).ToList();
        frames.Add(Cv2.ImRead(Fixtures.Image("chelsea.png"), ImreadModes.Color));
        try
        {
            var single = frames.Select(f => engine.Classify(f).Clone()).ToList();
            var batch = engine.ClassifyBatch(frames.Take(4).ToList()).Select(p => p.Clone()).ToList();
            var mixed = engine.ClassifyBatch([frames[4], frames[0]]).Select(p => p.Clone()).ToList();
            for (var i = 0; i < 4; i++)
            {
                Assert.Equal(single[i].Indices.ToArray(), batch[i].Indices.ToArray());
                for (var k = 0; k < single[i].Count; k++)
                {
                    Assert.Equal(single[i].Probabilities[k], batch[i].Probabilities[k], 5);
                }
            }

            Assert.Equal(single[4].Indices.ToArray(), mixed[0].Indices.ToArray());
            Assert.Equal(single[0].Indices.ToArray(), mixed[1].Indices.ToArray());
        }
        finally
        {
            frames.ForEach(f => f.Dispose());
        }
    }

    internal static void AssertSameAsDirect(Prediction prediction, Microsoft.ML.OnnxRuntime.InferenceSession session, Mat bgr)
    {
        var direct = OrtRunner.RunFrame(session, bgr);
        var index = direct["index_top"].Longs!;
        var probs = direct["probs_top"].Floats!;
        Assert.Equal(index.Select(i => (int)i).ToArray(), prediction.Indices.ToArray());

        // The engine's session reads the fully connected weights unpacked (one-frame kernels), the
        // direct run with ONNX Runtime's defaults packed: the same sums in another order.
        for (var k = 0; k < probs.Length; k++)
        {
            Assert.Equal(probs[k], prediction.Probabilities[k], 1e-5);
        }
    }
}
