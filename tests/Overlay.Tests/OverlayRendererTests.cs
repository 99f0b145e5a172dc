using AlexNet.Realtime.Inference.Engine;
using AlexNet.Realtime.Overlay.Presenters;
using AlexNet.Realtime.Overlay.Profiling;
using AlexNet.Realtime.Overlay.Rendering;
using AlexNet.Realtime.TestSupport;
using OpenCvSharp;
using Xunit;

namespace AlexNet.Realtime.Overlay.Tests;

public sealed class OverlayRendererTests
{
    [Theory]
    [InlineData(640, 480)]
    [InlineData(1920, 1080)]
    public void Draw_MarksThePanelsAndAllocatesNothingOnceWarm(int width, int height)
    {
        using var frame = new Mat(height, width, MatType.CV_8UC3, new Scalar(90, 140, 40));
        using var original = frame.Clone();
        var prediction = Prediction.Create(5);
        var state = new OverlayState { Device = "CPU (2 threads)", Model = "alexnet.onnx", Precision = "int8", PrecisionWarning = "FORCED INT8: 90.0% top-1 agreement with fp32", SyntheticWeights = true, FramesPerSecond = 29.97, Dropped = 3 };
        state[Stage.Inference] = new StageStats(100, 9, 11.2, 12, 14.5, 15, 16, 11.4);
        var renderer = new OverlayRenderer();
        renderer.Draw(frame, prediction, state);

        var scale = height / 480.0;
        Assert.True(Changed(frame, original, new Rect((int)(16 * scale), (int)(16 * scale), (int)(200 * scale), (int)(30 * scale))) > 0.3, "no label panel");
        Assert.True(Changed(frame, original, new Rect(width - (int)(200 * scale), (int)(16 * scale), (int)(150 * scale), (int)(30 * scale))) > 0.3, "no status panel");
        Assert.True(Changed(frame, original, new Rect(0, height - (int)(20 * scale), width, (int)(10 * scale))) > 0.9, "no synthetic banner");
        Assert.True(Changed(frame, original, new Rect((width / 2) + 10, (height / 2) + 40, 40, 40)) == 0, "the middle of the picture changed");

        for (var i = 0; i < 10; i++)
        {
            renderer.Draw(frame, prediction, state);
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++)
        {
            state.Frame = i;
            state.FramesPerSecond = 30 + (i % 7);
            renderer.Draw(frame, prediction, state);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void Precision_DrawnOnTheModelLineOnly()
    {
        var prediction = Prediction.Create(5);
        using var noModel = Draw(prediction, new OverlayState { Device = "cpu" });
        using var without = Draw(prediction, new OverlayState { Device = "cpu", Model = "alexnet.onnx" });
        using var with = Draw(prediction, new OverlayState { Device = "cpu", Model = "alexnet.onnx", Precision = "int8" });

        // Between the device line and the source line (where the model's name is), and nothing outside the status panel.
        using var noDevice = Draw(prediction, new OverlayState { Model = "alexnet.onnx" });
        using var source = Draw(prediction, new OverlayState { Device = "cpu", Model = "alexnet.onnx", Source = "demo.mp4" });
        var deviceLine = Rows(without, noDevice);
        var sourceLine = Rows(source, without);
        var changed = Rows(with, without);
        Assert.NotEmpty(changed);
        Assert.NotEmpty(Rows(without, noModel));
        Assert.All(changed, row => Assert.InRange(row, deviceLine.Max() + 1, sourceLine.Min() - 1));
        Assert.True(Changed(with, without, new Rect(0, 0, 380, 480)) == 0, "something left of the status panel changed");
    }

    [Fact]
    public void PrecisionWarning_ABannerAboveTheSyntheticOne()
    {
        var prediction = Prediction.Create(5);
        using var synthetic = Draw(prediction, new OverlayState { SyntheticWeights = true });
        using var both = Draw(prediction, new OverlayState { SyntheticWeights = true, PrecisionWarning = "FORCED INT8: 90.0% top-1 agreement with fp32" });
        using var plain = Draw(prediction, new OverlayState());

        // The synthetic banner where it was; the warning's band, as tall, above it and red across the width.
        var syntheticRows = Rows(synthetic, plain);
        var warningRows = Rows(both, synthetic);
        Assert.NotEmpty(warningRows);
        Assert.True(warningRows.Max() < syntheticRows.Min(), $"the warning (rows {warningRows.Min()}-{warningRows.Max()}) is not above the synthetic banner (from row {syntheticRows.Min()})");
        Assert.Equal(syntheticRows.Count, warningRows.Count);
        var middle = (warningRows.Min() + warningRows.Max()) / 2;
        Assert.True(Changed(both, plain, new Rect(0, middle, 640, 1)) > 0.9, "the warning band does not cross the picture");
        Assert.True(both.At<Vec3b>(middle, 635).Item2 > 150, "the warning banner is not red");
    }

    [Fact]
    public void Threshold_LeavesOutLabelsBelowItAndSaysWhenNoneReachesIt()
    {
        var prediction = Prediction.Create(5);
        prediction.Fill([1, 2, 3, 4, 5], [0.5f, 0.3f, 0.1f, 0.06f, 0.04f], ["a", "b", "c", "d", "e", "f"]);
        var all = PanelBottom(prediction, new OverlayState());
        var two = PanelBottom(prediction, new OverlayState { Threshold = 0.3f });
        var none = PanelBottom(prediction, new OverlayState { Threshold = 0.6f });
        var smoothed = PanelBottom(prediction, new OverlayState { Smoothing = 0.8 });

        // Five rows, or two and the note, or one line and the note; the note under five rows.
        Assert.True(two < all, $"two rows shown end at {two}, five at {all}");
        Assert.True(none > 0 && none < two, $"no row shown ends at {none}, two at {two}");
        Assert.True(smoothed > all, $"five rows and the note end at {smoothed}, five at {all}");

        // "no label reaches 60%" is written in the panel: text where two rows' first label was.
        using var blank = Draw(prediction, new OverlayState { Threshold = 0.6f });
        using var dark = new Mat(480, 640, MatType.CV_8UC3, Background);
        Canvas.FillRect(dark, new Rect(0, 0, 640, 480), Bgr.Black, 0.55f);
        Assert.True(Changed(blank, dark, new Rect(16, 16, 200, 16)) > 0.05, "no text in the panel");
    }

    [Fact]
    public void ThresholdAndSmoothing_DrawAllocatesNothingOnceWarm()
    {
        using var frame = new Mat(480, 640, MatType.CV_8UC3, Background);
        var prediction = Prediction.Create(5);
        prediction.Fill([1, 2, 3, 4, 5], [0.5f, 0.3f, 0.1f, 0.06f, 0.04f], ["a", "b", "c", "d", "e", "f"]);
        var state = new OverlayState { Smoothing = 0.8, Threshold = 0.2f };
        var renderer = new OverlayRenderer();
        renderer.Draw(frame, prediction, state);
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++)
        {
            state.Threshold = i % 2 == 0 ? 0.2f : 0.9f;
            renderer.Draw(frame, prediction, state);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    private static readonly Scalar Background = new(90, 140, 40);

    private static Mat Draw(Prediction prediction, OverlayState state)
    {
        var frame = new Mat(480, 640, MatType.CV_8UC3, Background);
        new OverlayRenderer().Draw(frame, prediction, state);
        return frame;
    }

    /// <summary>The last row of the label panel: column 10 is inside its left margin, where nothing but the panel is drawn.</summary>
    private static int PanelBottom(Prediction prediction, OverlayState state)
    {
        using var frame = Draw(prediction, state);
        var background = new Vec3b(90, 140, 40);
        for (var y = 479; y >= 0; y--)
        {
            if (frame.At<Vec3b>(y, 10) != background)
            {
                return y;
            }
        }

        return 0;
    }

    [Fact]
    public void FillRect_OutsideTheFrame_IsClipped()
    {
        using var frame = new Mat(50, 50, MatType.CV_8UC3, Scalar.All(0));
        Canvas.FillRect(frame, new Rect(-20, 40, 100, 100), Bgr.White, 1f);
        Assert.Equal(255, frame.At<Vec3b>(45, 0).Item0);
        Assert.Equal(0, frame.At<Vec3b>(30, 10).Item0);
    }

    [Fact]
    public void Recording_CompletedIsKept_InterruptedIsDiscarded()
    {
        using var dir = new TempDirectory();
        using var frame = new Mat(120, 160, MatType.CV_8UC3, Scalar.All(128));
        using (var kept = new VideoFilePresenter(dir.File("kept.avi"), 25))
        {
            for (var i = 0; i < 10; i++)
            {
                kept.Present(frame);
            }

            kept.Complete();
        }

        using (var dropped = new VideoFilePresenter(dir.File("dropped.avi"), 25))
        {
            dropped.Present(frame);
        }

        Assert.Equal(["kept.avi"], Directory.GetFiles(dir.Path).Select(Path.GetFileName));
        using var capture = new VideoCapture(dir.File("kept.avi"));
        Assert.Equal(10, (int)capture.Get(VideoCaptureProperties.FrameCount));
    }

    [Fact]
    public void Recording_FramesOfAnotherSize_FittedIntoTheFirstWithBars()
    {
        using var dir = new TempDirectory();
        using var first = new Mat(120, 160, MatType.CV_8UC3, Scalar.All(200));
        using var tall = new Mat(120, 60, MatType.CV_8UC3, Scalar.All(200));
        using (var recording = new VideoFilePresenter(dir.File("mixed.avi"), 25))
        {
            recording.Present(first);
            recording.Present(tall);
            recording.Complete();
        }

        using var capture = new VideoCapture(dir.File("mixed.avi"));
        using var read = new Mat();
        Assert.True(capture.Read(read));
        Assert.True(capture.Read(read));
        Assert.Equal(new Size(160, 120), read.Size());

        // 60x120 fitted into 160x120: the picture in the middle 60 columns, black bars beside it.
        Assert.InRange(read.At<Vec3b>(60, 80).Item1, 190, 210);
        Assert.InRange(read.At<Vec3b>(60, 10).Item1, 0, 10);
        Assert.InRange(read.At<Vec3b>(60, 150).Item1, 0, 10);
        Assert.False(capture.Read(read));
    }

    [Fact]
    public void Recording_FramesFromAPool_WrittenWithoutAllocatingAndInOrder()
    {
        using var dir = new TempDirectory();
        var pool = Enumerable.Range(0, 3).Select(_ => new Mat(120, 160, MatType.CV_8UC3)).ToArray();
        try
        {
            long allocated = 0;
            using (var recording = new VideoFilePresenter(dir.File("pool.avi"), 25))
            {
                for (var i = 0; i < 130; i++)
                {
                    // each frame's grey level says which frame it is
                    pool[i % 3].SetTo(Scalar.All(i * 250.0 / 130));
                    if (i == 30)
                    {
                        allocated = GC.GetAllocatedBytesForCurrentThread();
                    }

                    recording.Present(pool[i % 3]);
                }

                allocated = GC.GetAllocatedBytesForCurrentThread() - allocated;
                recording.Complete();
            }

            // Under a byte a frame: a wrapper a frame (what VideoWriter.Write(Mat) makes) is 24 B or more.
            Assert.True(allocated < 100, $"100 frames allocated {allocated} B");
            using var capture = new VideoCapture(dir.File("pool.avi"));
            using var read = new Mat();
            for (var i = 0; i < 130; i++)
            {
                Assert.True(capture.Read(read), $"frame {i} missing");
                Assert.InRange(read.At<Vec3b>(60, 80).Item1, (i * 250.0 / 130) - 6, (i * 250.0 / 130) + 6);
            }
        }
        finally
        {
            foreach (var mat in pool)
            {
                mat.Dispose();
            }
        }
    }

    /// <summary>The rows in which two frames differ.</summary>
    private static List<int> Rows(Mat a, Mat b)
    {
        var rows = new List<int>();
        var (height, width) = (a.Rows, a.Cols);
        for (var y = 0; y < height; y++)
        {
            if (Changed(a, b, new Rect(0, y, width, 1)) > 0)
            {
                rows.Add(y);
            }
        }

        return rows;
    }

    private static double Changed(Mat a, Mat b, Rect area)
    {
        var changed = 0;
        for (var y = area.Top; y < area.Bottom; y++)
        {
            for (var x = area.Left; x < area.Right; x++)
            {
                if (a.At<Vec3b>(y, x) != b.At<Vec3b>(y, x))
                {
                    changed++;
                }
            }
        }

        return changed / (double)(area.Width * area.Height);
    }
}
