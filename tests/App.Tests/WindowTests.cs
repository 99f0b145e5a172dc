using System.Diagnostics;
using AlexNet.Realtime.TestSupport;
using OpenCvSharp;
using Xunit;

namespace AlexNet.Realtime.App.Tests;

/// <summary>One X server with a window manager for the window tests of a class, or why there is none.</summary>
public sealed class WindowDisplay : IDisposable
{
    public WindowDisplay()
    {
        Missing = XDisplay.MissingReason;
        if (Missing is null)
        {
            Display = XDisplay.Start(windowManager: true);
        }
    }

    public XDisplay? Display { get; }

    public string? Missing { get; }

    public void Dispose() => Display?.Dispose();
}

/// <summary>
/// live mode in a real window under Xvfb and openbox, driven as a person drives it: keys pressed
/// through the X server, the window closed through the window manager, the screen read back.
/// </summary>
[Collection("App")]
public sealed class WindowTests(AppModels models, WindowDisplay x) : IClassFixture<WindowDisplay>
{
    private static readonly TimeSpan Start = TimeSpan.FromSeconds(60);
    private const string Title = "^alexnet-rt: tv_mini\\.onnx \\(fp32\\) on ";

    private static string Still => Path.Combine(Fixtures.RepositoryRoot, "samples", "frame-640x480.jpg");

    [SkippableFact]
    public void FramesGiven_WindowStaysOpenForTheWholeRun()
    {
        var display = Need();
        using var app = Launch(display, "live", "--source", "synthetic", "--fps", "30", "--frames", "60");
        var seen = new List<(TimeSpan At, bool Present)>();
        var clock = Stopwatch.StartNew();
        var window = display.WaitForWindow(Title, Start);
        Assert.True(window is not null, $"no window appeared; stderr: {string.Join(" | ", app.Stderr)}");
        while (!app.HasExited)
        {
            seen.Add((clock.Elapsed, display.FindWindows(Title).Count == 1));
            Thread.Sleep(50);
        }

        var (code, stderr, _) = app.WaitForExit(Start);
        Assert.True(code == 0, string.Join(" | ", stderr));
        Assert.Contains(stderr, line => line.StartsWith("alexnet-rt: 60 frames in ", StringComparison.Ordinal));
        // 60 frames of a 30 frames/s source keep the window up about two seconds: it must be there
        // all along (gone only at the very end), not flash once and close.
        var present = seen.Where(look => look.Present).Select(look => look.At).ToList();
        var firstGone = seen.FindIndex(look => !look.Present);
        Assert.True(firstGone == -1 || seen.Skip(firstGone).All(look => !look.Present), $"the window went away and came back: {string.Join("", seen.Select(look => look.Present ? '1' : '0'))}");
        Assert.True(present.Count >= 2 && present[^1] - present[0] >= TimeSpan.FromSeconds(1.2), $"the window was up for {(present.Count < 2 ? TimeSpan.Zero : present[^1] - present[0]).TotalSeconds:0.0} s of a 2 s run");
        Assert.Empty(display.FindWindows(Title));
    }

    [SkippableTheory]
    [InlineData("q")]
    [InlineData("Escape")]
    public void QuitKey_EndsTheRunCleanly(string key)
    {
        var display = Need();
        using var app = Launch(display, "live", "--source", "synthetic", "--fps", "30");
        var window = display.WaitForWindow(Title, Start) ?? throw new Xunit.Sdk.XunitException("no window appeared");
        Thread.Sleep(1000);
        Assert.False(app.HasExited, "the run ended by itself before the key");
        display.PressKeys(window, key);
        var (code, stderr, _) = app.WaitForExit(TimeSpan.FromSeconds(20));
        Assert.True(code == 0, string.Join(" | ", stderr));
        Assert.Contains(stderr, line => line.Contains(" frames in ", StringComparison.Ordinal));
        Assert.Empty(display.FindWindows(Title));
    }

