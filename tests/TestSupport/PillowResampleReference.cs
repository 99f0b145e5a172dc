namespace AlexNet.Realtime.TestSupport;

/// <summary>
/// Pillow's <c>ImagingResample</c> for 8-bit images (bilinear), ported line by line from its C
/// (<c>src/libImaging/Resample.c</c>: <c>precompute_coeffs</c>, <c>normalize_coeffs_8bpc</c>, the
/// horizontal pass over the rows the vertical one needs, then the vertical pass), on the whole
/// frame, then torchvision's center crop. Scalar and plain: the oracle for the engine's PIL-exact
/// resize at frame sizes the fixture photos do not cover.
/// </summary>
public static class PillowResampleReference
{
    private const int PrecisionBits = 32 - 8 - 2;

    /// <summary>Whole levels, B, G and R planes, <c>[3, crop, crop]</c>.</summary>
    public static float[] ResizeAndCrop(OpenCvSharp.Mat bgr, int resizeShorter, int crop)
    {
        bgr.GetArray(out OpenCvSharp.Vec3b[] pixels);
        var (height, width) = (bgr.Rows, bgr.Cols);
        var shorter = Math.Min(height, width);
        var outH = (int)((long)resizeShorter * height / shorter);
        var outW = (int)((long)resizeShorter * width / shorter);

        var image = new byte[height, width, 3];
        for (var i = 0; i < pixels.Length; i++)
        {
            (image[i / width, i % width, 0], image[i / width, i % width, 1], image[i / width, i % width, 2]) = (pixels[i].Item0, pixels[i].Item1, pixels[i].Item2);
        }

        // ImagingResampleInner: a pass runs only where its axis changes size.
        if (outW != width)
        {
            image = Horizontal(image, outW);
        }

        if (outH != height)
        {
            image = Vertical(image, outH);
        }

        var top = (int)Math.Round((outH - crop) / 2.0, MidpointRounding.ToEven);
        var left = (int)Math.Round((outW - crop) / 2.0, MidpointRounding.ToEven);
        var result = new float[3 * crop * crop];
        for (var c = 0; c < 3; c++)
        {
            for (var y = 0; y < crop; y++)
            {
                for (var x = 0; x < crop; x++)
                {
                    result[(c * crop * crop) + (y * crop) + x] = image[top + y, left + x, c];
                }
            }
        }

        return result;
    }

    private static byte[,,] Horizontal(byte[,,] image, int outSize)
    {
        var (rows, inSize) = (image.GetLength(0), image.GetLength(1));
        var (bounds, kk, ksize) = Coefficients(inSize, outSize);
        var result = new byte[rows, outSize, 3];
        for (var yy = 0; yy < rows; yy++)
        {
            for (var xx = 0; xx < outSize; xx++)
            {
                var (xmin, xmax) = bounds[xx];
                for (var c = 0; c < 3; c++)
                {
                    var ss = 1 << (PrecisionBits - 1);
                    for (var x = 0; x < xmax; x++)
                    {
                        ss += image[yy, x + xmin, c] * kk[(xx * ksize) + x];
                    }

                    result[yy, xx, c] = Clip8(ss);
                }
            }
        }

        return result;
    }

    private static byte[,,] Vertical(byte[,,] image, int outSize)
    {
        var (inSize, cols) = (image.GetLength(0), image.GetLength(1));
        var (bounds, kk, ksize) = Coefficients(inSize, outSize);
        var result = new byte[outSize, cols, 3];
        for (var yy = 0; yy < outSize; yy++)
        {
            var (ymin, ymax) = bounds[yy];
            for (var xx = 0; xx < cols; xx++)
            {
                for (var c = 0; c < 3; c++)
                {
                    var ss = 1 << (PrecisionBits - 1);
                    for (var y = 0; y < ymax; y++)
                    {
                        ss += image[y + ymin, xx, c] * kk[(yy * ksize) + y];
                    }

                    result[yy, xx, c] = Clip8(ss);
                }
            }
        }

        return result;
    }

    private static ((int Min, int Count)[] Bounds, int[] Kk, int Ksize) Coefficients(int inSize, int outSize)
    {
        double scale = (double)inSize / outSize, filterscale = scale < 1.0 ? 1.0 : scale;
        var support = 1.0 * filterscale;
        var ksize = ((int)Math.Ceiling(support) * 2) + 1;
        var prekk = new double[outSize * ksize];
        var bounds = new (int, int)[outSize];
        for (var xx = 0; xx < outSize; xx++)
        {
            var center = (xx + 0.5) * scale;
            double ww = 0.0, ss = 1.0 / filterscale;
            var xmin = (int)(center - support + 0.5);
            if (xmin < 0)
            {
                xmin = 0;
            }

            var xmax = (int)(center + support + 0.5);
            if (xmax > inSize)
            {
                xmax = inSize;
            }

            xmax -= xmin;
            for (var x = 0; x < xmax; x++)
            {
                var t = Math.Abs((x + xmin - center + 0.5) * ss);
                var w = t < 1.0 ? 1.0 - t : 0.0;
                prekk[(xx * ksize) + x] = w;
                ww += w;
            }

            for (var x = 0; x < xmax; x++)
            {
                if (ww != 0.0)
                {
                    prekk[(xx * ksize) + x] /= ww;
                }
            }

            bounds[xx] = (xmin, xmax);
        }

        var kk = new int[prekk.Length];
        for (var x = 0; x < prekk.Length; x++)
        {
            kk[x] = prekk[x] < 0 ? (int)(-0.5 + (prekk[x] * (1 << PrecisionBits))) : (int)(0.5 + (prekk[x] * (1 << PrecisionBits)));
        }

        return (bounds, kk, ksize);
    }

    private static byte Clip8(int ss) => (byte)Math.Clamp(ss >> PrecisionBits, 0, 255);
}
