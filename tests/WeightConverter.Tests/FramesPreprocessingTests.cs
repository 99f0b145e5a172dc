using AlexNet.Realtime.Inference.Contract;
using AlexNet.Realtime.TestSupport;
using OpenCvSharp;
using Xunit;
using Xunit.Abstractions;

namespace AlexNet.Realtime.WeightConverter.Tests;

/// <summary>
/// The in-graph preprocessing against torchvision's: the fixture photos, decoded by OpenCV as a
/// camera frame would be, against the tensors torchvision's eval transform made of them.
/// </summary>
public sealed class FramesPreprocessingTests(ITestOutputHelper output)
{
    public static TheoryData<string> Photos => new(Fixtures.Photos);

    public static TheoryData<string, bool> PhotosBothResizes()
    {
        var data = new TheoryData<string, bool>();
        foreach (var photo in Fixtures.Photos)
        {
            data.Add(photo, false);
            data.Add(photo, true);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(PhotosBothResizes))]
    public void InGraphPreprocessing_MatchesTorchvisionTransform(string photo, bool exactResize)
    {
        using var dir = new TempDirectory();
        using var session = OrtRunner.Open(ConvertedModels.Preprocessing(dir, 224, exactResize));
        using var bgr = Cv2.ImRead(Fixtures.Image(photo + ".png"), ImreadModes.Color);

        var result = OrtRunner.RunFrame(session, bgr)["preprocessed"];
        Assert.Equal([1L, 3, 224, 224], result.Shape);
        TorchvisionTransformReference.AssertNearPhotoTensor(result.Floats!, photo, exactResize ? 1e-4 : 0.01, line => output.WriteLine($"{(exactResize ? "uint8 resize" : "float resize")}, {line}"));
    }

    /// <summary>
    /// The graph resizes only the window the crop needs; at frame sizes the photos do not cover
    /// (axes that keep their size, upscaling, extreme aspect ratios, 4000x3000) it must still be
    /// torchvision's transform. Noise frames, so any misplaced sample or weight shows.
    /// Frames under 8 pixels a side are left out: there ONNX Runtime's tf_crop_and_resize
    /// extrapolates the crop's border pixels as 0 where PIL clamps (documented in the README).
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
    [InlineData(8, 8)]
    public void WindowedResize_AtOddFrameSizes_EqualsTorchvisionDefinition(int width, int height)
    {
        using var dir = new TempDirectory();
        using var session = OrtRunner.Open(ConvertedModels.Preprocessing(dir, 224));
        using var frame = new Mat(height, width, MatType.CV_8UC3);
        Cv2.Randu(frame, Scalar.All(0), Scalar.All(256));
        var expected = TorchvisionTransformReference.ResizeAndCrop(frame, 256, 224);
        var normalized = OrtRunner.RunFrame(session, frame)["preprocessed"].Floats!;

        var plane = 224 * 224;
        var differing = 0;
        double worst = 0;
        for (var rgb = 0; rgb < 3; rgb++)
        {
            var bgr = 2 - rgb;
            for (var i = 0; i < plane; i++)
            {
                var level = ((normalized[(rgb * plane) + i] * ModelContract.ImageNetStd[rgb]) + ModelContract.ImageNetMean[rgb]) * 255;
                var diff = Math.Abs(level - expected[(bgr * plane) + i]);
                worst = Math.Max(worst, diff);
                differing += diff > 0.5 ? 1 : 0;
            }
        }

        output.WriteLine($"{width}x{height}: {differing} of {3 * plane} values differ from the definition, by at most {worst:0.000} levels");
        Assert.True(worst <= 1.001, $"a value is {worst} levels from torchvision's");
        Assert.True(differing <= 3 * plane / 400, $"{differing} values differ (rounding ties alone flip at most 0.2%, measured for a 224x224 upscale)");
    }

    [Theory]
    [MemberData(nameof(PhotosBothResizes))]
    public void FramesModel_Top5OnPhotoEqualsTop5OnTorchvisionTensor(string photo, bool exactResize)
    {
        using var dir = new TempDirectory();
        var frames = ConvertedModels.Convert(dir, Fixtures.Path("tv_mini.pth"), InputLayout.Frames, exactResize: exactResize);
        var nchw = ConvertedModels.Convert(dir, Fixtures.Path("tv_mini.pth"), InputLayout.Nchw);
        using var framesSession = OrtRunner.Open(frames);
        using var nchwSession = OrtRunner.Open(nchw);
        using var bgr = Cv2.ImRead(Fixtures.Image(photo + ".png"), ImreadModes.Color);
        var tensor = Npy.ReadFloat32(Fixtures.Image(photo + "_tv_preprocessed.npy"));

        var fromFrame = OrtRunner.RunFrame(framesSession, bgr);
        var fromTensor = OrtRunner.RunFloat(nchwSession, ModelContract.NchwInputName, tensor.Data, [1, 3, 224, 224]);
        var frameTop = fromFrame[ModelContract.IndexTopOutputName].Longs!;
        var tensorTop = fromTensor[ModelContract.IndexTopOutputName].Longs!;
        output.WriteLine($"{photo}: frame top-5 [{string.Join(",", frameTop)}], torchvision tensor top-5 [{string.Join(",", tensorTop)}]");
        Assert.Equal(tensorTop, frameTop);
    }

    /// <summary>
    /// Folding BGR->RGB and normalization into conv1 (and, without padding, the mean into its bias)
    /// changes nothing: the frames model equals the nchw model fed the explicit preprocessing.
    /// </summary>
    [Theory]
    [InlineData("tv_mini.pth", 224)]
    [InlineData("paper_mini.pth", 227)]
    public void FoldedConv1_EqualsExplicitNormalization(string weights, int crop)
    {
        using var dir = new TempDirectory();
        using var frames = OrtRunner.Open(ConvertedModels.Convert(dir, Fixtures.Path(weights), InputLayout.Frames));
        using var nchw = OrtRunner.Open(ConvertedModels.Convert(dir, Fixtures.Path(weights), InputLayout.Nchw));
        using var preprocess = OrtRunner.Open(ConvertedModels.Preprocessing(dir, crop));
        using var bgr = Cv2.ImRead(Fixtures.Image("chelsea.png"), ImreadModes.Color);

        var tensor = OrtRunner.RunFrame(preprocess, bgr)["preprocessed"].Floats!;
        var viaTensor = OrtRunner.RunFloat(nchw, ModelContract.NchwInputName, tensor, [1, 3, crop, crop])[ModelContract.LogitsOutputName].Floats!;
        var viaFrame = OrtRunner.RunFrame(frames, bgr)[ModelContract.LogitsOutputName].Floats!;
        var scale = viaTensor.Max(MathF.Abs);
        var (max, _) = Compare.AbsDiff(viaFrame, viaTensor);
        output.WriteLine($"{weights}: max |diff| {max:g3} of max |logit| {scale:g3}");
        Assert.True(max <= 1e-4 * scale, $"max |diff| {max} > 1e-4 x {scale}");
    }
}
