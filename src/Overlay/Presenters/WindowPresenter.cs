using OpenCvSharp;

namespace AlexNet.Realtime.Overlay.Presenters;

/// <summary>
/// An OpenCV highgui window. Keys: q or Esc quit, space pauses, h toggles the timing panel,
/// s saves a snapshot.
/// </summary>
public sealed class WindowPresenter : IPresenter
{
    private readonly string _title;
    private bool _created;

    public WindowPresenter(string title)
    {
        _title = title;
    }

    /// <summary>True when a window can be opened: a display on Linux, always on Windows and macOS.</summary>
    public static bool DisplayAvailable =>
        !OperatingSystem.IsLinux()
        || !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("DISPLAY"))
        || !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("WAYLAND_DISPLAY"));

    /// <summary>
    /// Opens a window now, or says why it can't: a display named in <c>DISPLAY</c> that can't be
    /// reached (a stale SSH session) fails only here, in GTK, and the caller can go headless.
    /// </summary>
    public static WindowPresenter? TryOpen(string title, out string? problem)
    {
        var presenter = new WindowPresenter(title);
        try
        {
            presenter.Open();
            problem = null;
            return presenter;
        }
        catch (OpenCVException e)
        {
            problem = Inference.ErrorText.FirstLine(e.Message);
            return null;
        }
    }

    public PresenterInput Present(Mat frame)
    {
        Open();

        Cv2.ImShow(_title, frame);
        var key = Cv2.WaitKey(1);
        if (_created && Cv2.GetWindowProperty(_title, WindowPropertyFlags.Visible) < 1)
        {
            return PresenterInput.Quit;
        }

        return (key & 0xFF) switch
        {
            'q' or 'Q' or 27 => PresenterInput.Quit,
            ' ' => PresenterInput.TogglePause,
            'h' or 'H' => PresenterInput.ToggleTiming,
            's' or 'S' => PresenterInput.Snapshot,
            _ => PresenterInput.None,
        };
    }

    private void Open()
    {
        if (!_created)
        {
            Cv2.NamedWindow(_title, WindowFlags.AutoSize);
            _created = true;
        }
    }

    public void Complete()
    {
        if (_created)
        {
            Cv2.DestroyWindow(_title);
            _created = false;
        }
    }

    public void Dispose() => Complete();
}
