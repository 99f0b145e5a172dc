using AlexNet.Realtime.Inference.Engine;

namespace AlexNet.Realtime.App.Live;

/// <summary>
/// The live loop's label smoothing (<c>--smoothing</c>): one <see cref="PredictionSmoother"/>,
/// started over wherever the frames stop being one scene.
/// </summary>
/// <remarks>
/// The average is per frame classified, not per second: the weight is what the issue and other
/// tools (jetson-inference's imagenet) name, and at a steady rate it is a time constant
/// (history 0.8 at 30 frames/s: 90% of a change shown within 10 frames, a third of a second).
/// A loop slower than its camera (frames dropped) smooths over more time; a weight from each
/// frame's timestamp, exp(-dt/tau), would hold the time constant, at the price of an option in
/// seconds rather than the weight users know. Pausing keeps the average (no frames are taken).
/// </remarks>
internal sealed class SteadyLabels
{
    private readonly PredictionSmoother _smoother;
    private string? _origin;
    private long _frameInOrigin = -1;

    public SteadyLabels(int numClasses, int k, double history)
    {
        _smoother = new PredictionSmoother(numClasses, k, history);
    }

    public double History => _smoother.History;

    /// <summary>The smoothed answer for frame <paramref name="frameInOrigin"/> of <paramref name="origin"/> (see <see cref="Capture.CapturedFrame"/>).</summary>
    public Prediction Next(string origin, long frameInOrigin, Prediction raw)
    {
        // Another file (each image of a folder is its own: unrelated pictures), a video that
        // looped back to its start, or a source opened again after a failure (a reader counts
        // from 0 again when it opens): the frames before are another scene.
        if (!string.Equals(origin, _origin, StringComparison.Ordinal) || frameInOrigin <= _frameInOrigin)
        {
            _smoother.Reset();
        }

        _origin = origin;
        _frameInOrigin = frameInOrigin;
        return _smoother.Update(raw);
    }
}
