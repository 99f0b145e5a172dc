using OpenCvSharp;

namespace AlexNet.Realtime.Overlay.Rendering;

/// <summary>
/// Printable ASCII rendered once by OpenCV (Hershey simplex, anti-aliased) into alpha masks, so
/// per-frame text is blitted by <see cref="Canvas"/> without an OpenCV call: OpenCvSharp's
/// drawing wrappers allocate on every call, and the frame loop allocates nothing.
/// </summary>
public sealed class GlyphAtlas
{
    private const char First = ' ';
    private const char Last = '~';
    private readonly byte[][] _alpha = new byte[Last - First + 1][];
    private readonly int[] _width = new int[Last - First + 1];

    public GlyphAtlas(double fontScale, int thickness)
    {
        FontScale = fontScale;
        var probe = Cv2.GetTextSize("Ay|", HersheyFonts.HersheySimplex, fontScale, thickness, out var baseline);
        Ascent = probe.Height + thickness;
        Height = Ascent + baseline + thickness;
        for (var c = First; c <= Last; c++)
        {
            var text = c.ToString();
            var size = Cv2.GetTextSize(text, HersheyFonts.HersheySimplex, fontScale, thickness, out _);
            var width = Math.Max(1, size.Width + 1);
            using var mask = new Mat(Height, width, MatType.CV_8UC1, Scalar.All(0));
            if (c != ' ')
            {
                Cv2.PutText(mask, text, new Point(0, Ascent), HersheyFonts.HersheySimplex, fontScale, Scalar.All(255), thickness, LineTypes.AntiAlias);
            }

            var alpha = new byte[Height * width];
            mask.GetArray(out byte[] data);
            data.CopyTo(alpha, 0);
            _alpha[c - First] = alpha;
            _width[c - First] = width;
        }
    }

    public double FontScale { get; }

    /// <summary>Pixels from a line's top to its baseline.</summary>
    public int Ascent { get; }

    /// <summary>Pixels of one line of text.</summary>
    public int Height { get; }

    /// <summary>The glyph for <paramref name="c"/> ('?' for characters outside printable ASCII).</summary>
    public ReadOnlySpan<byte> Glyph(char c, out int width)
    {
        var index = c is >= First and <= Last ? c - First : '?' - First;
        width = _width[index];
        return _alpha[index];
    }

    public int Measure(ReadOnlySpan<char> text)
    {
        var total = 0;
        foreach (var c in text)
        {
            Glyph(c, out var width);
            total += width;
        }

        return total;
    }
}
