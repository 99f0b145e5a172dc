using System.Text.Json;
using AlexNet.Realtime.CommandLine;
using AlexNet.Realtime.TestSupport;
using AlexNet.Realtime.WeightConverter.Cli;
using Xunit;

namespace AlexNet.Realtime.WeightConverter.Tests;

/// <summary>
/// Inputs a careless or hostile user hands the converter (issue 19): devices and FIFOs as files,
/// weights holding NaN, a graph whose weights are no trained values. Each gets one line and exit
/// 1, or a model that says what it holds.
/// </summary>
[Collection("Console")]
public sealed class HostileInputCliTests
{
    /// <summary>/dev/zero grew to 4.2 GB before "out of memory"; a FIFO blocked the open forever.</summary>
    [SkippableTheory]
    [InlineData("convert", "/dev/zero")]
    [InlineData("convert", "/dev/urandom")]
    [InlineData("convert", "fifo")]
    [InlineData("import-onnx", "/dev/zero")]
    [InlineData("import-onnx", "fifo")]
    [InlineData("inspect", "fifo")]
    public void InputThatIsNoRegularFile_OneLineAndExit1(string command, string input)
    {
        Skip.If(SpecialFiles.Unavailable is not null, SpecialFiles.Unavailable);
        using var dir = new TempDirectory();
        var path = input == "fifo" ? SpecialFiles.Fifo(dir.File("weights.pth")) : input;
        string[] args = command == "inspect" ? [command, path] : [command, path, "-o", dir.File("model.onnx"), "-q"];

        var (code, _, error) = SpecialFiles.Within(60, () => Run(args));

        Assert.Equal(1, code);
        Assert.Equal($"alexnet-convert: error: {path}: the file is empty, or not a regular file (a device, FIFO or socket)", error.Trim());
        Assert.False(File.Exists(dir.File("model.onnx")));
    }

    /// <summary>
    /// The --labels file, read whole before the weights: /dev/zero grew at 240 MB/s saying nothing,
    /// a FIFO blocked the open; a link to either passed for a small file.
    /// </summary>
    [SkippableTheory]
    [InlineData("/dev/zero")]
    [InlineData("fifo")]
    [InlineData("link to /dev/zero")]
    public void LabelsThatAreNoRegularFile_OneLineAndExit1(string labels)
    {
        Skip.If(SpecialFiles.Unavailable is not null, SpecialFiles.Unavailable);
        using var dir = new TempDirectory();
        var path = labels switch
        {
            "fifo" => SpecialFiles.Fifo(dir.File("labels.txt")),
            "link to /dev/zero" => File.CreateSymbolicLink(dir.File("labels.txt"), "/dev/zero").FullName,
            _ => labels,
        };

        var (code, _, error) = SpecialFiles.Within(60, () => Run("convert", Fixtures.Path("tv_mini.pth"), "--labels", path, "-o", dir.File("model.onnx"), "-q"));

        Assert.Equal(1, code);
        Assert.Equal($"alexnet-convert: error: --labels {path}: the file is empty, or not a regular file (a device, FIFO or socket)", error.Trim());
        Assert.False(File.Exists(dir.File("model.onnx")));
    }

    /// <summary>A 300 MB labels file was read whole (2.3 GB) before its count was refused: one over the ceiling is refused by its size.</summary>
    [Fact]
    public void LabelsFileOverTheCeiling_RefusedByItsSize()
    {
        using var dir = new TempDirectory();
        var labels = dir.File("labels.txt");
        using (var file = File.Create(labels))
        {
            // Sparse: 64 MB by its size, no room taken on disk.
            file.SetLength(64 << 20);
        }

        var (code, _, error) = Run("convert", Fixtures.Path("tv_mini.pth"), "--labels", labels, "-o", dir.File("model.onnx"), "-q");

        Assert.Equal(1, code);
        Assert.Equal(
            $"alexnet-convert: error: --labels {labels}: 67108864 bytes, over the 4 MB a labels file may hold (one class name a line; ImageNet's 1000 take 10 KB)",
            error.Trim());
    }

