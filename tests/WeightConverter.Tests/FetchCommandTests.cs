using System.Security.Cryptography;
using AlexNet.Realtime.CommandLine;
using AlexNet.Realtime.TestSupport;
using AlexNet.Realtime.WeightConverter.Cli;
using AlexNet.Realtime.WeightConverter.Fetching;
using Xunit;
using Reply = AlexNet.Realtime.TestSupport.ScriptedHttpServer.Reply;

namespace AlexNet.Realtime.WeightConverter.Tests;

/// <summary>
/// <c>alexnet-convert fetch</c>, with the test-only variables pointing it at a local server and
/// TORCH_HOME at a temporary folder (the variables are process-wide: the non-parallel Console group).
/// </summary>
[Collection("Console")]
public sealed class FetchCommandTests : IDisposable
{
    private static readonly byte[] s_file = File.ReadAllBytes(Fixtures.Path("tv_mini.pth"));
    private static readonly string[] s_variables =
        ["TORCH_HOME", PretrainedWeights.UrlVariable, PretrainedWeights.SizeVariable, PretrainedWeights.Sha256Variable, DownloadOptions.OfflineVariable];

    private readonly Dictionary<string, string?> _saved = s_variables.ToDictionary(v => v, Environment.GetEnvironmentVariable);
    private readonly TempDirectory _dir = new();

    public void Dispose()
    {
        foreach (var (name, value) in _saved)
        {
            Environment.SetEnvironmentVariable(name, value);
        }

        _dir.Dispose();
    }

    private string TorchHome => _dir.File("torch");

    private void PointAt(ScriptedHttpServer server)
    {
        Environment.SetEnvironmentVariable("TORCH_HOME", TorchHome);
        Environment.SetEnvironmentVariable(DownloadOptions.OfflineVariable, null);
        Environment.SetEnvironmentVariable(PretrainedWeights.UrlVariable, server.Url("/files/tv_mini.pth").ToString());
        Environment.SetEnvironmentVariable(PretrainedWeights.SizeVariable, s_file.Length.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Environment.SetEnvironmentVariable(PretrainedWeights.Sha256Variable, Convert.ToHexStringLower(SHA256.HashData(s_file)));
    }

    [Fact]
    public void Fetch_Downloads_ModelIsWhatConvertWritesFromTheFile()
    {
        using var server = new ScriptedHttpServer(r => Reply.File(s_file, r));
        PointAt(server);
        var fetched = _dir.File("fetched.onnx");
        var converted = _dir.File("converted.onnx");

        var (code, stdout, error) = Run("fetch", "-o", fetched);
        var (convertCode, _, _) = Run("convert", Fixtures.Path("tv_mini.pth"), "-o", converted, "-q");

        Assert.True(code == 0, error);
        Assert.Equal(0, convertCode);
        Assert.Empty(stdout);
        Assert.Equal(File.ReadAllBytes(converted), File.ReadAllBytes(fetched));
        Assert.Equal(s_file, File.ReadAllBytes(Path.Combine(TorchHome, "hub", "checkpoints", "tv_mini.pth")));
        Assert.Single(server.Requests);
        Assert.Contains("100.0%", error, StringComparison.Ordinal);
    }

    [Fact]
    public void FetchInt8_WritesTheQuantizedModelWithItsAgreement()
    {
        using var server = new ScriptedHttpServer(r => Reply.File(s_file, r));
        PointAt(server);
        var fetched = _dir.File("int8.onnx");

        var (code, _, error) = Run(["fetch", "-o", fetched, "-q", "--precision", "int8", "--calibrate", .. QuantizedModels.SmallCalibration]);

        Assert.True(code == 0, error);
        var metadata = QuantizedModels.Metadata(QuantizedModels.Read(fetched));
        Assert.Equal("int8", metadata["precision"]);
        Assert.Contains("top1", metadata["agreement"], StringComparison.Ordinal);
    }

    [Fact]
    public void Fetch_AlreadyInTorchCache_NoRequest()
    {
        using var server = new ScriptedHttpServer(r => Reply.File(s_file, r));
        PointAt(server);
        Directory.CreateDirectory(Path.Combine(TorchHome, "hub", "checkpoints"));
        File.WriteAllBytes(Path.Combine(TorchHome, "hub", "checkpoints", "tv_mini.pth"), s_file);

        var (code, _, error) = Run("fetch", "-o", _dir.File("m.onnx"), "-q");

        Assert.True(code == 0, error);
        Assert.True(File.Exists(_dir.File("m.onnx")));
        Assert.Empty(server.Requests);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Fetch_OutputIsTheCachedWeights_RefusedAndWeightsKept(bool throughLink)
    {
        using var server = new ScriptedHttpServer(r => Reply.File(s_file, r));
        PointAt(server);
        var cached = Path.Combine(TorchHome, "hub", "checkpoints", "tv_mini.pth");
        Directory.CreateDirectory(Path.GetDirectoryName(cached)!);
        File.WriteAllBytes(cached, s_file);
        var output = cached;
        if (throughLink)
        {
            output = _dir.File("link.onnx");
            File.CreateSymbolicLink(output, cached);
        }

        var (code, _, error) = Run("fetch", "-o", output, "-q");

        Assert.Equal(1, code);
        var line = Assert.Single(error.TrimEnd().Split('\n'));
        Assert.Contains("that is where the weights are kept", line, StringComparison.Ordinal);
        Assert.Equal(s_file, File.ReadAllBytes(cached));
        Assert.Empty(server.Requests);
    }

    [Theory]
    [InlineData(true, false)]
    [InlineData(false, true)]
    public void Fetch_Offline_OneLineWithTheWayToGetThem_NoRequestNoModel(bool option, bool variable)
    {
        using var server = new ScriptedHttpServer(r => Reply.File(s_file, r));
        PointAt(server);
        Environment.SetEnvironmentVariable(DownloadOptions.OfflineVariable, variable ? "1" : null);

        string[] args = ["fetch", "-o", _dir.File("m.onnx"), "-q"];
        var (code, _, error) = Run(option ? [.. args, "--offline"] : args);

        Assert.Equal(1, code);
        var line = Assert.Single(error.TrimEnd().Split('\n'));
        Assert.StartsWith("alexnet-convert: error: offline (", line, StringComparison.Ordinal);
        Assert.Contains("alexnet-convert fetch", line, StringComparison.Ordinal);
        Assert.Contains("curl", line, StringComparison.Ordinal);
        Assert.Empty(server.Requests);
        Assert.False(File.Exists(_dir.File("m.onnx")));
    }

    [Fact]
    public void Fetch_WrongHash_OneLineError_NothingLeft()
    {
        var other = (byte[])s_file.Clone();
        other[12345] ^= 1;
        using var server = new ScriptedHttpServer(r => Reply.File(other, r));
        PointAt(server);

        var (code, _, error) = Run("fetch", "-o", _dir.File("m.onnx"), "-q");

        Assert.Equal(1, code);
        Assert.Contains("SHA-256 is", Assert.Single(error.TrimEnd().Split('\n')), StringComparison.Ordinal);
        Assert.False(File.Exists(_dir.File("m.onnx")));
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(TorchHome, "hub", "checkpoints")));
    }

    private static (int Code, string Out, string Error) Run(params string[] args) => ConverterCli.Run(args);
}
