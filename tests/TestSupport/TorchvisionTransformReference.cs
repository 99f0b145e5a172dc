namespace AlexNet.Realtime.TestSupport;

/// <summary>
/// torchvision's <c>Resize(256)</c> + <c>CenterCrop(S)</c> written out from its definition (PIL's
/// antialiased bilinear resample, Pillow's <c>precompute_coeffs</c>, in double precision, rounded
/// once at the end as the float path rounds), independent of ONNX Runtime: the oracle for frame
/// sizes the fixture photos do not cover.
/// </summary>
public static class TorchvisionTransformReference
{
    /// <summary>The transform of an 8-bit BGR OpenCV frame: whole levels, B, G and R planes, <c>[3, crop, crop]</c>.</summary>
    public static float[] ResizeAndCrop(OpenCvSharp.Mat bgr, int resizeShorter, int crop)
    {
        bgr.GetArray(out OpenCvSharp.Vec3b[] pixels);
        var hwc = new byte[pixels.Length * 3];
        for (var i = 0; i < pixels.Length; i++)
        {
            (hwc[3 * i], hwc[(3 * i) + 1], hwc[(3 * i) + 2]) = (pixels[i].Item0, pixels[i].Item1, pixels[i].Item2);
        }

        return ResizeAndCrop(hwc, bgr.Rows, bgr.Cols, resizeShorter, crop);
    }

    /// <summary>torchvision's <c>ToTensor</c> and <c>Normalize</c> (ImageNet's mean and std) of B, G, R planes of whole levels: R, G, B planes.</summary>
    public static float[] Normalized(ReadOnlySpan<float> levelsBgr, int crop)
    {
        var plane = crop * crop;
        var normalized = new float[levelsBgr.Length];
        for (var rgb = 0; rgb < 3; rgb++)
        {
            for (var i = 0; i < plane; i++)
            {
                normalized[(rgb * plane) + i] = ((levelsBgr[((2 - rgb) * plane) + i] / 255f) - Inference.Contract.ModelContract.ImageNetMean[rgb]) / Inference.Contract.ModelContract.ImageNetStd[rgb];
            }
        }

        return normalized;
    }

    /// <summary>
    /// Asserts a normalized tensor is within one uint8 level of the tensor torchvision made of a
    /// fixture photo everywhere, and within <paramref name="meanLimit"/> on average; says how far.
    /// </summary>
    public static void AssertNearPhotoTensor(ReadOnlySpan<float> normalized, string photo, double meanLimit, Action<string> say)
    {
        var expected = Npy.ReadFloat32(Fixtures.Image(photo + "_tv_preprocessed.npy")).Data;
        var (max, mean) = Compare.AbsDiff(normalized, expected);
        say($"{photo}: mean |diff| {mean:0.000e0}, max |diff| {max:0.0000} (one uint8 level is {1 / (255 * 0.225):0.0000})");
        Xunit.Assert.True(mean <= meanLimit, $"mean |diff| {mean}");
        Xunit.Assert.True(max <= 1.01 / (255 * 0.225), $"max |diff| {max} is more than one uint8 level");
    }

    /// <summary>Whole levels, NCHW in the frame's channel order, <c>[3, crop, crop]</c>.</summary>
    public static float[] ResizeAndCrop(byte[] hwc, int height, int width, int resizeShorter, int crop)
    {
        var shorter = Math.Min(height, width);
        var resizedH = (int)((long)resizeShorter * height / shorter);
        var resizedW = (int)((long)resizeShorter * width / shorter);
        var top = (int)Math.Round((resizedH - crop) / 2.0, MidpointRounding.ToEven);
        var left = (int)Math.Round((resizedW - crop) / 2.0, MidpointRounding.ToEven);
        var rows = Coefficients(height, resizedH, top, crop);
        var cols = Coefficients(width, resizedW, left, crop);

        var result = new float[3 * crop * crop];
        var horizontal = new double[height * crop * 3];
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < crop; x++)
            {
                var (first, weights) = cols[x];
                for (var c = 0; c < 3; c++)
                {
                    double sum = 0;
                    for (var k = 0; k < weights.Length; k++)
                    {
                        sum += weights[k] * hwc[((y * width) + first + k) * 3 + c];
                    }

                    horizontal[((y * crop) + x) * 3 + c] = sum;
                }
            }
        }

        for (var y = 0; y < crop; y++)
        {
            var (first, weights) = rows[y];
            for (var x = 0; x < crop; x++)
            {
                for (var c = 0; c < 3; c++)
                {
                    double sum = 0;
                    for (var k = 0; k < weights.Length; k++)
                    {
                        sum += weights[k] * horizontal[(((first + k) * crop) + x) * 3 + c];
                    }

                    result[(c * crop * crop) + (y * crop) + x] = (float)Math.Round(sum, MidpointRounding.ToEven);
                }
            }
        }

        return result;
    }

    /// <summary>Pillow's coefficients for the output pixels [offset, offset + count) of a resize from inSize to outSize.</summary>
    private static (int First, double[] Weights)[] Coefficients(int inSize, int outSize, int offset, int count)
    {
        var scale = (double)inSize / outSize;
        var filterScale = Math.Max(scale, 1.0);
        var support = 1.0 * filterScale;
        var result = new (int, double[])[count];
        for (var i = 0; i < count; i++)
        {
            var center = (offset + i + 0.5) * scale;
            var min = Math.Max((int)(center - support + 0.5), 0);
            var max = Math.Min((int)(center + support + 0.5), inSize);
            var weights = new double[max - min];
            double total = 0;
            for (var x = 0; x < weights.Length; x++)
            {
                var t = Math.Abs((x + min - center + 0.5) / filterScale);
                weights[x] = t < 1.0 ? 1.0 - t : 0.0;
                total += weights[x];
            }

            for (var x = 0; x < weights.Length; x++)
            {
                weights[x] /= total;
            }

            result[i] = (min, weights);
        }

        return result;
    }
}