    [SkippableFact]
    public void WindowManagerCloses_RunEndsAndTheRecordingIsComplete()
    {
        var display = Need();
        using var dir = new TempDirectory();
        var recording = dir.File("out.mp4");
        using var app = Launch(display, "live", "--source", "synthetic", "--fps", "30", "--record", recording);
        var window = display.WaitForWindow(Title, Start) ?? throw new Xunit.Sdk.XunitException("no window appeared");
        Thread.Sleep(1500);
        display.CloseWithWindowManager(window);
        var (code, stderr, _) = app.WaitForExit(TimeSpan.FromSeconds(20));
        Assert.True(code == 0, string.Join(" | ", stderr));
        var summary = Assert.Single(stderr, line => line.Contains(" frames in ", StringComparison.Ordinal));
        var frames = long.Parse(summary.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(frames > 0, summary);
        Assert.Equal(["out.mp4"], Directory.GetFiles(dir.Path).Select(Path.GetFileName));
        using var video = new VideoCapture(recording);
        using var frame = new Mat();
        var read = 0;
        while (video.Read(frame) && !frame.Empty())
        {
            read++;
        }

        Assert.Equal(frames, read);
    }

    [SkippableFact]
    public void Keys_PauseSnapshotTimingFullScreenAndResizeDoWhatTheySay()
    {
        var display = Need();
        using var dir = new TempDirectory();
        var last = dir.File("last.png");
        using var app = Launch(display, "live", "--source", Still, "--loop", "--max-fps", "20", "--snapshot", last);
        var window = display.WaitForWindow(Title, Start) ?? throw new Xunit.Sdk.XunitException("no window appeared");
        var title = Assert.Single(display.FindWindows("frame-640x480\\.jpg"));
        Assert.Equal(window, title);
        Thread.Sleep(1500);
        Assert.Equal((640, 480), display.WindowSize(window));

        // Space pauses: the picture stops changing (its frame counter and FPS would move) and says so.
        display.PressKeys(window, "space");
        var paused = Steady(display, window) ?? throw new Xunit.Sdk.XunitException("space: the picture kept changing");

        // s saves the picture on screen, and says where, once; the screen shows exactly those pixels.
        display.PressKeys(window, "s");
        var said = app.WaitForLine("alexnet-rt: snapshot: ", TimeSpan.FromSeconds(10)) ?? throw new Xunit.Sdk.XunitException("no snapshot line");
        var snapshotPath = said["alexnet-rt: snapshot: ".Length..];
        Assert.Equal(dir.Path, Path.GetDirectoryName(snapshotPath));
        using var snapshot = Cv2.ImRead(snapshotPath);
        Assert.Equal((640, 480), (snapshot.Cols, snapshot.Rows));
        Assert.True(MeanAbsDiff(paused, snapshot, new Rect(0, 0, 640, 480)) < 0.5, "the window does not show the frame the overlay drew");
        Assert.True(AmberPixels(snapshot, new Rect(120, 200, 400, 80)) > 200, "no PAUSED badge in the middle of the paused picture");

        // Space again resumes: the counters move.
        display.PressKeys(window, "space");
        Assert.True(WaitFor(() => !paused.Bgr.AsSpan().SequenceEqual(display.Capture(window).Bgr)), "space again: the picture stayed as it was");

        // h hides the timing rows: that part of the picture is the photo itself again.
        using var photo = Cv2.ImRead(Still);
        var timingRows = new Rect(500, 100, 120, 100);
        Assert.True(MeanAbsDiff(paused, photo, timingRows) > 15, "the timing panel was not drawn to begin with");
        display.PressKeys(window, "h");
        Assert.True(WaitFor(() => MeanAbsDiff(display.Capture(window), photo, timingRows) < 3), "h did not hide the timing panel");

        // f: full screen and back.
        display.PressKeys(window, "f");
        Assert.True(WaitFor(() => display.WindowSize(window) == (XDisplay.Width, XDisplay.Height)), $"f: the window is {display.WindowSize(window)}, not the screen");
        display.PressKeys(window, "f");
        Assert.True(WaitFor(() => display.WindowSize(window) == (640, 480)), $"f again: the window is {display.WindowSize(window)}");

        // Resized to another shape, the picture keeps its aspect ratio: centred, scaled, bars beside it.
        display.PressKeys(window, "space");
        using var before = ToMat(Steady(display, window) ?? throw new Xunit.Sdk.XunitException("space: the picture kept changing"));
        display.Resize(window, 900, 400);
        Assert.True(WaitFor(() => display.WindowSize(window) == (900, 400)), $"the window is {display.WindowSize(window)} after resizing");
        using var wide = ToMat(Steady(display, window, (900, 400)) ?? throw new Xunit.Sdk.XunitException("the resized window's picture kept changing"));
        using var middle = new Mat(wide, new Rect((900 - 533) / 2, 0, 533, 400));
        using var reference = new Mat();
        Cv2.Resize(before, reference, new Size(533, 400), 0, 0, InterpolationFlags.Area);
        var off = MeanAbsDiff(middle, reference);
        Assert.True(off < 6, $"the picture is not the paused frame scaled into the middle (mean |diff| {off:0.0})");
        using var bars = new Mat(wide, new Rect(0, 0, 150, 400));
        Cv2.MeanStdDev(bars, out _, out var spread);
        Assert.True(spread.Val0 < 2 && spread.Val1 < 2 && spread.Val2 < 2, "the sides of a wide window are not plain bars");

        display.PressKeys(window, "q");
        var (code, stderr, _) = app.WaitForExit(TimeSpan.FromSeconds(20));
        Assert.True(code == 0, string.Join(" | ", stderr));
        Assert.Single(stderr, line => line.StartsWith("alexnet-rt: snapshot: ", StringComparison.Ordinal));
        Assert.True(File.Exists(last), "--snapshot was not written at the end");
    }

    private XDisplay Need()
    {
        Skip.If(x.Missing is not null, x.Missing);
        return x.Display!;
    }

    private AppProcess Launch(XDisplay display, params string[] args) =>
        AppProcess.Start(new Dictionary<string, string> { ["DISPLAY"] = display.Name, ["ALEXNET_RT_OFFLINE"] = "1" }, [.. args, "--model", models.MiniFrames, "--device", "cpu"]);

    /// <summary>The window's picture once two looks 300 ms apart agree (a paused loop repaints the same frame); null if it keeps changing for 10 s.</summary>
    private static XwdImage? Steady(XDisplay display, string window, (int Width, int Height)? size = null)
    {
        var clock = Stopwatch.StartNew();
        var last = display.Capture(window);
        while (clock.Elapsed < TimeSpan.FromSeconds(10))
        {
            Thread.Sleep(300);
            var now = display.Capture(window);
            if (now.Bgr.AsSpan().SequenceEqual(last.Bgr) && (size is null || (now.Width, now.Height) == size))
            {
                return now;
            }

            last = now;
        }

        return null;
    }

    private static bool WaitFor(Func<bool> condition)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(5))
        {
            if (condition())
            {
                return true;
            }

            Thread.Sleep(100);
        }

        return false;
    }

    private static Mat ToMat(XwdImage image)
    {
        var mat = new Mat(image.Height, image.Width, MatType.CV_8UC3);
        System.Runtime.InteropServices.Marshal.Copy(image.Bgr, 0, mat.Data, image.Bgr.Length);
        return mat;
    }

    private static double MeanAbsDiff(XwdImage screen, Mat image, Rect area)
    {
        using var shown = ToMat(screen);
        using var a = new Mat(shown, area);
        using var b = new Mat(image, area);
        return MeanAbsDiff(a, b);
    }

    private static double MeanAbsDiff(Mat a, Mat b)
    {
        using var diff = new Mat();
        Cv2.Absdiff(a, b, diff);
        var mean = Cv2.Mean(diff);
        return (mean.Val0 + mean.Val1 + mean.Val2) / 3;
    }

    private static int AmberPixels(Mat image, Rect area)
    {
        using var region = new Mat(image, area);
        using var mask = new Mat();
        Cv2.InRange(region, new Scalar(0, 150, 215), new Scalar(90, 230, 255), mask);
        return Cv2.CountNonZero(mask);
    }
}
