using OpenCvSharp;

namespace AlexNet.Realtime.Inference.Engine;

/// <summary>
/// The CPU's path where the model names a crop_levels tensor: each frame is resized and cropped
/// here, read where it lies (rows may be padded), straight into its place in the network's input
/// (<see cref="HostInput"/>), and the session runs the network alone. Frames of any sizes go in one
/// run: each becomes a crop of the same size.
/// </summary>
/// <remarks>Owns its <see cref="HostInput"/> (buffer, bindings, resizers); in steady state a frame allocates nothing.</remarks>
internal sealed class HostCropRunner : FrameRunner
{
    private readonly HostInput _host;

    public HostCropRunner(EngineSession session, RunControl control, Answers answers)
        : base(session, control, answers)
    {
        _host = new HostInput(session.Session, session.Contract, session.Options.MaxBatch);
    }

    public override void Classify(Mat frame)
    {
        var bgr = FrameFormat.ToBgr(frame, Scratch, continuous: false);
        var outputs = Outputs(1);
        lock (Control.Lock)
        {
            Control.ThrowIfUnusable();
            _host.Resize(0, bgr);
            Control.Run(Session, _host.Binding(1, outputs), null);
        }

        Answers.Fill(outputs, 0, 1);
    }

    /// <summary>Every frame resized into its place in the network's input, then one run.</summary>
    public override void ClassifyBatch(IReadOnlyList<Mat> frames)
    {
        var n = frames.Count;
        var outputs = Outputs(n);
        lock (Control.Lock)
        {
            Control.ThrowIfUnusable();
            for (var i = 0; i < n; i++)
            {
                var frame = frames[i] ?? throw new ArgumentException($"frame {i} of the batch is null", nameof(frames));
                _host.Resize(i, FrameFormat.ToBgr(frame, BatchScratch(i), continuous: false));
            }

            Control.Run(Session, _host.Binding(n, outputs), null);
        }

        Answers.Fill(outputs, 0, n);
    }

    public override void Dispose()
    {
        // Bindings go before the output sets they bind.
        _host.Dispose();
        base.Dispose();
    }
}
