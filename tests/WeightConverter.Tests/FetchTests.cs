using System.Security.Cryptography;
using AlexNet.Realtime.TestSupport;
using AlexNet.Realtime.WeightConverter.Fetching;
using Xunit;
using Reply = AlexNet.Realtime.TestSupport.ScriptedHttpServer.Reply;

namespace AlexNet.Realtime.WeightConverter.Tests;

/// <summary>
/// Fetching weights over HTTP from a scripted server on 127.0.0.1 serving the tv_mini fixture as
/// if it were torchvision's file: resume, refusals, timeouts, the cache, offline.
/// </summary>
public sealed class FetchTests : IDisposable
{
    private static readonly byte[] s_file = File.ReadAllBytes(Fixtures.Path("tv_mini.pth"));
    private readonly TempDirectory _cache = new();
    private readonly RecordingProgress _progress = new();

    public void Dispose() => _cache.Dispose();

    private DownloadOptions Options(int maxAttempts = 5) => new()
    {
        CacheDirectory = _cache.Path,
        ConnectTimeout = TimeSpan.FromSeconds(2),
        // Short, so the tests that stall on purpose are quick, but not so short that a loaded CI
        // machine takes a slow first read for a silent server (1 s once did).
        StallTimeout = TimeSpan.FromSeconds(3),
        MaxAttempts = maxAttempts,
    };

    private static PretrainedWeights Weights(ScriptedHttpServer server, byte[]? content = null) => new()
    {
        Name = "TEST",
        Url = server.Url(),
        Size = (content ?? s_file).Length,
        Sha256 = Convert.ToHexStringLower(SHA256.HashData(content ?? s_file)),
        FileName = "weights.pth",
    };

    private string Obtain(ScriptedHttpServer server, DownloadOptions? options = null) =>
        PretrainedFetcher.Obtain(Weights(server), options ?? Options(), _progress);

    [Fact]
    public void Download_WholeFile_IsInTheCacheUnderItsName()
    {
        using var server = new ScriptedHttpServer(r => Reply.File(s_file, r));

        var path = Obtain(server);

        Assert.Equal(Path.Combine(_cache.Path, "weights.pth"), path);
        Assert.Equal(s_file, File.ReadAllBytes(path));
        Assert.Equal(["weights.pth"], Directory.GetFiles(_cache.Path).Select(Path.GetFileName));
        Assert.Null(Assert.Single(server.Requests).Range);
    }

    [Fact]
    public void CutConnection_ResumedWithRange_ByteIdentical()
    {
        const int cut = 100_000;
        using var server = new ScriptedHttpServer(r => Reply.File(s_file, r, cutAfter: r.Index == 0 ? cut : null));

        var path = Obtain(server);

        Assert.Equal(s_file, File.ReadAllBytes(path));
        Assert.Equal([null, $"bytes={cut}-"], server.Requests.Select(r => r.Range));
        Assert.Contains(_progress.Notes, n => n.Contains("resuming at 0.1 MB", StringComparison.Ordinal));
    }

    [Fact]
    public void CutConnection_NoRetriesLeft_PartialKeptAndNextRunResumes()
    {
        const int cut = 150_000;
        using var server = new ScriptedHttpServer(r => Reply.File(s_file, r, cutAfter: r.Index == 0 ? cut : null));

        var failed = Assert.Throws<WeightsUnavailableException>(() => Obtain(server, Options(maxAttempts: 1)));
        Assert.Contains("kept in", failed.Message, StringComparison.Ordinal);
        Assert.Equal(cut, new FileInfo(Path.Combine(_cache.Path, "weights.pth.partial")).Length);

        var path = Obtain(server);

        Assert.Equal(s_file, File.ReadAllBytes(path));
        Assert.Equal($"bytes={cut}-", server.Requests[^1].Range);
        Assert.False(File.Exists(path + ".partial"));
    }

    [Fact]
    public void ServerIgnoresRange_StartsAgainFromZero()
    {
        using var server = new ScriptedHttpServer(r => Reply.File(s_file, r, honorRange: false, cutAfter: r.Index == 0 ? 100_000 : null));

        var path = Obtain(server);

        Assert.Equal(s_file, File.ReadAllBytes(path));
        Assert.Equal(2, server.Requests.Count);
        Assert.Equal("bytes=100000-", server.Requests[1].Range);
        Assert.Contains(_progress.Notes, n => n.Contains("does not resume", StringComparison.Ordinal));
    }

