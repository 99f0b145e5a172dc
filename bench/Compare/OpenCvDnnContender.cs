using OpenCvSharp;
using OpenCvSharp.Dnn;

namespace AlexNet.Realtime.Bench.Compare;

/// <summary>OpenCV's DNN module: <c>ReadNetFromOnnx</c> on the nchw export, <c>BlobFromImage</c>, <c>Forward</c>.</summary>
internal sealed class OpenCvDnnContender : IContender
{
    private readonly Net _net;
    private readonly string _clip;

    public OpenCvDnnContender(string nchwModel, string clip, int threads)
    {
        Cv2.SetNumThreads(threads);
        _net = CvDnn.ReadNetFromOnnx(nchwModel) ?? throw new InvalidOperationException("OpenCV DNN could not read the model");
        _net.SetPreferableBackend(Backend.OPENCV);
        _net.SetPreferableTarget(Target.CPU);
        _clip = clip;
    }

    public string Name => "OpenCV DNN (CvDnn.ReadNetFromOnnx)";

    /// <summary>The contender, or why OpenCV's DNN module can't read the model (its int8 support covers some graphs only).</summary>
    public static bool TryCreate(string nchwModel, string clip, int threads, out OpenCvDnnContender? contender, out string? why)
    {
        try
        {
            contender = new OpenCvDnnContender(nchwModel, clip, threads);
            why = null;
            return true;
        }
        catch (Exception e) when (e is OpenCVException or InvalidOperationException)
        {
            contender = null;
            why = AlexNet.Realtime.Inference.ErrorText.FirstLine(e.Message);
            return false;
        }
    }

    public (double[] Milliseconds, int[] Top1) Run(int frames, int warmup)
    {
        using var reader = new ClipReader(_clip);
        using var frame = new Mat();
        return TimedLoop.Run(frames, warmup, () =>
        {
            reader.Read(frame);

            // The usual call: scale to 0..1, subtract the mean, swap to RGB, resize and center-crop
            // to 224 in one step (BlobFromImage cannot divide by a per-channel std).
            using var blob = CvDnn.BlobFromImage(frame, 1 / 255.0, new Size(224, 224), new Scalar(0.485, 0.456, 0.406), swapRB: true, crop: true);
            _net.SetInput(blob);
            using var logits = _net.Forward("logits");
            logits.MinMaxLoc(out _, out _, out _, out Point maxAt);
            return maxAt.X;
        });
    }

    public void Dispose() => _net.Dispose();
}
