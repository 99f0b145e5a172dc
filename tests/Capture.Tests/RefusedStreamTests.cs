using System.Net;
using System.Net.Sockets;
using AlexNet.Realtime.Capture.Readers;
using Xunit;

namespace AlexNet.Realtime.Capture.Tests;

/// <summary>
/// A stream whose server refuses the connection: every reader tried says so, in the same words
/// (folded into one reason), never as a timeout that did not happen.
/// </summary>
public sealed class RefusedStreamTests
{
    [Theory]
    [InlineData(SocketError.HostNotFound, "rtsp://cam/x: host cam not found")]
    [InlineData(SocketError.TryAgain, "rtsp://cam/x: the name cam could not be looked up now (no answer from DNS)")]
    [InlineData(SocketError.ConnectionRefused, "rtsp://cam/x: connection refused by cam:554 (no server listens there)")]
    [InlineData(SocketError.TimedOut, null)]
    public void SocketError_SaidAsWhatHappened(SocketError error, string? said)
    {
        Assert.Equal(said, StreamConnection.Said("rtsp://cam/x", error, "cam", 554));
    }

    [Theory]
    [InlineData("rtsp")]
    [InlineData("http")]
    public void RefusedConnection_SaidAsRefusedNotAsATimeout(string scheme)
    {
        var port = ClosedPort();
        var url = $"{scheme}://127.0.0.1:{port}/x";
        // A timeout far beyond the test's run: a "did not open within" here could only be untrue.
        using var reader = FrameSource.CreateReader(SourceSpec.Parse(url), new CaptureOptions { ReadTimeout = TimeSpan.FromSeconds(60) });

        var error = Assert.Throws<CaptureException>(reader.Open);

        var refused = $"{url}: connection refused by 127.0.0.1:{port} (no server listens there)";
        Assert.StartsWith(refused, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("did not open within", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("no HTTP answer", error.Message, StringComparison.Ordinal);
        if (FfmpegPipeReader.Available)
        {
            // OpenCV's, ffmpeg's (and for http the MJPEG reader's) reasons are one.
            Assert.Equal(refused, error.Message);
        }
    }

    [Theory]
    [InlineData("[tcp @ 0x5569d4f61480] Connection to tcp://127.0.0.1:9?timeout=0 failed: Connection refused", "rtsp://127.0.0.1:9/x: connection refused by 127.0.0.1:9 (no server listens there)")]
    [InlineData("[tcp @ 0x55774ce44480] Failed to resolve hostname nowhere.invalid: Name or service not known", "rtsp://nowhere.invalid/x: host nowhere.invalid not found")]
    [InlineData("[rtsp @ 0x5569d4f61480] method DESCRIBE failed: 404 Not Found", null)]
    public void FfmpegsError_SaidInTheReadersCommonWords(string line, string? said)
    {
        var url = line.Contains("127.0.0.1", StringComparison.Ordinal) ? "rtsp://127.0.0.1:9/x" : "rtsp://nowhere.invalid/x";
        Assert.Equal(said, StreamConnection.FromFfmpeg(url, line));
    }

    /// <summary>A loopback port nothing listens on: one the system just gave out and took back.</summary>
    private static int ClosedPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
