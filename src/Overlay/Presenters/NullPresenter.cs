using OpenCvSharp;

namespace AlexNet.Realtime.Overlay.Presenters;

/// <summary>Discards frames (profiling the pipeline without a display).</summary>
public sealed class NullPresenter : IPresenter
{
    public PresenterInput Present(Mat frame) => PresenterInput.None;

    public void Complete()
    {
    }

    public void Dispose()
    {
    }
}
