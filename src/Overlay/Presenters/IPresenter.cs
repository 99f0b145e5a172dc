using OpenCvSharp;

namespace AlexNet.Realtime.Overlay.Presenters;

/// <summary>Keys a presenter reports back to the frame loop.</summary>
[Flags]
public enum PresenterInput
{
    None = 0,
    Quit = 1,
    TogglePause = 2,
    ToggleTiming = 4,
    Snapshot = 8,
}

/// <summary>Where an overlaid frame goes: a window, a video file, a status line, nowhere.</summary>
public interface IPresenter : IDisposable
{
    /// <summary>Shows or stores the frame; returns the keys pressed since the last call.</summary>
    PresenterInput Present(Mat frame);

    /// <summary>
    /// Shows a frame already presented once more (the run is paused) and returns the keys
    /// pressed; not a new frame, so a presenter that stores frames stores nothing.
    /// </summary>
    PresenterInput Refresh(Mat frame) => PresenterInput.None;

    /// <summary>Flushes and closes what was written (a video file becomes complete here).</summary>
    void Complete();
}
