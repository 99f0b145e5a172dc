using System.Text.Json;
using AlexNet.Realtime.CommandLine;
using AlexNet.Realtime.TestSupport;
using AlexNet.Realtime.WeightConverter.Cli;
using Xunit;

namespace AlexNet.Realtime.WeightConverter.Tests;

[CollectionDefinition("Console", DisableParallelization = true)]
public sealed class ConsoleTestGroup;

/// <summary>The command line: bad input gives one clear line, a non-zero exit and no output file.</summary>
[Collection("Console")]
public sealed class CliTests
{
    private const string Canary = "/tmp/alexnet-rt-pickle-canary";

    public static TheoryData<string, string> BadWeights => new()
    {
        { "generated/not_a_checkpoint.zip", "not a PyTorch checkpoint" },
        { "generated/tv_mini_truncated.pth", "truncated or corrupt" },
        { "generated/tv_mini_wrong_shape.pth", "tensor classifier.4.weight: expected shape [64, 64], got [64, 63]" },
        { "generated/evil_os_system.pth", "refused to load global 'posix.system'" },
        { "generated/evil_os_system_legacy.pth", "refused to load global 'posix.system'" },
        { "imagenet_classes.txt", "not a PyTorch checkpoint" },
    };

    [Theory]
    [MemberData(nameof(BadWeights))]
    public void Convert_BadWeights_OneClearLineAndNoOutput(string weights, string message)
    {
        File.Delete(Canary);
        using var dir = new TempDirectory();
        var output = dir.File("model.onnx");

        var (code, _, error) = Run("convert", Fixtures.Path(weights), "-o", output, "-q");

        Assert.Equal(1, code);
        Assert.Contains(message, error, StringComparison.Ordinal);
        Assert.Single(error.TrimEnd().Split('\n'));
        Assert.StartsWith("alexnet-convert: error: ", error, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(dir.Path));
        Assert.False(File.Exists(Canary), "the pickle's os.system call ran");
    }

    [Fact]
    public void Convert_MissingFile_SaysSo()
    {
        using var dir = new TempDirectory();
        var (code, _, error) = Run("convert", dir.File("absent.pth"), "-o", dir.File("m.onnx"));
        Assert.Equal(1, code);
        Assert.Contains("absent.pth: no such file", error, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(dir.Path));
    }

    [Fact]
    public void Convert_EmptyFile_SaysSo()
    {
        using var dir = new TempDirectory();
        File.WriteAllBytes(dir.File("empty.pth"), []);
        var (code, _, error) = Run("convert", dir.File("empty.pth"), "-o", dir.File("m.onnx"));
        Assert.Equal(1, code);
        Assert.Contains("empty.pth: the file is empty", error, StringComparison.Ordinal);
        Assert.False(File.Exists(dir.File("m.onnx")));
    }

    [Fact]
    public void Convert_LabelsWithWrongCount_NamesTheFileAndBothCounts()
    {
        using var dir = new TempDirectory();
        File.WriteAllLines(dir.File("labels.txt"), Enumerable.Range(0, 9).Select(i => $"thing {i}"));
        var (code, _, error) = Run("convert", Fixtures.Path("tv_mini.pth"), "-o", dir.File("m.onnx"), "--labels", dir.File("labels.txt"), "-q");
        Assert.Equal(1, code);
        Assert.Equal($"alexnet-convert: error: --labels {dir.File("labels.txt")}: the labels file has 9 labels, but the model has 10 classes", error.Trim());
        Assert.False(File.Exists(dir.File("m.onnx")));
    }

