namespace AlexNet.Realtime.Inference.Preprocessing;

/// <summary>The crop's geometry as torchvision computes it, and the resizer a model's contract asks for.</summary>
internal static class CropGeometry
{
    /// <summary>The full resize's size per axis and the crop's offsets in it: long side int(256 * long / short), offsets rounded half to even.</summary>
    public static (ResizeTaps Rows, ResizeTaps Cols) Taps(int height, int width, int resizeShorter, int crop)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(crop, 1);
        var shorter = Math.Min(height, width);
        var resizedH = (int)((long)resizeShorter * height / shorter);
        var resizedW = (int)((long)resizeShorter * width / shorter);
        var top = (int)Math.Round((resizedH - crop) / 2.0, MidpointRounding.ToEven);
        var left = (int)Math.Round((resizedW - crop) / 2.0, MidpointRounding.ToEven);
        return (new ResizeTaps(height, resizedH, top, crop), new ResizeTaps(width, resizedW, left, crop));
    }

    /// <summary>
    /// Whether this CPU runs the resizers' 256-bit vectors in hardware (x64 with AVX2). Elsewhere
    /// (ARM64's vectors are 128 bits) .NET emulates them, untested for speed, so the engine leaves
    /// the resize to the graph there.
    /// </summary>
    public static bool Fast => System.Runtime.Intrinsics.Vector256.IsHardwareAccelerated;

    public static ICropResizer For(int height, int width, int resizeShorter, int crop, bool pilExact) =>
        pilExact ? new PilCropResizer(height, width, resizeShorter, crop) : new CropResizer(height, width, resizeShorter, crop);
}
