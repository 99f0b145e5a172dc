using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace AlexNet.Realtime.Inference.Preprocessing;

/// <summary>
/// torchvision's <c>Resize(256)</c> and <c>CenterCrop(S)</c> on a PIL image, bit for bit: Pillow's
/// own resize for 8-bit images (<c>ImagingResample</c>: the horizontal pass first, 22-bit fixed-point
/// weights, each pass rounded and clipped to uint8), computed for the crop's pixels only. Writes the
/// crop_levels tensor of models converted with <c>--exact-resize</c>.
/// </summary>
/// <remarks>
/// <para>
/// Why by hand: the graph's PIL-exact path resizes the whole uint8 frame in ONNX Runtime and then
/// crops it (its NHWC kernel with a window's roi gave wrong pixels); this reads only the crop's
/// window. The horizontal pass runs over the window's frame rows
/// (about 430 of 480 for 640x480), a pixel's three channels in one 4-lane integer vector; the
/// vertical pass over the crop's rows, 32 bytes at a time. Pillow's order of operations and
/// rounding are kept exactly, so the result is the same integers Pillow computes, not merely
/// close: tested against torchvision's tensors of the fixture photos.
/// </para>
/// <para>
/// Memory: the taps, the horizontal pass's output (crop*3 bytes a window row) and one float row,
/// allocated here; a call allocates nothing.
/// </para>
/// </remarks>
internal sealed unsafe class PilCropResizer : ICropResizer
{
    private const int PrecisionBits = 32 - 8 - 2;
    private const int Half = 1 << (PrecisionBits - 1);

    private readonly ResizeTaps _rows;
    private readonly ResizeTaps _cols;
    private readonly int[] _rowWeights;
    private readonly int[] _colWeights;
    private readonly byte[] _horizontal;
    private readonly float[] _row;
    private readonly int _lineBytes;
    private readonly int _vectorCols;

    public PilCropResizer(int height, int width, int resizeShorter, int crop)
    {
        (_rows, _cols) = CropGeometry.Taps(height, width, resizeShorter, crop);
        (Height, Width, Crop) = (height, width, crop);
        _rowWeights = _rows.FixedPoint(PrecisionBits);
        _colWeights = _cols.FixedPoint(PrecisionBits);
        _lineBytes = crop * 3;
        _horizontal = GC.AllocateArray<byte>((_rows.WindowEnd - _rows.WindowStart) * _lineBytes, pinned: true);
        _row = GC.AllocateArray<float>(_lineBytes, pinned: true);

        // A pixel's taps are read 4 bytes at a time; the outputs whose last tap is the frame's last
        // column read it 3 bytes at a time, so that nothing past the frame's last byte is touched.
        _vectorCols = crop;
        while (_vectorCols > 0 && _cols.Start[_vectorCols - 1] + _cols.Count[_vectorCols - 1] >= width)
        {
            _vectorCols--;
        }
    }

    public int Height { get; }

    public int Width { get; }

    public int Crop { get; }

    public int OutputLength => 3 * Crop * Crop;

    public void Run(byte* frame, long rowBytes, float* output)
    {
        fixed (byte* horizontal = _horizontal)
        fixed (float* row = _row)
        fixed (int* colWeights = _colWeights)
        fixed (int* rowWeights = _rowWeights)
        {
            var first = _rows.WindowStart;
            var last = _rows.WindowEnd;
            var window = frame + (_cols.WindowStart * 3);
            var windowBytes = (_cols.WindowEnd - _cols.WindowStart) * 3;
            for (var r = first; r < last; r++)
            {
                FrameRows.Prefetch(window, rowBytes, r + 1, Math.Min(r + 2, last), windowBytes);

                Horizontal(frame + (r * rowBytes), colWeights, horizontal + ((r - first) * _lineBytes));
            }

            var plane = Crop * Crop;
            for (var y = 0; y < Crop; y++)
            {
                Vertical(horizontal + ((_rows.Start[y] - first) * _lineBytes), _rows.Count[y], rowWeights + (y * _rows.MaxTaps), row);
                var blue = output + (y * Crop);
                for (var x = 0; x < Crop; x++)
                {
                    blue[x] = row[3 * x];
                    blue[plane + x] = row[(3 * x) + 1];
                    blue[(2 * plane) + x] = row[(3 * x) + 2];
                }
            }
        }
    }

