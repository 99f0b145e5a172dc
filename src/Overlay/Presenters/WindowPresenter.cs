using OpenCvSharp;

namespace AlexNet.Realtime.Overlay.Presenters;

/// <summary>
/// An OpenCV highgui window the person can resize and make full screen (<c>f</c>); the picture
/// keeps its aspect ratio, with black bars where the window's shape differs. Keys: q or Esc quit,
/// space pauses, h toggles the timing panel, s saves a snapshot, f toggles full screen. Closing
/// the window with the window manager quits too.
/// </summary>
/// <remarks>
/// Whether the window was closed is asked in two ways because highgui's backends differ: Win32
/// and Qt answer <see cref="WindowPropertyFlags.Visible"/> (0 once closed), GTK answers -1 to it
/// ("not supported") and instead forgets the window when the window manager closes it, so a
/// property of a forgotten window reads -1. Asking right after <c>WaitKey</c>, which runs the
/// event loop, matters: the next <c>ImShow</c> would quietly make a new window of the same name.
/// </remarks>
public sealed class WindowPresenter : IPresenter
{
    private readonly string _title;
    private readonly Mat _fitted = new();
    private Mat? _inside;
    private Rect _fittedArea;
    private Size _fittedFrame;
    private bool _created;
    private bool _closed;
    private bool _seenVisible;
    private bool _fullscreen;
    private bool _sized;

    public WindowPresenter(string title)
    {
        _title = title;
    }

    /// <summary>The window's title, as the window manager shows it.</summary>
    public string Title => _title;

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
            presenter.Dispose();
            problem = Inference.ErrorText.FirstLine(e.Message);
            return null;
        }
    }

    public PresenterInput Present(Mat frame) => Show(frame);

    /// <summary>Shows a paused frame again, so the window keeps answering keys and repaints.</summary>
    public PresenterInput Refresh(Mat frame) => Show(frame);

    private PresenterInput Show(Mat frame)
    {
        if (_closed)
        {
            // Closed by the person: never make a new window behind their back.
            return PresenterInput.Quit;
        }

        Open();
        if (!_sized && !frame.Empty())
        {
            // A resizable window opens at the backend's default size: start at the frame's own.
            Cv2.ResizeWindow(_title, frame.Cols, frame.Rows);
            _sized = true;
        }

        Cv2.ImShow(_title, Fitted(frame));
        var key = Cv2.WaitKey(1);
        if (WasClosed())
        {
            _created = false;
            _closed = true;
            return PresenterInput.Quit;
        }

        switch (key & 0xFF)
        {
            case 'q' or 'Q' or 27:
                return PresenterInput.Quit;
            case ' ':
                return PresenterInput.TogglePause;
            case 'h' or 'H':
                return PresenterInput.ToggleTiming;
            case 's' or 'S':
                return PresenterInput.Snapshot;
            case 'f' or 'F':
                _fullscreen = !_fullscreen;
                Cv2.SetWindowProperty(_title, WindowPropertyFlags.Fullscreen, _fullscreen ? 1 : 0);
                return PresenterInput.None;
            default:
                return PresenterInput.None;
        }
    }

    /// <summary>
    /// The frame as it should fill the window's picture area: itself while the shapes agree (the
    /// backend scales it), else fitted inside a picture of the window's shape with black bars, so
    /// a backend that stretches to the window (Win32) still keeps the frame's aspect ratio.
    /// </summary>
    private Mat Fitted(Mat frame)
    {
        var area = Cv2.GetWindowImageRect(_title);
        if (area.Width <= 0 || area.Height <= 0 || frame.Empty())
        {
            return frame;
        }

        // Cross-multiplied, so a one-pixel rounding of the window's size is not a new shape.
        var frameAspect = (long)frame.Cols * area.Height;
        var areaAspect = (long)area.Width * frame.Rows;
        if (Math.Abs(frameAspect - areaAspect) <= Math.Max(area.Width, area.Height) * (long)Math.Max(frame.Cols, frame.Rows) / 100)
        {
            return frame;
        }

        // The bars and the picture's place are made again only when the window or the frame
        // changes shape; a frame then costs one resize into the place kept.
        if (_inside is null || _fittedArea != area || _fittedFrame != frame.Size())
        {
            var scale = Math.Min((double)area.Width / frame.Cols, (double)area.Height / frame.Rows);
            var width = Math.Max(1, (int)Math.Round(frame.Cols * scale));
            var height = Math.Max(1, (int)Math.Round(frame.Rows * scale));
            _inside?.Dispose();
            _fitted.Create(area.Height, area.Width, frame.Type());
            _fitted.SetTo(Scalar.Black);
            _inside = new Mat(_fitted, new Rect((area.Width - width) / 2, (area.Height - height) / 2, width, height));
            _fittedArea = area;
            _fittedFrame = frame.Size();
        }

        Cv2.Resize(frame, _inside, _inside.Size(), 0, 0, InterpolationFlags.Area);
        return _fitted;
    }

    private bool WasClosed()
    {
        try
        {
            var visible = Cv2.GetWindowProperty(_title, WindowPropertyFlags.Visible);
            if (visible > 0)
            {
                _seenVisible = true;
                return false;
            }

            if (visible == 0 && _seenVisible)
            {
                return true;
            }

            return Cv2.GetWindowProperty(_title, WindowPropertyFlags.AutoSize) < 0;
        }
        catch (OpenCVException)
        {
            // A backend that throws for a window it no longer has.
            return true;
        }
    }

    private void Open()
    {
        if (!_created)
        {
            Cv2.NamedWindow(_title, WindowFlags.Normal | WindowFlags.KeepRatio | WindowFlags.GuiNormal);
            _created = true;
        }
    }

    public void Complete()
    {
        if (_created)
        {
            _created = false;
            Cv2.DestroyWindow(_title);
            // The window goes away only when the event loop runs once more.
            Cv2.WaitKey(1);
        }
    }

    public void Dispose()
    {
        Complete();
        _inside?.Dispose();
        _fitted.Dispose();
    }
}