    [Fact]
    public void PartialLongerThanServersFile_416_StartsAgain()
    {
        // a partial of another, longer file: the server cannot serve from there
        using var server = new ScriptedHttpServer(r => Reply.File(s_file, r));
        var weights = Weights(server) with { Size = s_file.Length + 10 };
        File.WriteAllBytes(Path.Combine(_cache.Path, "weights.pth.partial"), new byte[s_file.Length + 5]);

        var error = Assert.Throws<ConversionException>(() => PretrainedFetcher.Obtain(weights, Options(), _progress));

        // after the 416 it asked again without a range, got the whole (shorter) file, and said so
        Assert.Equal(["bytes=400632-", null], server.Requests.Select(r => r.Range));
        Assert.Contains("offers 400627 bytes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WrongHash_RefusedInOneLine_NothingLeft()
    {
        var other = (byte[])s_file.Clone();
        other[^100] ^= 0xFF;
        using var server = new ScriptedHttpServer(r => Reply.File(other, r));

        var error = Assert.Throws<ConversionException>(() => Obtain(server));

        Assert.Contains("SHA-256 is", error.Message, StringComparison.Ordinal);
        Assert.Contains("deleted, nothing kept", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_cache.Path));
    }

    [Fact]
    public void EndlessBody_RefusedAtTheDeclaredSize_NothingLeft()
    {
        using var server = new ScriptedHttpServer(_ => new Reply { Endless = true });

        var error = Assert.Throws<ConversionException>(() => Obtain(server));

        Assert.Contains($"sent more than the {s_file.Length} bytes", error.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_cache.Path));
    }

