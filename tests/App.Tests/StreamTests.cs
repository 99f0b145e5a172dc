using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using AlexNet.Realtime.Capture;
using AlexNet.Realtime.Inference.Engine;
using Xunit;

namespace AlexNet.Realtime.App.Tests;

/// <summary>An HTTP MJPEG stream served by ffmpeg on 127.0.0.1, read and classified.</summary>
[Collection("App")]
public sealed class StreamTests(AppModels models)
{
    [SkippableFact]
    public void HttpMjpegStream_IsReadAndClassified()
    {
        Skip.IfNot(Capture.Readers.FfmpegPipeReader.Available, "ffmpeg is not installed (test.sh installs it with apt-get when run as root)");
        using var engine = ClassifierEngine.Open(models.MiniFrames, new EngineOptions { Device = Inference.Devices.DeviceRequest.Cpu });

        // The port is free when picked but not held: another test's server can take it before
        // ffmpeg binds it (the test projects run side by side), and ffmpeg then exits at once. A
        // server that is gone within its first second is started again on another port.
        for (var attempt = 1; ; attempt++)
        {
            var url = $"http://127.0.0.1:{FreePort()}/stream.mjpg";
            using var ffmpeg = Process.Start(new ProcessStartInfo("ffmpeg", ["-loglevel", "error", "-re", "-i", AppModels.DemoClip, "-an", "-f", "mpjpeg", "-q:v", "5", "-listen", "1", url])
            {
                RedirectStandardError = true,
                RedirectStandardOutput = true,
            })!;
            var errors = ffmpeg.StandardError.ReadToEndAsync();
            try
            {
                if (ffmpeg.WaitForExit(1000) && attempt < 3)
                {
                    continue;
                }

                if (ffmpeg.HasExited)
                {
                    Assert.Fail($"ffmpeg's server exited at once: {errors.Result}");
                }

                ReadAndClassifyTen(engine, url, () => errors.IsCompleted ? errors.Result : "(ffmpeg still running)");
                return;
            }
            finally
            {
                if (!ffmpeg.HasExited)
                {
                    ffmpeg.Kill(entireProcessTree: true);
                }

                ffmpeg.WaitForExit(5000);
            }
        }
    }

    private static void ReadAndClassifyTen(ClassifierEngine engine, string url, Func<string> ffmpegErrors)
    {
        // ffmpeg's -listen 1 serves one client and exits when it leaves, so a read that gave up
        // early would leave nothing to reconnect to: the read waits 30 s for a frame.
        var options = new CaptureOptions { BackoffInitial = TimeSpan.FromMilliseconds(100), BackoffMax = TimeSpan.FromMilliseconds(300), ReadTimeout = TimeSpan.FromSeconds(30), MaxReconnects = 40 };
        using var source = new FrameSource(SourceSpec.Parse(url), options);
        Assert.Equal(HandoffPolicy.Latest, source.Policy);
        source.Start();
        var classified = 0;
        var deadline = Stopwatch.StartNew();
        while (classified < 10 && deadline.Elapsed < TimeSpan.FromSeconds(60))
        {
            if (!source.TryTake(TimeSpan.FromSeconds(1), out var frame))
            {
                if (source.State == SourceState.Failed)
                {
                    Assert.Fail($"the stream failed after {classified} frames ({source.Problem}; {source.Reconnects} reconnects); ffmpeg: {ffmpegErrors()}");
                }

                continue;
            }

            Assert.Equal(640, frame!.Image.Cols);
            var prediction = engine.Classify(frame.Image);
            Assert.InRange(prediction.Indices[0], 0, 9);
            Assert.InRange(prediction.Probabilities[0], 0.1f, 1f);
            source.Return(frame);
            classified++;
        }

        Assert.Equal(10, classified);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
