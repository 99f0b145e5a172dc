using System.Net;
using System.Net.Sockets;
using System.Text;
using OpenCvSharp;

namespace AlexNet.Realtime.Capture.Tests;

/// <summary>
/// A one-client MJPEG server on 127.0.0.1 that says exactly what a test scripts: parts with or
/// without Content-Length, a lying Content-Length, or silence. (ffmpeg's own server cannot be
/// told to misbehave, and is not on every machine.)
/// </summary>
internal sealed class MjpegTestServer : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _serving;

    /// <param name="parts">What to send after the response headers, one entry a part (part index in, bytes out); null ends the stream, and <see cref="Stall"/> goes silent.</param>
    public MjpegTestServer(Func<int, byte[]?> parts)
    {
        _listener.Start();
        _serving = Task.Run(() => Serve(parts));
    }

    /// <summary>Returned by a script: send nothing more, keep the connection open.</summary>
    public static readonly byte[] Stall = [];

    public Uri Url => new($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/stream.mjpg");

    public static byte[] Jpeg { get; } = MakeJpeg();

    public static byte[] Part(byte[] jpeg, bool withLength = true, string? lengthHeader = null)
    {
        var headers = "--frame\r\nContent-Type: image/jpeg\r\n" + (lengthHeader ?? (withLength ? $"Content-Length: {jpeg.Length}\r\n" : "")) + "\r\n";
        return [.. Encoding.ASCII.GetBytes(headers), .. jpeg, .. "\r\n"u8];
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        try
        {
            _serving.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
            // the client went away mid-write: expected when a test stops reading
        }

        _stop.Dispose();
    }

    private async Task Serve(Func<int, byte[]?> parts)
    {
        using var client = await _listener.AcceptTcpClientAsync(_stop.Token);
        await using var stream = client.GetStream();
        var request = new byte[4096];
        var read = 0;
        while (!Encoding.ASCII.GetString(request, 0, read).Contains("\r\n\r\n", StringComparison.Ordinal))
        {
            read += await stream.ReadAsync(request.AsMemory(read), _stop.Token);
        }

        await stream.WriteAsync("HTTP/1.1 200 OK\r\nContent-Type: multipart/x-mixed-replace; boundary=frame\r\nConnection: close\r\n\r\n"u8.ToArray(), _stop.Token);
        for (var i = 0; ; i++)
        {
            var part = parts(i);
            if (part is null)
            {
                return;
            }

            if (ReferenceEquals(part, Stall))
            {
                await Task.Delay(Timeout.Infinite, _stop.Token).ContinueWith(_ => { }, TaskScheduler.Default);
                return;
            }

            await stream.WriteAsync(part, _stop.Token);
        }
    }

    private static byte[] MakeJpeg()
    {
        using var image = new Mat(480, 640, MatType.CV_8UC3, new Scalar(40, 120, 200));
        Cv2.Circle(image, new Point(320, 240), 100, new Scalar(250, 250, 250), -1);
        return image.ImEncode(".jpg");
    }
}
