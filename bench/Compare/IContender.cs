using OpenCvSharp;

namespace AlexNet.Realtime.Bench.Compare;

/// <summary>One way of turning the demo clip's frames into a top-5, timed frame by frame.</summary>
internal interface IContender : IDisposable
{
    string Name { get; }

    /// <summary>Runs <paramref name="frames"/> frames (decoding included) and returns each frame's time in ms and the top-1 classes.</summary>
    (double[] Milliseconds, int[] Top1) Run(int frames, int warmup);
}

/// <summary>Reads the demo clip again and again, frame after frame (the decoding the other ways do in their loop).</summary>
internal sealed class ClipReader(string path) : IDisposable
{
    private VideoCapture _capture = new(path);

    public bool Read(Mat frame)
    {
        if (_capture.Read(frame) && !frame.Empty())
        {
            return true;
        }

        _capture.Dispose();
        _capture = new VideoCapture(path);
        return _capture.Read(frame) && !frame.Empty();
    }

    public void Dispose() => _capture.Dispose();
}
