using System.Security.Cryptography;
using AlexNet.Realtime.App.Commands;
using AlexNet.Realtime.TestSupport;
using AlexNet.Realtime.WeightConverter;
using AlexNet.Realtime.WeightConverter.Cli;
using AlexNet.Realtime.WeightConverter.Fetching;
using AlexNet.Realtime.WeightConverter.Graph;
using Xunit;
using Reply = AlexNet.Realtime.TestSupport.ScriptedHttpServer.Reply;

namespace AlexNet.Realtime.App.Tests;

/// <summary>
/// The first run with no model at models/alexnet.onnx: torchvision's weights (here the tv_mini
/// fixture, served on 127.0.0.1) converted into it, or offline a synthetic model and a line that
/// says how to get the real ones.
/// </summary>
[Collection("App")]
public sealed class FirstRunModelTests : IDisposable
{
    private static readonly byte[] s_file = File.ReadAllBytes(Fixtures.Path("tv_mini.pth"));
    private readonly TempDirectory _dir = new();
    private readonly List<string> _said = [];

    public void Dispose() => _dir.Dispose();

    private string ModelPath => Path.Combine(_dir.Path, "models", "alexnet.onnx");

    private ModelLocator.FirstRun Run(ScriptedHttpServer server, string? offline = null) => new(
        ModelPath,
        "models/alexnet.onnx",
        new PretrainedWeights
        {
            Name = "IMAGENET1K_V1",
            Url = server.Url("/tv_mini.pth"),
            Size = s_file.Length,
            Sha256 = Convert.ToHexStringLower(SHA256.HashData(s_file)),
            FileName = "tv_mini.pth",
        },
        new DownloadOptions
        {
            CacheDirectory = _dir.File("hub"),
            ConnectTimeout = TimeSpan.FromSeconds(2),
            StallTimeout = TimeSpan.FromSeconds(3),
            OfflineReason = offline,
        },
        SilentProgress.Instance);

    private string Provide(ModelLocator.FirstRun run)
    {
        string? path = null;
        ConsoleCapture.Run(() =>
        {
            path = ModelLocator.Provide(run, _said.Add);
            return 0;
        });
        return path!;
    }

    [Fact]
    public void NoModel_WeightsDownloaded_ConvertedAsConvertWouldConvertThem()
    {
        using var server = new ScriptedHttpServer(r => Reply.File(s_file, r));
        var direct = _dir.File("direct.onnx");
        ConsoleCapture.Run(() =>
        {
            CheckpointConversion.Run(Fixtures.Path("tv_mini.pth"), direct, new ModelOptions(), forced: null, new Steps(quiet: true));
            return 0;
        });

        var path = Provide(Run(server));

        Assert.Equal(ModelPath, path);
        Assert.Equal(File.ReadAllBytes(direct), File.ReadAllBytes(path));
        Assert.Single(server.Requests);
        Assert.Contains("converting torchvision's IMAGENET1K_V1 weights", Assert.Single(_said), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(true, "no real weights: offline (--offline)")]
    [InlineData(false, "no real weights: http://127.0.0.1:")]
    public void NoModel_OfflineOrNoAnswer_SyntheticModelAndHowToGetTheWeights(bool offline, string reason)
    {
        using var server = new ScriptedHttpServer(_ => new Reply { Silent = true });

        var path = Provide(Run(server, offline ? "--offline" : null));

        Assert.Equal(2, _said.Count);
        Assert.StartsWith(reason, _said[0], StringComparison.Ordinal);
        Assert.Contains("alexnet-convert fetch -o models/alexnet.onnx", _said[0], StringComparison.Ordinal);
        Assert.Contains("writing a full-size synthetic AlexNet", _said[1], StringComparison.Ordinal);
        Assert.Equal("synthetic", ModelFile.Read(path).MetadataProps.Single(p => p.Key == "weights").Value);
        Assert.Equal(offline ? 0 : 1, server.Requests.Count);
    }

    [Fact]
    public async Task TwoFirstRuns_OneOffline_BothGetTheConvertedModel()
    {
        // The online run's download is held until the offline run says it is waiting, so the
        // offline run can only see the model once the online one has made it.
        using var offlineWaiting = new ManualResetEventSlim();
        using var requested = new ManualResetEventSlim();
        using var server = new ScriptedHttpServer(r =>
        {
            requested.Set();
            offlineWaiting.Wait(TimeSpan.FromSeconds(20));
            return Reply.File(s_file, r);
        });
        var offlineSaid = new List<string>();
        var online = Task.Run(() => Provide(Run(server)));
        Assert.True(requested.Wait(TimeSpan.FromSeconds(20)), "the online run never asked for the weights");

        var offlinePath = ModelLocator.Provide(Run(server, "--offline"), line =>
        {
            lock (offlineSaid)
            {
                offlineSaid.Add(line);
            }

            offlineWaiting.Set();
        });
        var onlinePath = await online;

        Assert.Equal(onlinePath, offlinePath);
        Assert.Equal("another alexnet-rt is making models/alexnet.onnx: waiting for it", Assert.Single(offlineSaid));
        Assert.Equal("pretrained", ModelFile.Read(offlinePath).MetadataProps.Single(p => p.Key == "weights").Value);
        Assert.False(File.Exists(ModelPath + ".lock"));
    }

    [Fact]
    public void ModelThere_KeptAsItIs_NoRequest()
    {
        using var server = new ScriptedHttpServer(r => Reply.File(s_file, r));
        Directory.CreateDirectory(Path.GetDirectoryName(ModelPath)!);
        File.WriteAllText(ModelPath, "the user's model");

        var path = Provide(Run(server));

        Assert.Equal("the user's model", File.ReadAllText(path));
        Assert.Empty(server.Requests);
        Assert.Empty(_said);
    }

    [Fact]
    public void NoModel_WrongHash_ErrorAndNoModel()
    {
        var other = (byte[])s_file.Clone();
        other[1000] ^= 1;
        using var server = new ScriptedHttpServer(r => Reply.File(other, r));

        var error = Assert.Throws<ConversionException>(() => Provide(Run(server)));

        Assert.Contains("SHA-256 is", error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(ModelPath));
        Assert.Empty(Directory.EnumerateFileSystemEntries(_dir.File("hub")));
    }
}
