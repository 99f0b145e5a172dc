using OpenCvSharp;

namespace AlexNet.Realtime.Overlay.Presenters;

/// <summary>Several presenters at once (a window and a recording); owns them.</summary>
public sealed class PresenterSet(IPresenter[] presenters) : IPresenter
{
    public PresenterInput Present(Mat frame)
    {
        // A for loop over the array: no enumerator per frame.
        var input = PresenterInput.None;
        for (var i = 0; i < presenters.Length; i++)
        {
            input |= presenters[i].Present(frame);
        }

        return input;
    }

    public PresenterInput Refresh(Mat frame)
    {
        var input = PresenterInput.None;
        for (var i = 0; i < presenters.Length; i++)
        {
            input |= presenters[i].Refresh(frame);
        }

        return input;
    }

    public void Complete()
    {
        foreach (var presenter in presenters)
        {
            presenter.Complete();
        }
    }

    public void Dispose()
    {
        foreach (var presenter in presenters)
        {
            presenter.Dispose();
        }
    }
}
