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
        var port = FreePort();
        var url = $"http://127.0.0.1:{port}/stream.mjpg";
        using var ffmpeg = Process.Start(new ProcessStartInfo("ffmpeg", ["-loglevel", "error", "-re", "-i", AppModels.DemoClip, "-an", "-f", "mpjpeg", "-q:v", "5", "-listen", "1", url])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        })!;
        try
        {
            using var engine = ClassifierEngine.Open(models.MiniFrames, new EngineOptions { Device = Inference.Devices.DeviceRequest.Cpu });
            var options = new CaptureOptions { BackoffInitial = TimeSpan.FromMilliseconds(100), BackoffMax = TimeSpan.FromMilliseconds(300), ReadTimeout = TimeSpan.FromSeconds(5), MaxReconnects = 40 };
            using var source = new FrameSource(SourceSpec.Parse(url), options);
            Assert.Equal(HandoffPolicy.Latest, source.Policy);
            source.Start();
            var classified = 0;
            var deadline = Stopwatch.StartNew();
            while (classified < 10 && deadline.Elapsed < TimeSpan.FromSeconds(30))
            {
                if (!source.TryTake(TimeSpan.FromSeconds(1), out var frame))
                {
                    Assert.NotEqual(SourceState.Failed, source.State);
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
        finally
        {
            if (!ffmpeg.HasExited)
            {
                ffmpeg.Kill(entireProcessTree: true);
            }

            ffmpeg.WaitForExit(5000);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