    /// <summary>Pillow's <c>ImagingResampleHorizontal_8bpc</c> for one frame row, the crop's columns only.</summary>
    private void Horizontal(byte* src, int* weights, byte* dst)
    {
        var maxTaps = _cols.MaxTaps;
        var x = 0;
        for (; x < _vectorCols; x++)
        {
            var p = src + (_cols.Start[x] * 3);
            var w = weights + (x * maxTaps);
            var count = _cols.Count[x];
            var sum = Vector128.Create(Half);
            for (var k = 0; k < count; k++, p += 3)
            {
                sum += Load4(p) * Vector128.Create(w[k]);
            }

            sum = Vector128.Min(Vector128.Max(sum >> PrecisionBits, Vector128<int>.Zero), Vector128.Create(255));
            dst[3 * x] = (byte)sum.GetElement(0);
            dst[(3 * x) + 1] = (byte)sum.GetElement(1);
            dst[(3 * x) + 2] = (byte)sum.GetElement(2);
        }

        for (; x < Crop; x++)
        {
            var p = src + (_cols.Start[x] * 3);
            var w = weights + (x * maxTaps);
            var count = _cols.Count[x];
            int s0 = Half, s1 = Half, s2 = Half;
            for (var k = 0; k < count; k++, p += 3)
            {
                s0 += p[0] * w[k];
                s1 += p[1] * w[k];
                s2 += p[2] * w[k];
            }

            dst[3 * x] = Clip8(s0);
            dst[(3 * x) + 1] = Clip8(s1);
            dst[(3 * x) + 2] = Clip8(s2);
        }
    }

    /// <summary>Pillow's <c>ImagingResampleVertical_8bpc</c> for one crop row, its result as floats (interleaved B, G, R).</summary>
    private void Vertical(byte* first, int count, int* w, float* row)
    {
        var n = _lineBytes;
        if (n < Vector256<byte>.Count)
        {
            for (var j = 0; j < n; j++)
            {
                var sum = Half;
                for (var k = 0; k < count; k++)
                {
                    sum += first[(k * n) + j] * w[k];
                }

                row[j] = Clip8(sum);
            }

            return;
        }

        // The last block overlaps the one before it rather than running past the row.
        for (var j = 0; ; j += Vector256<byte>.Count)
        {
            j = Math.Min(j, n - Vector256<byte>.Count);
            var a0 = Vector256.Create(Half);
            var a1 = a0;
            var a2 = a0;
            var a3 = a0;
            var p = first + j;
            for (var k = 0; k < count; k++, p += n)
            {
                var weight = Vector256.Create(w[k]);
                var (lo, hi) = Vector256.Widen(Vector256.Load(p));
                var (b0, b1) = Vector256.Widen(lo);
                var (b2, b3) = Vector256.Widen(hi);
                a0 += b0.AsInt32() * weight;
                a1 += b1.AsInt32() * weight;
                a2 += b2.AsInt32() * weight;
                a3 += b3.AsInt32() * weight;
            }

            Store(a0, row + j);
            Store(a1, row + j + 8);
            Store(a2, row + j + 16);
            Store(a3, row + j + 24);
            if (j == n - Vector256<byte>.Count)
            {
                break;
            }
        }
    }

    private static void Store(Vector256<int> sum, float* dst) =>
        Vector256.ConvertToSingle(Vector256.Min(Vector256.Max(sum >> PrecisionBits, Vector256<int>.Zero), Vector256.Create(255))).Store(dst);

    /// <summary>A pixel's 3 bytes and the next as 4 integers.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<int> Load4(byte* p) =>
        Vector128.WidenLower(Vector128.WidenLower(Vector128.CreateScalarUnsafe(Unsafe.ReadUnaligned<uint>(p)).AsByte())).AsInt32();

    /// <summary>Pillow's <c>clip8</c>: the sum's integer part, clipped to 0..255.</summary>
    private static byte Clip8(int sum) => (byte)Math.Clamp(sum >> PrecisionBits, 0, 255);
}
