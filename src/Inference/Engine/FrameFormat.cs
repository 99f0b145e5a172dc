using OpenCvSharp;

namespace AlexNet.Realtime.Inference.Engine;

/// <summary>
/// Brings any 8-bit frame to what the graph takes: continuous BGR, 3 channels. A continuous
/// BGR frame (every camera and decoder frame) is used as it is, with no copy; grey, BGRA and
/// ROI views are converted into a scratch Mat the caller owns and reuses.
/// </summary>
internal static class FrameFormat
{
    public const int MaxSide = 16384;

    public static Mat ToContinuousBgr(Mat frame, Mat scratch) => ToBgr(frame, scratch, continuous: true);

    /// <param name="continuous">False: a BGR view with padded rows (a ROI) is returned as it is, for a reader that takes the row step.</param>
    public static Mat ToBgr(Mat frame, Mat scratch, bool continuous)
    {
        ArgumentNullException.ThrowIfNull(frame);
        if (frame.IsDisposed)
        {
            throw new ObjectDisposedException(nameof(frame), "the frame was disposed before it was classified");
        }

        if (frame.Empty() || frame.Rows < 1 || frame.Cols < 1)
        {
            throw new InferenceException("empty frame (0 pixels): nothing to classify");
        }

        if (frame.Rows > MaxSide || frame.Cols > MaxSide)
        {
            throw new InferenceException($"frame {frame.Cols}x{frame.Rows} is larger than {MaxSide} pixels on a side");
        }

        if (frame.Dims != 2 || frame.Depth() != MatType.CV_8U)
        {
            throw new InferenceException($"unsupported frame type {frame.Type()}: expected 8-bit grey, BGR or BGRA");
        }

        switch (frame.Channels())
        {
            case 3 when !continuous || frame.IsContinuous():
                return frame;
            case 3:
                frame.CopyTo(scratch);
                return scratch;
            case 1:
                Cv2.CvtColor(frame, scratch, ColorConversionCodes.GRAY2BGR);
                return scratch;
            case 4:
                Cv2.CvtColor(frame, scratch, ColorConversionCodes.BGRA2BGR);
                return scratch;
            default:
                throw new InferenceException($"unsupported frame with {frame.Channels()} channels: expected grey, BGR or BGRA");
        }
    }
}
