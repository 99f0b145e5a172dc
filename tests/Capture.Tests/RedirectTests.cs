using System.Net;
using System.Net.Sockets;
using System.Text;
using AlexNet.Realtime.Capture.Readers;
using Xunit;

namespace AlexNet.Realtime.Capture.Tests;

/// <summary>An HTTP camera that redirects: followed to http(s) only and a few times, else one clear error an attempt.</summary>
public sealed class RedirectTests
{
    [Fact]
    public void RedirectToFileUrl_IsAClearErrorNotAnInternalOne()
    {
        using var server = new RedirectServer(_ => "file:///etc/passwd");
        using var reader = new MjpegHttpReader(server.Url, TimeSpan.FromSeconds(5));
        var error = Assert.Throws<CaptureException>(reader.Open);
        Assert.Equal($"{server.Url}: redirected to a file: address; only http and https redirects are followed", error.Message);
    }

    [Fact]
    public void RedirectLoop_GivesUpAfterFiveRedirects()
    {
        using var server = new RedirectServer(request => $"/hop{request + 1}");
        using var reader = new MjpegHttpReader(server.Url, TimeSpan.FromSeconds(5));
        var error = Assert.Throws<CaptureException>(reader.Open);
        Assert.Equal($"{server.Url}: more than 5 redirects", error.Message);
        Assert.Equal(6, server.Requests);
    }

    [Fact]
    public void RedirectToAnotherHttpServer_IsFollowedAndStreams()
    {
        using var camera = new MjpegTestServer(i => i < 3 ? MjpegTestServer.Part(MjpegTestServer.Jpeg) : null);
        using var server = new RedirectServer(_ => camera.Url.ToString());
        using var reader = new MjpegHttpReader(server.Url, TimeSpan.FromSeconds(5));
        reader.Open();
        using var frame = new CapturedFrame();
        Assert.True(reader.Read(frame));
        Assert.Equal((640, 480), (frame.Image.Cols, frame.Image.Rows));
    }

    [Fact]
    public void SourceRedirectedToFile_KeepsReconnectingAndSaysWhy()
    {
        using var server = new RedirectServer(_ => "file:///etc/passwd");
        var spec = SourceSpec.Parse(server.Url.ToString());
        using var source = new FrameSource(spec, new CaptureOptions { BackoffInitial = TimeSpan.FromMilliseconds(50), BackoffMax = TimeSpan.FromMilliseconds(100) });
        source.Start();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (server.Requests < 3 && DateTime.UtcNow < deadline)
        {
            Thread.Sleep(20);
        }

        Assert.True(server.Requests >= 3, $"{server.Requests} attempts: the source stopped trying");
        Assert.NotEqual(SourceState.Failed, source.State);
        Assert.Contains("only http and https redirects are followed", source.Problem ?? "", StringComparison.Ordinal);
    }

    /// <summary>Answers every request with a 302 to the location the script gives for the request's number.</summary>
    private sealed class RedirectServer : IDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _serving;
        private int _requests;

        public RedirectServer(Func<int, string> location)
        {
            _listener.Start();
            _serving = Task.Run(async () =>
            {
                while (!_stop.IsCancellationRequested)
                {
                    using var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                    await using var stream = client.GetStream();
                    var request = new byte[4096];
                    _ = await stream.ReadAsync(request, _stop.Token);
                    var number = Interlocked.Increment(ref _requests) - 1;
                    var answer = $"HTTP/1.1 302 Found\r\nLocation: {location(number)}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
                    await stream.WriteAsync(Encoding.ASCII.GetBytes(answer), _stop.Token);
                }
            });
        }

        public Uri Url => new($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/camera.mjpg");

        public int Requests => Volatile.Read(ref _requests);

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
                // stopped while accepting: expected
            }

            _stop.Dispose();
        }
    }
}
