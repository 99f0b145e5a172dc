using System.Runtime.Intrinsics;

namespace AlexNet.Realtime.Inference.Preprocessing;

/// <summary>
/// torchvision's <c>Resize(256)</c> and <c>CenterCrop(S)</c> of 8-bit BGR frames of one size, on
/// the CPU: writes the tensor a converted model's graph names <c>crop_levels</c> (float BGR
/// planes, rounded to whole levels), reading the frame where it lies.
/// </summary>
/// <remarks>
/// <para>
/// Why by hand, and not ONNX Runtime's <c>Resize</c> in the graph, which the GPUs run: on the CPU
/// the graph's antialiased Resize splits a frame by colour plane (3 planes on 2 threads) and needs
/// a uint8 transpose and cast before it, and it resizes a whole window where only the crop's
/// outputs are needed. This does it in one pass over the frame's crop window, a crop
/// row at a time: the vertical filter straight from the interleaved uint8 rows, 32 bytes at a
/// time, then the horizontal filter per pixel, all three channels in one 4-lane vector, rounded
/// and written to the planes, the frame read once (figures in bench/README.md).
/// OpenCV's <c>resize</c> with <c>INTER_AREA</c> or <c>INTER_LINEAR</c> is not torchvision's
/// filter, so it can't stand in.
/// </para>
/// <para>
/// The filter is separable, so doing the vertical pass first changes nothing in exact arithmetic;
/// in float it puts 0 to 3 of 150,528 values a level from torchvision's transform computed in
/// double (a rounding tie; 13 frame sizes tested), where the graph's float resize is off in up to
/// 0.2%. Where the graph's <c>tf_crop_and_resize</c> extrapolates 0 past a frame under 8 pixels a
/// side, this drops the taps as Pillow does: there it is torchvision's and the graph is not.
/// </para>
/// <para>
/// Memory: the taps and one float row (the vertical pass's output), allocated here; a call
/// allocates nothing.
/// </para>
/// </remarks>
internal sealed unsafe class CropResizer : ICropResizer
{
    private readonly ResizeTaps _rows;
    private readonly ResizeTaps _cols;
    private readonly int[] _colOffsets;
    private readonly float[] _row;
    private readonly int _windowBytes;

    public CropResizer(int height, int width, int resizeShorter, int crop)
    {
        (_rows, _cols) = CropGeometry.Taps(height, width, resizeShorter, crop);
        (Height, Width, Crop) = (height, width, crop);
        _colOffsets = new int[crop];
        for (var x = 0; x < crop; x++)
        {
            _colOffsets[x] = (_cols.Start[x] - _cols.WindowStart) * 3;
        }

        _windowBytes = (_cols.WindowEnd - _cols.WindowStart) * 3;

        // One float more: the horizontal pass loads 4 lanes for a pixel's 3 channels.
        _row = GC.AllocateArray<float>(_windowBytes + 1, pinned: true);
    }

    public int Height { get; }

    public int Width { get; }

    public int Crop { get; }

    /// <summary>The floats <see cref="Run"/> writes: 3 planes of Crop x Crop.</summary>
    public int OutputLength => 3 * Crop * Crop;

    /// <summary>Resizes and crops one frame.</summary>
    /// <param name="frame">The frame's first byte: Height rows of Width BGR pixels, <paramref name="rowBytes"/> apart.</param>
    /// <param name="output"><see cref="OutputLength"/> floats: B, G and R planes, whole levels.</param>
    public void Run(byte* frame, long rowBytes, float* output)
    {
        var window = frame + ((long)_cols.WindowStart * 3);

        // Row by row, so that the vertical pass's output stays in the L1 cache for the horizontal
        // one (a whole 224-row buffer is 1.1 MB for 640x480, written and read back from memory).
        fixed (float* row = _row)
        fixed (float* rowWeights = _rows.Weights)
        fixed (float* colWeights = _cols.Weights)
        fixed (int* offsets = _colOffsets)
        fixed (int* counts = _cols.Count)
        {
            for (var y = 0; y < Crop; y++)
            {
                if (y + 1 < Crop)
                {
                    FrameRows.Prefetch(window, rowBytes, _rows.Start[y] + _rows.Count[y], _rows.Start[y + 1] + _rows.Count[y + 1], _windowBytes);
                }

                Vertical(window + (_rows.Start[y] * rowBytes), rowBytes, _rows.Count[y], rowWeights + (y * _rows.MaxTaps), row);
                Horizontal(row, colWeights, offsets, counts, output + (y * Crop));
            }
        }
    }