    [Fact]
    public void LabelsLineLongerThanAName_RefusedNamingTheLine()
    {
        using var dir = new TempDirectory();
        var labels = dir.File("labels.txt");
        File.WriteAllLines(labels, ["cat", new string('x', Graph.Labels.MaxNameLength + 1), .. Enumerable.Range(0, 8).Select(i => $"thing {i}")]);

        var (code, _, error) = Run("convert", Fixtures.Path("tv_mini.pth"), "--labels", labels, "-o", dir.File("model.onnx"), "-q");

        Assert.Equal(1, code);
        Assert.Equal(
            $"alexnet-convert: error: --labels {labels}: line 2 has 1001 characters, more than the 1000 a class name may have; the file should hold one class name a line",
            error.Trim());
    }

    [Fact]
    public void WeightsHoldingNaNAndInfinity_RefusedNamingTheTensorAndCount()
    {
        using var dir = new TempDirectory();
        var weights = WithNonfinite(dir);

        var (code, _, error) = Run("convert", weights, "-o", dir.File("model.onnx"), "-q");

        Assert.Equal(1, code);
        Assert.Equal(
            "alexnet-convert: error: tv_mini.safetensors: tensor features.0.weight holds 2 non-finite values (NaN or infinity); a model made of it answers NaN; --allow-nonfinite converts it anyway, marked in its contract",
            error.Trim());
        Assert.False(File.Exists(dir.File("model.onnx")));
    }

    [Fact]
    public void WeightsHoldingNaN_AllowedWithAWarning_MarkedInTheContract()
    {
        using var dir = new TempDirectory();
        var weights = WithNonfinite(dir);

        var (code, _, error) = Run("convert", weights, "-o", dir.File("model.onnx"), "-q", "--allow-nonfinite");
        Assert.Equal(0, code);
        Assert.StartsWith("alexnet-convert: warning: tv_mini.safetensors: tensor features.0.weight holds 2 non-finite values", error.Trim(), StringComparison.Ordinal);

        var (inspected, report, _) = Run("inspect", dir.File("model.onnx"));
        Assert.Equal(0, inspected);
        Assert.True(JsonDocument.Parse(report).RootElement.GetProperty("contract").GetProperty("nonfinite_weights").GetBoolean());
    }

    [Fact]
    public void FiniteWeights_NotMarked()
    {
        using var dir = new TempDirectory();
        Assert.Equal(0, Run("convert", Fixtures.Path("generated", "tv_mini.safetensors"), "-o", dir.File("model.onnx"), "-q").Code);
        var (_, report, _) = Run("inspect", dir.File("model.onnx"));
        Assert.False(JsonDocument.Parse(report).RootElement.GetProperty("contract").GetProperty("nonfinite_weights").GetBoolean());
    }

    /// <summary>The zoo's light graph makes its weights with ConstantOfShape (all ones): nothing trained, so not "pretrained".</summary>
    [Fact]
    public void ImportOnnx_WeightsMadeInTheGraph_MarkedSyntheticAndSaid()
    {
        using var dir = new TempDirectory();

        var (code, _, error) = Run("import-onnx", Fixtures.Path("onnx-backend", "light_bvlc_alexnet.onnx"), "-o", dir.File("model.onnx"));

        Assert.Equal(0, code);
        // Spectre wraps the step lines at the console's width.
        Assert.Contains("the graph's weights are made by 8 ConstantOfShape nodes, not stored trained values", string.Join(' ', error.Split((char[])[' ', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries)), StringComparison.Ordinal);
        var (_, report, _) = Run("inspect", dir.File("model.onnx"));
        Assert.Equal("synthetic", JsonDocument.Parse(report).RootElement.GetProperty("contract").GetProperty("weights").GetString());
    }

    // tv_mini as safetensors with its first two values NaN and +infinity.
    private static string WithNonfinite(TempDirectory dir)
    {
        var bytes = File.ReadAllBytes(Fixtures.Path("generated", "tv_mini.safetensors"));
        var data = 8 + (int)BitConverter.ToUInt64(bytes, 0);
        BitConverter.TryWriteBytes(bytes.AsSpan(data), float.NaN);
        BitConverter.TryWriteBytes(bytes.AsSpan(data + 4), float.PositiveInfinity);
        var path = dir.File("tv_mini.safetensors");
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private static (int Code, string Out, string Error) Run(params string[] args) => ConverterCli.Run(args);
}