    [Fact]
    public void Convert_TopLargerThanClasses_IsRefused()
    {
        using var dir = new TempDirectory();
        var (code, _, error) = Run("convert", Fixtures.Path("tv_mini.pth"), "-o", dir.File("m.onnx"), "--top", "11", "-q");
        Assert.Equal(1, code);
        Assert.Contains("--top 11 is more than the model's 10 classes", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Convert_ForcedWrongArchitecture_NamesTheTensor()
    {
        using var dir = new TempDirectory();
        var (code, _, error) = Run("convert", Fixtures.Path("tv_mini.pth"), "-o", dir.File("m.onnx"), "--arch", "paper", "-q");
        Assert.Equal(1, code);
        Assert.Contains("tensor features.3.bias is not part of a paper AlexNet", error, StringComparison.Ordinal);
    }

    [Fact]
    public void ConvertThenInspect_PrintsContractAndSignature()
    {
        using var dir = new TempDirectory();
        File.WriteAllLines(dir.File("labels.txt"), Enumerable.Range(0, 10).Select(i => $"thing {i}"));
        var model = dir.File("m.onnx");
        var (code, _, error) = Run("convert", Fixtures.Path("paper_mini.pth"), "-o", model, "--labels", dir.File("labels.txt"), "--top", "3", "-q");
        Assert.True(code == 0, error);

        var (inspectCode, json, _) = Run("inspect", model);
        Assert.Equal(0, inspectCode);
        using var doc = JsonDocument.Parse(json);
        var contract = doc.RootElement.GetProperty("contract");
        Assert.Equal("paper", contract.GetProperty("architecture").GetString());
        Assert.Equal(227, contract.GetProperty("crop_size").GetInt32());
        Assert.Equal(3, contract.GetProperty("top_k").GetInt32());
        Assert.Equal("thing 9", contract.GetProperty("labels")[9].GetString());
        Assert.Equal("pretrained", contract.GetProperty("weights").GetString());
        Assert.Equal("paper_mini.pth", contract.GetProperty("source_file").GetString());
        Assert.Equal(Graph.ModelFile.Sha256(Fixtures.Path("paper_mini.pth")), contract.GetProperty("source_sha256").GetString());
        Assert.Equal("conv", contract.GetProperty("dense_ops").GetString());
        var input = doc.RootElement.GetProperty("inputs")[0];
        Assert.Equal("frames", input.GetProperty("name").GetString());
        Assert.Equal("uint8", input.GetProperty("type").GetString());
        Assert.Equal(["logits", "probs_top", "index_top"], doc.RootElement.GetProperty("outputs").EnumerateArray().Select(o => o.GetProperty("name").GetString()));
        Assert.True(doc.RootElement.GetProperty("opsets")[0].GetProperty("version").GetInt64() >= 17);
    }

    [Theory]
    [InlineData(new string[0], "Conv", "conv")]
    [InlineData(new[] { "--fc-ops", "gemm" }, "Gemm", "gemm")]
    public void Convert_FcOps_ChoosesTheFullyConnectedOperatorsAndSaysWhich(string[] extra, string fc6Op, string denseOps)
    {
        using var dir = new TempDirectory();
        var model = dir.File("m.onnx");
        var (code, _, error) = Run(["convert", Fixtures.Path("tv_mini.pth"), "-o", model, "-q", .. extra]);
        Assert.True(code == 0, error);
        var written = Graph.ModelFile.Read(model);
        Assert.Equal(fc6Op, written.Graph.Node.Single(n => n.Input.Contains("classifier.1.weight")).OpType);
        Assert.Equal(denseOps, written.MetadataProps.Single(p => p.Key == "dense_ops").Value);
    }

    /// <summary>
    /// The contract names the graph's resized and cropped frame, where the engine may take over, and
    /// how it is made (the float resize's rounding, or PIL's integer arithmetic); an nchw model names none.
    /// </summary>
    [Theory]
    [InlineData(new string[0], "crop_levels", "Round", "float")]
    [InlineData(new[] { "--exact-resize" }, "crop_levels", "Cast", "pil")]
    [InlineData(new[] { "--input", "nchw" }, null, null, null)]
    public void Convert_NamesTheCropLevelsTensor_WhereTheGraphHasOne(string[] extra, string? expected, string? producerOp, string? resize)
    {
        using var dir = new TempDirectory();
        var model = dir.File("m.onnx");
        var (code, _, error) = Run(["convert", Fixtures.Path("tv_mini.pth"), "-o", model, "-q", .. extra]);
        Assert.True(code == 0, error);
        var written = Graph.ModelFile.Read(model);
        var named = written.MetadataProps.SingleOrDefault(p => p.Key == "crop_levels_tensor")?.Value;
        Assert.Equal(expected, named);
        Assert.Equal(resize, written.MetadataProps.SingleOrDefault(p => p.Key == "crop_levels_resize")?.Value);
        if (named is not null)
        {
            Assert.Equal(producerOp, written.Graph.Node.Single(n => n.Output.Contains(named)).OpType);
        }
    }

    [Fact]
    public void Inspect_ModelWithoutContract_ReportsWhatIsMissing()
    {
        var (code, json, _) = Run("inspect", Fixtures.Path("tv_mini.onnx"));
        Assert.Equal(0, code);
        using var doc = JsonDocument.Parse(json);
        Assert.Equal(JsonValueKind.Null, doc.RootElement.GetProperty("contract").ValueKind);
        Assert.Contains("no AlexNet.Realtime contract", doc.RootElement.GetProperty("contract_error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Inspect_NotAnOnnxFile_IsOneClearLine()
    {
        var (code, _, error) = Run("inspect", Fixtures.Path("imagenet_classes.txt"));
        Assert.Equal(1, code);
        Assert.Contains("not an ONNX model", error, StringComparison.Ordinal);
        Assert.Single(error.TrimEnd().Split('\n'));
    }

    [Theory]
    [InlineData(new[] { "convert" }, "Required argument missing for command: 'convert'.", "alexnet-convert convert --help")]
    [InlineData(new[] { "convert", "w.pth", "-o", "m.onnx", "--top", "five" }, "Cannot parse argument 'five' for option '--top' as a whole number.", "alexnet-convert convert --help")]
    [InlineData(new[] { "frobnicate" }, "Unrecognized command or argument 'frobnicate'.", "alexnet-convert --help")]
    [InlineData(new[] { "convert", "w.pth", "-o", "m.onnx", "--arch", "vgg" }, "Argument 'vgg' not recognized. Must be one of: 'auto' 'torchvision' 'paper'", "alexnet-convert convert --help")]
    public void CommandLineMistake_OneLineWithWhereTheUsageIs(string[] args, string says, string help)
    {
        var (code, output, error) = Run(args);
        Assert.Equal(1, code);
        Assert.Equal("", output);
        var line = Assert.Single(error.Trim().Split('\n'));
        Assert.StartsWith("alexnet-convert: error: ", line, StringComparison.Ordinal);
        Assert.Contains(says, line, StringComparison.Ordinal);
        Assert.EndsWith($"('{help}' shows the usage)", line, StringComparison.Ordinal);
    }

    [SkippableFact]
    public void UnwritableOutput_SaidBeforeTheWeightsAreRead()
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "needs /sys, which takes no new files (Linux)");
        var (code, _, error) = Run("convert", Fixtures.Path("tv_mini.pth"), "-o", "/sys/alexnet-rt-test.onnx");
        Assert.Equal(1, code);
        var line = Assert.Single(error.Trim().Split('\n'));
        Assert.StartsWith("alexnet-convert: error: --output /sys/alexnet-rt-test.onnx: cannot write there", line, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("convert", "tv_mini.pth")]
    [InlineData("import-onnx", "onnx-backend/light_bvlc_alexnet.onnx")]
    public void OutputNamedAsTheInput_RefusedAndTheInputKept(string command, string fixture)
    {
        using var dir = new TempDirectory();
        var input = dir.File(Path.GetFileName(fixture));
        File.Copy(Fixtures.Path(fixture.Split('/')), input);
        var before = File.ReadAllBytes(input);
        var (code, _, error) = Run(command, input, "-o", input, "-q");
        Assert.Equal(1, code);
        Assert.Contains("that is the input", Assert.Single(error.Trim().Split('\n')), StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllBytes(input));
    }

    [SkippableTheory]
    [InlineData("symlink")]
    [InlineData("hard link")]
    [InlineData("symlinked folder")]
    [InlineData("labels")]
    public void OutputReachingAnInputThroughALink_RefusedAndTheInputKept(string link)
    {
        Skip.If(OperatingSystem.IsWindows(), "links are made here with Unix calls");
        using var dir = new TempDirectory();
        var input = dir.File("weights/tv_mini.pth");
        Directory.CreateDirectory(dir.File("weights"));
        File.Copy(Fixtures.Path("tv_mini.pth"), input);
        var labels = dir.File("labels.txt");
        File.WriteAllLines(labels, Enumerable.Range(0, 10).Select(i => $"thing {i}"));
        var output = dir.File("model.onnx");
        switch (link)
        {
            case "symlink":
                File.CreateSymbolicLink(output, input);
                break;
            case "hard link":
                FileLinks.Hard(input, output);
                break;
            case "symlinked folder":
                Directory.CreateSymbolicLink(dir.File("linked"), dir.File("weights"));
                output = dir.File("linked/tv_mini.pth");
                break;
            default:
                output = dir.File("linked-labels.txt");
                File.CreateSymbolicLink(output, labels);
                break;
        }

        var before = File.ReadAllBytes(input);
        var beforeLabels = File.ReadAllBytes(labels);
        var (code, _, error) = Run("convert", input, "-o", output, "--labels", labels, "-q");

        Assert.Equal(1, code);
        Assert.Contains(link == "labels" ? "that is the --labels file" : "that is the input", Assert.Single(error.Trim().Split('\n')), StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllBytes(input));
        Assert.Equal(beforeLabels, File.ReadAllBytes(labels));
    }

    [SkippableTheory]
    [InlineData("the video given")]
    [InlineData("a picture in the folder given")]
    [InlineData("a hard link to the video given")]
    public void OutputNamedAsACalibrationPicture_RefusedBeforeCalibratingAndThePictureKept(string how)
    {
        Skip.If(OperatingSystem.IsWindows() && how.Contains("link", StringComparison.Ordinal), "links are made here with Unix calls");
        using var dir = new TempDirectory();
        Directory.CreateDirectory(dir.File("cal"));
        var video = dir.File("clip.mp4");
        var picture = dir.File("cal/rocket.png");
        File.Copy(Path.Combine(Fixtures.RepositoryRoot, "samples", "demo-640x480.mp4"), video);
        File.Copy(Fixtures.Image("rocket.png"), picture);
        var (calibrate, output, kept) = how switch
        {
            "the video given" => (video, video, video),
            "a picture in the folder given" => (dir.File("cal"), picture, picture),
            _ => (video, Linked(video, dir.File("model.onnx")), video),
        };
        var before = File.ReadAllBytes(kept);

        var (code, _, error) = Run("convert", Fixtures.Path("tv_mini.pth"), "--precision", "int8", "--calibrate", calibrate, "-o", output, "--force", "-q");

        Assert.Equal(1, code);
        Assert.Contains($"--output {output}: that is a --calibrate file", Assert.Single(error.Trim().Split('\n')), StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllBytes(kept));

        static string Linked(string target, string link)
        {
            FileLinks.Hard(target, link);
            return link;
        }
    }

    [SkippableFact]
    public void FileIdentity_SeesThroughEveryLink_AndTellsFilesApart()
    {
        Skip.If(!OperatingSystem.IsLinux(), "identities are read with statx on Linux (Windows: GetFileInformationByHandle, not run here)");
        using var dir = new TempDirectory();
        var a = dir.File("a.bin");
        var b = dir.File("b.bin");
        File.WriteAllBytes(a, [1]);
        File.WriteAllBytes(b, [1]);
        FileLinks.Hard(a, dir.File("a-hard.bin"));
        File.CreateSymbolicLink(dir.File("a-sym.bin"), a);

        var identity = FileIdentity.Of(a);
        Assert.NotNull(identity);
        Assert.Equal(identity, FileIdentity.Of(dir.File("a-hard.bin")));
        Assert.Equal(identity, FileIdentity.Of(dir.File("a-sym.bin")));
        Assert.NotEqual(identity, FileIdentity.Of(b));
        Assert.Null(FileIdentity.Of(dir.File("none.bin")));
        using var handle = File.OpenHandle(dir.File("a-sym.bin"));
        Assert.Equal(identity, FileIdentity.Of(handle));
    }

    /// <summary>
    /// SIGTERM while the model is written (the 244 MB synthetic model, written for about a second)
    /// leaves no temporary file, as Ctrl-C does not: the converter runs as its own process.
    /// </summary>
    [SkippableFact]
    public void TerminatedWhileWriting_NoTemporaryFileLeft()
    {
        Skip.If(OperatingSystem.IsWindows(), "SIGTERM is Unix's");
        using var dir = new TempDirectory();
        var converter = Path.Combine(AppContext.BaseDirectory, "alexnet-convert.dll");
        var start = new System.Diagnostics.ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet", [converter, "synthetic", "-o", dir.File("model.onnx"), "-q"])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        using var process = System.Diagnostics.Process.Start(start)!;
        var caught = false;
        while (!process.HasExited)
        {
            if (Directory.GetFiles(dir.Path, ".model.onnx.tmp-*").Length > 0)
            {
                caught = true;
                System.Diagnostics.Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!.WaitForExit();
                break;
            }

            Thread.Sleep(1);
        }

        process.WaitForExit();
        Skip.IfNot(caught, "the model was written before its temporary file was seen; nothing to interrupt");
        Assert.NotEqual(0, process.ExitCode);
        Assert.Empty(Directory.GetFiles(dir.Path, ".model.onnx.tmp-*"));
        Assert.False(File.Exists(dir.File("model.onnx")));
    }

    [SkippableFact]
    public void OutputOnADevice_RefusedAndTheDeviceKept()
    {
        Skip.If(OperatingSystem.IsWindows(), "needs /dev/null");
        var (code, _, error) = Run("convert", Fixtures.Path("tv_mini.pth"), "-o", "/dev/null", "-q");
        Assert.Equal(1, code);
        Assert.Equal("alexnet-convert: error: --output /dev/null: a device, not a file; give a file name", error.Trim());
        Assert.Equal(0, new FileInfo("/dev/null").Length);
    }

    private static (int Code, string Out, string Error) Run(params string[] args) => ConverterCli.Run(args);
}
