using AlexNet.Realtime.Inference.Preprocessing;
using AlexNet.Realtime.TestSupport;
using OpenCvSharp;
using Xunit;
using Xunit.Abstractions;

namespace AlexNet.Realtime.Inference.Tests;

/// <summary>
/// The engine's own resize and crop (CPU) against torchvision: the fixture photos against the
/// tensors torchvision made of them, and noise frames of sizes the photos do not cover against
/// the transform written out from its definition.
/// </summary>
public sealed class CropResizerTests(ITestOutputHelper output)
{
    private const int Crop = 224;
    public static TheoryData<string> Photos => new(Fixtures.Photos);

    [Theory]
    [MemberData(nameof(Photos))]
    public void Photo_MatchesTorchvisionTransform(string photo)
    {
        using var bgr = Cv2.ImRead(Fixtures.Image(photo + ".png"), ImreadModes.Color);
        var normalized = TorchvisionTransformReference.Normalized(Run(bgr), Crop);
        TorchvisionTransformReference.AssertNearPhotoTensor(normalized, photo, 0.01, output.WriteLine);
    }

    /// <summary>
    /// Noise frames, so that any misplaced tap or weight shows; sizes that keep an axis, upscale,
    /// have extreme aspect ratios, 4000x3000, and frames under 8 pixels a side (where the graph's
    /// resize is not torchvision's at the border, and this must be).
    /// </summary>
    [Theory]
    [InlineData(640, 480)]
    [InlineData(1280, 720)]
    [InlineData(4000, 3000)]
    [InlineData(256, 256)]
    [InlineData(455, 256)]
    [InlineData(256, 300)]
    [InlineData(257, 257)]
    [InlineData(224, 224)]
    [InlineData(100, 700)]
    [InlineData(31, 17)]
    [InlineData(3, 700)]
    [InlineData(7, 5)]
    [InlineData(1, 1)]
    public void NoiseFrame_AtAnySize_EqualsTorchvisionDefinition(int width, int height)
    {
        using var frame = new Mat(height, width, MatType.CV_8UC3);
        Cv2.Randu(frame, Scalar.All(0), Scalar.All(256));
        var expected = TorchvisionTransformReference.ResizeAndCrop(frame, 256, Crop);
        var levels = Run(frame);

        var differing = 0;
        double worst = 0;
        for (var i = 0; i < levels.Length; i++)
        {
            var diff = Math.Abs(levels[i] - expected[i]);
            worst = Math.Max(worst, diff);
            differing += diff > 0 ? 1 : 0;
        }

        output.WriteLine($"{width}x{height}: {differing} of {levels.Length} values differ from the definition, by at most {worst} levels");
        Assert.True(worst <= 1, $"a value is {worst} levels from torchvision's");
        // Float rounding flips a rounding tie now and then: 0 to 3 values measured at these sizes
        // (the graph's resize: up to 0.2%, and at frames under 8 pixels a side, far more).
        Assert.True(differing <= 32, $"{differing} values differ");
    }

    /// <summary>
    /// The PIL-exact resize (models converted with --exact-resize) is Pillow's to the bit: the
    /// photos' levels are the integers PIL made (torchvision's tensors, normalized the same way in
    /// float32, equal to the last bit).
    /// </summary>
    [Theory]
    [MemberData(nameof(Photos))]
    public void PilExact_Photo_EqualsTorchvisionTensorExactly(string photo)
    {
        using var bgr = Cv2.ImRead(Fixtures.Image(photo + ".png"), ImreadModes.Color);
        var normalized = TorchvisionTransformReference.Normalized(Run(bgr, pilExact: true), Crop);
        TorchvisionTransformReference.AssertNearPhotoTensor(normalized, photo, 0, output.WriteLine);
    }

    /// <summary>The PIL-exact resize against Pillow's algorithm ported to C# (whole frame, then the crop) at sizes the photos do not cover, noise frames.</summary>
    [Theory]
    [InlineData(640, 480)]
    [InlineData(1920, 1080)]
    [InlineData(256, 256)]
    [InlineData(455, 256)]
    [InlineData(256, 300)]
    [InlineData(224, 224)]
    [InlineData(100, 700)]
    [InlineData(31, 17)]
    [InlineData(3, 700)]
    [InlineData(7, 5)]
    [InlineData(1, 1)]
    public void PilExact_NoiseFrame_EqualsPillowsAlgorithm(int width, int height)
    {
        using var frame = new Mat(height, width, MatType.CV_8UC3);
        Cv2.Randu(frame, Scalar.All(0), Scalar.All(256));
        Assert.Equal(PillowResampleReference.ResizeAndCrop(frame, 256, Crop), Run(frame, pilExact: true));
    }

    [Fact]
    public void FrameWithPaddedRows_EqualsTheSamePixelsContinuous()
    {
        using var wide = new Mat(500, 700, MatType.CV_8UC3);
        Cv2.Randu(wide, Scalar.All(0), Scalar.All(256));
        using var view = new Mat(wide, new Rect(37, 11, 640, 480));
        using var copy = view.Clone();
        Assert.False(view.IsContinuous());

        Assert.Equal(Run(copy), Run(view));
        Assert.Equal(Run(copy, pilExact: true), Run(view, pilExact: true));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Run_AllocatesNothing(bool pilExact)
    {
        using var frame = new Mat(480, 640, MatType.CV_8UC3);
        Cv2.Randu(frame, Scalar.All(0), Scalar.All(256));
        var resizer = CropGeometry.For(480, 640, 256, Crop, pilExact);
        var levels = new float[resizer.OutputLength];
        Run(resizer, frame, levels);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 50; i++)
        {
            Run(resizer, frame, levels);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    private static float[] Run(Mat bgr, bool pilExact = false)
    {
        var resizer = CropGeometry.For(bgr.Rows, bgr.Cols, 256, Crop, pilExact);
        var levels = new float[resizer.OutputLength];
        Run(resizer, bgr, levels);
        return levels;
    }

    private static unsafe void Run(ICropResizer resizer, Mat bgr, float[] levels)
    {
        fixed (float* output = levels)
        {
            resizer.Run((byte*)bgr.Data, bgr.Step(), output);
        }
    }
}
