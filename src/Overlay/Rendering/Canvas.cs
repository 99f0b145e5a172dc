using OpenCvSharp;

namespace AlexNet.Realtime.Overlay.Rendering;

/// <summary>
/// Alpha-blended rectangles and text drawn straight into an 8-bit BGR frame: the overlay's few
/// thousand pixels a frame, with no allocation and no native call per shape.
/// </summary>
public static unsafe class Canvas
{
    /// <summary>Blends a filled rectangle (clipped to the frame) with opacity <paramref name="alpha"/> (0..1).</summary>
    public static void FillRect(Mat image, Rect area, Bgr color, float alpha)
    {
        ArgumentNullException.ThrowIfNull(image);
        var clip = Clip(image, area);
        if (clip.Width <= 0 || clip.Height <= 0)
        {
            return;
        }

        var a = (int)(Math.Clamp(alpha, 0f, 1f) * 256);
        var inverse = 256 - a;
        var data = (byte*)image.Data;
        var step = image.Step();
        for (var y = clip.Top; y < clip.Bottom; y++)
        {
            var p = data + (y * step) + (clip.Left * 3);
            for (var x = 0; x < clip.Width; x++, p += 3)
            {
                p[0] = (byte)(((p[0] * inverse) + (color.B * a)) >> 8);
                p[1] = (byte)(((p[1] * inverse) + (color.G * a)) >> 8);
                p[2] = (byte)(((p[2] * inverse) + (color.R * a)) >> 8);
            }
        }
    }

    /// <summary>Draws text with its top-left at (x, y); stops at <paramref name="maxWidth"/> pixels. Returns the x after the text.</summary>
    public static int DrawText(Mat image, GlyphAtlas atlas, ReadOnlySpan<char> text, int x, int y, Bgr color, int maxWidth = int.MaxValue)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(atlas);
        var rows = image.Rows;
        var cols = image.Cols;
        var data = (byte*)image.Data;
        var step = image.Step();
        var start = x;
        foreach (var c in text)
        {
            var glyph = atlas.Glyph(c, out var width);
            if (x + width - start > maxWidth)
            {
                break;
            }

            for (var gy = 0; gy < atlas.Height; gy++)
            {
                var py = y + gy;
                if ((uint)py >= (uint)rows)
                {
                    continue;
                }

                var row = data + (py * step);
                for (var gx = 0; gx < width; gx++)
                {
                    var px = x + gx;
                    var a = glyph[(gy * width) + gx];
                    if (a == 0 || (uint)px >= (uint)cols)
                    {
                        continue;
                    }

                    // Blend with weights out of 256 (alpha 255 counts as 256): a shift, not a division.
                    var p = row + (px * 3);
                    var weight = a + (a >> 7);
                    var inverse = 256 - weight;
                    p[0] = (byte)(((p[0] * inverse) + (color.B * weight)) >> 8);
                    p[1] = (byte)(((p[1] * inverse) + (color.G * weight)) >> 8);
                    p[2] = (byte)(((p[2] * inverse) + (color.R * weight)) >> 8);
                }
            }

            x += width;
        }

        return x;
    }

    private static Rect Clip(Mat image, Rect area)
    {
        var left = Math.Max(0, area.Left);
        var top = Math.Max(0, area.Top);
        var right = Math.Min(image.Cols, area.Right);
        var bottom = Math.Min(image.Rows, area.Bottom);
        return new Rect(left, top, right - left, bottom - top);
    }
}
