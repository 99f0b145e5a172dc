using AlexNet.Realtime.Inference.Engine;
using AlexNet.Realtime.TestSupport;
using OpenCvSharp;
using Xunit;

namespace AlexNet.Realtime.Inference.Tests;

/// <summary>
/// The engine's answers equal a plain ONNX Runtime run of the same model on the same frames, with
/// the graph's preprocessing and with the engine's own (the CPU's default), and the latter equals
/// the network fed torchvision's transform written out from its definition.
/// </summary>
[Collection("Models")]
public sealed class EngineParityTests(TestModels models)
{
    /// <summary>
    /// How far the engine's probabilities may be from the direct run's when the engine resizes
    /// frames itself: its resize and the graph's are the same sums in another order, and float
    /// rounding puts a value on the other side of a rounding tie, one level apart, in about one
    /// value in 2,000 (the graph's more often than the engine's; see CropResizerTests). Measured:
    /// up to 4e-5. With the graph's preprocessing in both the bound is <see cref="GraphTolerance"/>.
    /// </summary>
    internal const double HostTolerance = 2e-4;

    internal const double GraphTolerance = 1e-5;

    private static readonly EngineOptions Cpu = new() { Device = Devices.DeviceRequest.Cpu, IntraOpThreads = 2 };

    private static readonly EngineOptions CpuGraph = new() { Device = Devices.DeviceRequest.Cpu, IntraOpThreads = 2, HostPreprocessing = false };

    public static TheoryData<string, bool> Photos()
    {
        var data = new TheoryData<string, bool>();
        foreach (var photo in Fixtures.Photos)
        {
            data.Add(photo, true);
            data.Add(photo, false);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Photos))]
    public void Photo_TopKEqualsDirectOnnxRuntimeRun(string photo, bool hostPreprocessing)
    {
        using var engine = ClassifierEngine.Open(models.MiniFrames, hostPreprocessing ? Cpu : CpuGraph);
        using var session = OrtRunner.Open(models.MiniFrames);
        using var frame = Cv2.ImRead(Fixtures.Image(photo + ".png"), ImreadModes.Color);
        Assert.Equal(hostPreprocessing && Preprocessing.CropGeometry.Fast, engine.NetworkOnly);

        AssertSameAsDirect(engine.Classify(frame), session, frame, hostPreprocessing ? HostTolerance : GraphTolerance);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void FramesOfChangingSizes_EachEqualsDirectRun(bool hostPreprocessing)
    {
        using var engine = ClassifierEngine.Open(models.MiniFrames, hostPreprocessing ? Cpu : CpuGraph);
        using var session = OrtRunner.Open(models.MiniFrames);
        using var photo = Cv2.ImRead(Fixtures.Image("astronaut.png"), ImreadModes.Color);
        foreach (var (w, h) in new[] { (640, 480), (320, 240), (1280, 720), (640, 480), (333, 517), (320, 240), (700, 300), (1280, 720) })
        {
            using var frame = photo.Resize(new Size(w, h));
            AssertSameAsDirect(engine.Classify(frame), session, frame, hostPreprocessing ? HostTolerance : GraphTolerance);
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void FullSizeSyntheticModel_TopKEqualsDirectRun(bool hostPreprocessing)
    {
        using var engine = ClassifierEngine.Open(models.FullSize, hostPreprocessing ? Cpu : CpuGraph);
        using var session = OrtRunner.Open(models.FullSize);
        using var frame = Cv2.ImRead(Fixtures.Image("coffee.png"), ImreadModes.Color);
        Assert.Equal(hostPreprocessing && Preprocessing.CropGeometry.Fast, engine.NetworkOnly);
        var prediction = engine.Classify(frame);
        AssertSameAsDirect(prediction, session, frame, hostPreprocessing ? HostTolerance : GraphTolerance);
        Assert.Equal(engine.Contract.Labels[prediction.Indices[0]], prediction.Labels[0]);
    }

    /// <summary>
    /// The engine's own preprocessing is torchvision's at every frame size, frames under 8 pixels a
    /// side included (where the graph's is not): its answers equal the nchw model's on the transform
    /// written out from its definition, normalized as torchvision normalizes.
    /// </summary>
    [SkippableTheory]
    [InlineData(640, 480)]
    [InlineData(4000, 3000)]
    [InlineData(3, 700)]
    [InlineData(7, 5)]
    [InlineData(1, 1)]
    public void HostPreprocessing_EqualsNetworkOnTorchvisionDefinition(int width, int height)
    {
        Skip.IfNot(Preprocessing.CropGeometry.Fast, "this CPU has no 256-bit vectors in hardware, so the engine leaves the resize to the graph (CropGeometry.Fast)");
        using var engine = ClassifierEngine.Open(models.MiniFrames, Cpu);
        using var nchw = OrtRunner.Open(models.MiniNchw);
        using var frame = new Mat(height, width, MatType.CV_8UC3);
        Cv2.Randu(frame, Scalar.All(0), Scalar.All(256));
        var normalized = TorchvisionTransformReference.Normalized(TorchvisionTransformReference.ResizeAndCrop(frame, 256, 224), 224);

        var direct = OrtRunner.RunFloat(nchw, Contract.ModelContract.NchwInputName, normalized, [1, 3, 224, 224]);
        var prediction = engine.Classify(frame);
        Assert.True(engine.NetworkOnly);
        Assert.Equal(direct["index_top"].Longs!.Select(i => (int)i).ToArray(), prediction.Indices.ToArray());
        var probs = direct["probs_top"].Floats!;
        for (var k = 0; k < probs.Length; k++)
        {
            Assert.Equal(probs[k], prediction.Probabilities[k], HostTolerance);
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Batch_EqualsFrameByFrame(bool hostPreprocessing)
    {
        using var engine = ClassifierEngine.Open(models.MiniFrames, new EngineOptions { Device = Devices.DeviceRequest.Cpu, MaxBatch = 4, HostPreprocessing = hostPreprocessing });
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

            // Two sizes in one call: one run with the engine's own resize, one run per size with the graph's.
            Assert.Equal(single[4].Indices.ToArray(), mixed[0].Indices.ToArray());
            Assert.Equal(single[0].Indices.ToArray(), mixed[1].Indices.ToArray());
        }
        finally
        {
            frames.ForEach(f => f.Dispose());
        }
    }

    internal static void AssertSameAsDirect(Prediction prediction, Microsoft.ML.OnnxRuntime.InferenceSession session, Mat bgr, double tolerance = HostTolerance)
    {
        var direct = OrtRunner.RunFrame(session, bgr);
        var index = direct["index_top"].Longs!;
        var probs = direct["probs_top"].Floats!;
        Assert.Equal(index.Select(i => (int)i).ToArray(), prediction.Indices.ToArray());

        // The engine's session reads the fully connected weights unpacked (one-frame kernels), the
        // direct run with ONNX Runtime's defaults packed: the same sums in another order.
        for (var k = 0; k < probs.Length; k++)
        {
            Assert.Equal(probs[k], prediction.Probabilities[k], tolerance);
        }
    }
}
