using AlexNet.Realtime.Capture.Readers.Libav;
using OpenCvSharp;

namespace AlexNet.Realtime.Capture.Readers;

/// <summary>
/// A decoded FFmpeg frame into 8-bit BGR for <see cref="LibavVideoReader"/>: plain limited-range
/// 4:2:0 with even sides through one I420 buffer and OpenCV's <c>cvtColor</c> (the same pixels as
/// <see cref="FfmpegVideoReader"/>), anything else through FFmpeg's scaler (bicubic, as the ffmpeg
/// program's default). Owns the scaler context and its buffers; used from the capture thread.
/// </summary>
internal sealed unsafe class LibavBgrConversion : IDisposable
{
    // What FFmpeg's scaler may write past a picture's last row (its vectors; see Convert), with margin.
    private const int ScalerOverrunBytes = 64;

    private IntPtr _scaler;
    private Mat? _i420;
    private Mat? _scaled;
    private SourceMatCalls? _fromI420;

    /// <summary>The last frame went through the I420 buffer and <c>cvtColor</c>, not FFmpeg's scaler.</summary>
    public bool ConvertsYuv { get; private set; }

    public void Convert(LibavApi av, IntPtr frame, IntPtr codec, Mat target, string origin)
    {
        var (width, height) = LibavLayout.FrameSize(frame);
        var format = LibavLayout.PixelFormat(frame);

        // The range through the codec context's AVOption, which FFmpeg stamps on the frame
        // (the frame's own field moves with each release; LibavLayout says more).
        var fullRange = format == LibavApi.PixelFormatYuvJ420P || av.CodecOption(codec, "color_range\0"u8, 0) == LibavApi.ColorRangeJpeg;
        ConvertsYuv = format == LibavApi.PixelFormatYuv420P && !fullRange && width % 2 == 0 && height % 2 == 0;
        if (ConvertsYuv)
        {
            // OpenCV's I420 conversion wants the three planes in one buffer, and FFmpeg's frame
            // pool allocates each plane on its own (with rows padded when the width needs it):
            // one copy of 1.5 bytes a pixel is the price, small beside the conversion itself.
            _i420 ??= new Mat();
            _i420.Create(height * 3 / 2, width, MatType.CV_8UC1);
            _fromI420 ??= new SourceMatCalls(_i420);
            var planes = LibavLayout.Planes(frame);
            var strides = LibavLayout.Linesizes(frame);
            var into = (byte*)_i420.Data;
            CopyPlane(planes[0], strides[0], into, width, height);
            into += width * height;
            CopyPlane(planes[1], strides[1], into, width / 2, height / 2);
            into += width / 2 * (height / 2);
            CopyPlane(planes[2], strides[2], into, width / 2, height / 2);
            _fromI420.I420ToBgr(target);
        }
        else
        {
            // Plain 4:2:0 flagged as full range: FFmpeg's scaler takes the range from the J format.
            var source = format == LibavApi.PixelFormatYuv420P && fullRange ? LibavApi.PixelFormatYuvJ420P : format;
            _scaler = av.ScaleGetCachedContext(_scaler, width, height, source, width, height, LibavApi.PixelFormatBgr24, LibavApi.SwsBicubic, IntPtr.Zero, IntPtr.Zero, null);
            if (_scaler == IntPtr.Zero)
            {
                throw new CaptureException($"{origin}: FFmpeg cannot convert its pixel format {format} to BGR");
            }

            // FFmpeg's scaler writes whole vectors, up to 16 bytes past the last row for some
            // widths (1928, 2056, 8200: 8 past a multiple of 16), so it writes into a buffer of
            // this type's with rows to spare, never straight into a frame whose memory ends at
            // its last pixel; then one copy into the frame.
            var rowBytes = width * 3;
            _scaled ??= new Mat();
            _scaled.Create(height + ((ScalerOverrunBytes + rowBytes - 1) / rowBytes), width, MatType.CV_8UC3);
            var into = (byte*)_scaled.Data;
            var stride = rowBytes;
            av.Scale(_scaler, LibavLayout.Planes(frame), LibavLayout.Linesizes(frame), 0, height, &into, &stride);
            target.Create(height, width, MatType.CV_8UC3);
            CopyPlane(into, rowBytes, (byte*)target.Data, rowBytes, height, (int)target.Step());
        }
    }

    /// <summary>Copies <paramref name="height"/> rows of <paramref name="width"/> bytes between buffers whose rows lie the given strides apart.</summary>
    private static void CopyPlane(byte* from, int stride, byte* to, int width, int height, int toStride = 0)
    {
        toStride = toStride == 0 ? width : toStride;
        if (stride == width && toStride == width)
        {
            Buffer.MemoryCopy(from, to, (long)width * height, (long)width * height);
            return;
        }

        for (var row = 0; row < height; row++)
        {
            Buffer.MemoryCopy(from + ((long)row * stride), to + ((long)row * toStride), width, width);
        }
    }

    /// <summary>Frees the scaler context (a reopened file makes a new one).</summary>
    public void FreeScaler(LibavApi av)
    {
        av.ScaleFreeContext(_scaler);
        _scaler = IntPtr.Zero;
    }

    public void Dispose()
    {
        _fromI420?.Dispose();
        _fromI420 = null;
        _i420?.Dispose();
        _i420 = null;
        _scaled?.Dispose();
        _scaled = null;
    }
}