    [Fact]
    public void LargerContentLength_RefusedBeforeTheBody()
    {
        using var server = new ScriptedHttpServer(_ => new Reply { Body = new byte[s_file.Length * 2] });

        var error = Assert.Throws<ConversionException>(() => Obtain(server));

        Assert.Contains($"offers {s_file.Length * 2} bytes", error.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_cache.Path));
    }

    [Fact]
    public async Task ServerNeverAnswers_GivesUpAfterTheStallTimeout()
    {
        using var server = new ScriptedHttpServer(_ => new Reply { Silent = true });

        // the bound only keeps a hanging fetch from hanging the test run (a TimeoutException
        // fails the test); the message says which timeout ended it
        var error = await Assert.ThrowsAsync<WeightsUnavailableException>(() => Task.Run(() => Obtain(server)).WaitAsync(TimeSpan.FromSeconds(60)));

        Assert.Contains("no data for 3 s", error.Message, StringComparison.Ordinal);
        Assert.Single(server.Requests);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_cache.Path));
    }

    [Fact]
    public void StallMidBody_ResumesWhereItStopped()
    {
        using var server = new ScriptedHttpServer(r => r.Index == 0
            ? Reply.File(s_file, r, cutAfter: 50_000) with { HoldOpen = true }
            : Reply.File(s_file, r));

        var path = Obtain(server);

        Assert.Equal(s_file, File.ReadAllBytes(path));
        Assert.Equal("bytes=50000-", server.Requests[1].Range);
    }

    [Fact]
    public void ConnectionRefused_Unavailable_NoRetry()
    {
        int port;
        using (var server = new ScriptedHttpServer(_ => new Reply()))
        {
            port = server.Port;
        }

        var weights = new PretrainedWeights { Name = "TEST", Url = new Uri($"http://127.0.0.1:{port}/w.pth"), Size = 10, Sha256 = new string('0', 64), FileName = "w.pth" };

        var error = Assert.Throws<WeightsUnavailableException>(() => PretrainedFetcher.Obtain(weights, Options(), _progress));

        Assert.Contains("refused", error.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Empty(Directory.EnumerateFiles(_cache.Path));
    }

    [Fact]
    public void HttpError_Unavailable_NamesTheStatus()
    {
        using var server = new ScriptedHttpServer(_ => new Reply { Status = 404 });

        var error = Assert.Throws<WeightsUnavailableException>(() => Obtain(server));

        Assert.Contains("HTTP 404", error.Message, StringComparison.Ordinal);
        Assert.Single(server.Requests);
    }

    [Fact]
    public void Redirect_Followed()
    {
        using var server = new ScriptedHttpServer(r => r.Path == "/weights.pth" ? Reply.Redirect("/moved/weights.pth") : Reply.File(s_file, r));

        var path = Obtain(server);

        Assert.Equal(s_file, File.ReadAllBytes(path));
        Assert.Equal(["/weights.pth", "/moved/weights.pth"], server.Requests.Select(r => r.Path));
    }

    [Fact]
    public void InTheCache_UsedWithoutAnyRequest()
    {
        using var server = new ScriptedHttpServer(r => Reply.File(s_file, r));
        File.WriteAllBytes(Path.Combine(_cache.Path, "weights.pth"), s_file);

        var path = Obtain(server);

        Assert.Equal(Path.Combine(_cache.Path, "weights.pth"), path);
        Assert.Empty(server.Requests);
    }

    [Theory]
    [InlineData(false, "bytes, but TEST is")]
    [InlineData(true, "SHA-256")]
    public void InTheCacheDamaged_SaysSoAndLeavesIt(bool sameSize, string message)
    {
        using var server = new ScriptedHttpServer(r => Reply.File(s_file, r));
        var damaged = sameSize ? new byte[s_file.Length] : s_file[..1000];
        var cached = Path.Combine(_cache.Path, "weights.pth");
        File.WriteAllBytes(cached, damaged);

        var error = Assert.Throws<ConversionException>(() => Obtain(server));

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.Contains("delete it to download it again", error.Message, StringComparison.Ordinal);
        Assert.Equal(damaged, File.ReadAllBytes(cached));
        Assert.Empty(server.Requests);
    }

    [Fact]
    public void Offline_NothingCached_NoRequest()
    {
        using var server = new ScriptedHttpServer(r => Reply.File(s_file, r));

        var error = Assert.Throws<WeightsUnavailableException>(() => Obtain(server, Options() with { OfflineReason = "--offline" }));

        Assert.Contains("offline (--offline)", error.Message, StringComparison.Ordinal);
        Assert.Empty(server.Requests);
    }

    [Fact]
    public void Offline_Cached_UsesTheCache()
    {
        using var server = new ScriptedHttpServer(r => Reply.File(s_file, r));
        File.WriteAllBytes(Path.Combine(_cache.Path, "weights.pth"), s_file);

        var path = Obtain(server, Options() with { OfflineReason = "--offline" });

        Assert.Equal(s_file, File.ReadAllBytes(path));
        Assert.Empty(server.Requests);
    }

    [Fact]
    public async Task TwoAtOnce_OneDownloads_TheOtherWaitsAndUsesIt()
    {
        using var release = new ManualResetEventSlim();
        using var server = new ScriptedHttpServer(r =>
        {
            // the first answer waits until the second fetch has had to wait for the lock
            release.Wait(TimeSpan.FromSeconds(30));
            return Reply.File(s_file, r);
        });
        var secondProgress = new RecordingProgress();
        var first = Task.Run(() => Obtain(server, Options() with { StallTimeout = TimeSpan.FromSeconds(30) }));
        for (var i = 0; i < 600 && server.Requests.Count == 0; i++)
        {
            await Task.Delay(50);
        }

        var second = Task.Run(() => PretrainedFetcher.Obtain(Weights(server), Options() with { StallTimeout = TimeSpan.FromSeconds(30) }, secondProgress));
        for (var i = 0; i < 600 && secondProgress.Notes.Count == 0; i++)
        {
            await Task.Delay(50);
        }

        release.Set();
        var paths = await Task.WhenAll(first, second).WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(paths[0], paths[1]);
        Assert.Equal(s_file, File.ReadAllBytes(paths[0]));
        Assert.Single(server.Requests);
        Assert.Contains(secondProgress.Notes, n => n.Contains("another process is downloading", StringComparison.Ordinal));
        Assert.Equal(["weights.pth"], Directory.GetFiles(_cache.Path).Select(Path.GetFileName));
    }

    [Theory]
    [InlineData("/t", null, "/home/u", "/t/hub/checkpoints")]
    [InlineData(null, "/x", "/home/u", "/x/torch/hub/checkpoints")]
    [InlineData(null, null, "/home/u", "/home/u/.cache/torch/hub/checkpoints")]
    [InlineData("~/t", "/x", "/home/u", "/home/u/t/hub/checkpoints")]
    [InlineData("", "", "/home/u", "/home/u/.cache/torch/hub/checkpoints")]
    public void HubCacheFolder_AsPyTorchFindsIt(string? torchHome, string? xdg, string home, string expected)
    {
        Skip.If(OperatingSystem.IsWindows(), "Unix paths");
        var folder = TorchHubCache.CheckpointsDirectory(name => name switch
        {
            "TORCH_HOME" => torchHome,
            "XDG_CACHE_HOME" => xdg,
            _ => null,
        }, home);

        Assert.Equal(expected, folder);
    }

    [Fact]
    public void TestOverrides_NeedAllThree_AndKeepTheUrlsFileName()
    {
        var env = new Dictionary<string, string?> { [PretrainedWeights.UrlVariable] = "http://127.0.0.1:1/dir/tv_mini.pth" };
        var error = Assert.Throws<ConversionException>(() => PretrainedWeights.ImageNet1kV1.WithTestOverrides(env.GetValueOrDefault));
        Assert.Contains(PretrainedWeights.SizeVariable, error.Message, StringComparison.Ordinal);

        env[PretrainedWeights.SizeVariable] = "12";
        env[PretrainedWeights.Sha256Variable] = new string('a', 64);
        var overridden = PretrainedWeights.ImageNet1kV1.WithTestOverrides(env.GetValueOrDefault);
        Assert.Equal("tv_mini.pth", overridden.FileName);
        Assert.Equal(12, overridden.Size);
        Assert.True(overridden.Overridden);
        Assert.Same(PretrainedWeights.ImageNet1kV1, PretrainedWeights.ImageNet1kV1.WithTestOverrides(_ => null));
    }

    private sealed class RecordingProgress : IDownloadProgress
    {
        private readonly System.Collections.Concurrent.ConcurrentQueue<string> _notes = new();

        public IReadOnlyList<string> Notes => [.. _notes];

        public void Note(string line) => _notes.Enqueue(line);

        public void Started(long have, long total) { }

        public void Advanced(long have) { }

        public void Stopped() { }
    }
}
