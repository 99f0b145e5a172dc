using AlexNet.Realtime.Capture.Readers;
using AlexNet.Realtime.TestSupport;
using Xunit;

namespace AlexNet.Realtime.Capture.Tests;

/// <summary>An HTTP camera that redirects: followed to http(s) only and a few times, else one clear error an attempt.</summary>
public sealed class RedirectTests
{
    [Fact]
    public void RedirectToFileUrl_IsAClearErrorNotAnInternalOne()
    {
        using var server = new ScriptedHttpServer(_ => ScriptedHttpServer.Reply.Redirect("file:///etc/passwd"));
        using var reader = new MjpegHttpReader(server.Url("/camera.mjpg"), TimeSpan.FromSeconds(5));
        var error = Assert.Throws<CaptureException>(reader.Open);
        Assert.Equal($"{server.Url("/camera.mjpg")}: redirected to a file: address; only http and https redirects are followed", error.Message);
    }

    [Fact]
    public void RedirectLoop_GivesUpAfterFiveRedirects()
    {
        using var server = new ScriptedHttpServer(request => ScriptedHttpServer.Reply.Redirect($"/hop{request.Index + 1}"));
        using var reader = new MjpegHttpReader(server.Url("/camera.mjpg"), TimeSpan.FromSeconds(5));
        var error = Assert.Throws<CaptureException>(reader.Open);
        Assert.Equal($"{server.Url("/camera.mjpg")}: more than 5 redirects", error.Message);
        Assert.Equal(6, server.Requests.Count);
    }

    [Fact]
    public void RedirectToAnotherHttpServer_IsFollowedAndStreams()
    {
        using var camera = new MjpegTestServer(i => i < 3 ? MjpegTestServer.Part(MjpegTestServer.Jpeg) : null);
        using var server = new ScriptedHttpServer(_ => ScriptedHttpServer.Reply.Redirect(camera.Url.ToString()));
        using var reader = new MjpegHttpReader(server.Url("/camera.mjpg"), TimeSpan.FromSeconds(5));
        reader.Open();
        using var frame = new CapturedFrame();
        Assert.True(reader.Read(frame));
        Assert.Equal((640, 480), (frame.Image.Cols, frame.Image.Rows));
    }

    [Fact]
    public void SourceRedirectedToFile_KeepsReconnectingAndSaysWhy()
    {
        using var server = new ScriptedHttpServer(_ => ScriptedHttpServer.Reply.Redirect("file:///etc/passwd"));
        var spec = SourceSpec.Parse(server.Url("/camera.mjpg").ToString());
        using var source = new FrameSource(spec, new CaptureOptions { BackoffInitial = TimeSpan.FromMilliseconds(50), BackoffMax = TimeSpan.FromMilliseconds(100) });
        source.Start();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (server.Requests.Count < 3 && DateTime.UtcNow < deadline)
        {
            Thread.Sleep(20);
        }

        Assert.True(server.Requests.Count >= 3, $"{server.Requests.Count} attempts: the source stopped trying");
        Assert.NotEqual(SourceState.Failed, source.State);
        Assert.Contains("only http and https redirects are followed", source.Problem ?? "", StringComparison.Ordinal);
    }
}