    /// <summary>A crop row from its taps' frame rows, the window's bytes as they lie (B, G, R interleaved).</summary>
    private void Vertical(byte* first, long rowBytes, int count, float* w, float* row)
    {
        var n = _windowBytes;
        if (n < Vector256<byte>.Count)
        {
            VerticalScalar(first, rowBytes, count, w, row, 0, n);
            return;
        }

        // The last block overlaps the one before it rather than running past the window.
        for (var j = 0; ; j += Vector256<byte>.Count)
        {
            j = Math.Min(j, n - Vector256<byte>.Count);
            VerticalBlock(first + j, rowBytes, count, w, row + j);
            if (j == n - Vector256<byte>.Count)
            {
                break;
            }
        }
    }

    private static void VerticalBlock(byte* src, long rowBytes, int count, float* w, float* dst)
    {
        var a0 = Vector256<float>.Zero;
        var a1 = a0;
        var a2 = a0;
        var a3 = a0;
        for (var k = 0; k < count; k++, src += rowBytes)
        {
            var weight = Vector256.Create(w[k]);
            var (lo, hi) = Vector256.Widen(Vector256.Load(src));
            var (b0, b1) = Vector256.Widen(lo);
            var (b2, b3) = Vector256.Widen(hi);
            a0 = Vector256.MultiplyAddEstimate(weight, Vector256.ConvertToSingle(b0.AsInt32()), a0);
            a1 = Vector256.MultiplyAddEstimate(weight, Vector256.ConvertToSingle(b1.AsInt32()), a1);
            a2 = Vector256.MultiplyAddEstimate(weight, Vector256.ConvertToSingle(b2.AsInt32()), a2);
            a3 = Vector256.MultiplyAddEstimate(weight, Vector256.ConvertToSingle(b3.AsInt32()), a3);
        }

        // Widen keeps the order: b0 holds bytes 0-7, b1 8-15, b2 16-23, b3 24-31.
        a0.Store(dst);
        a1.Store(dst + 8);
        a2.Store(dst + 16);
        a3.Store(dst + 24);
    }

    private static void VerticalScalar(byte* src, long rowBytes, int count, float* w, float* dst, int from, int to)
    {
        for (var j = from; j < to; j++)
        {
            var sum = 0f;
            var p = src + j;
            for (var k = 0; k < count; k++, p += rowBytes)
            {
                sum += w[k] * *p;
            }

            dst[j] = sum;
        }
    }

    /// <summary>Each crop pixel of a row, its three channels at once from its taps along the row; rounded, then to the B, G and R planes.</summary>
    private void Horizontal(float* row, float* weights, int* offsets, int* counts, float* blue)
    {
        var plane = Crop * Crop;
        var maxTaps = _cols.MaxTaps;
        for (var x = 0; x < Crop; x++)
        {
            var p = row + offsets[x];
            var w = weights + (x * maxTaps);
            var count = counts[x];
            var sum = Vector128<float>.Zero;
            for (var k = 0; k < count; k++, p += 3)
            {
                sum = Vector128.MultiplyAddEstimate(Vector128.Create(w[k]), Vector128.Load(p), sum);
            }

            // Round half to even, as the graph's Round (and torchvision's float path) does.
            sum = Vector128.Round(sum);
            blue[x] = sum.GetElement(0);
            blue[plane + x] = sum.GetElement(1);
            blue[(2 * plane) + x] = sum.GetElement(2);
        }
    }
}
