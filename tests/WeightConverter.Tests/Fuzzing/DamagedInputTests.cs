using AlexNet.Realtime.TestSupport;
using AlexNet.Realtime.WeightConverter.Architecture;
using AlexNet.Realtime.WeightConverter.Graph;
using AlexNet.Realtime.WeightConverter.Weights;
using Xunit;

namespace AlexNet.Realtime.WeightConverter.Tests.Fuzzing;

/// <summary>
/// Damaged weights and ONNX files, made by <see cref="Mutation"/> from real ones: each is read,
/// or refused with a <see cref="ConversionException"/> (naming the file where the reader knows
/// it); never another exception (the CLI would call it an internal error), never a hang.
/// Damage that once broke a reader is kept in tests/fixtures/fuzz/damaged-inputs.txt (all but
/// one of those are refused; a Reshape without a shape input is an opset-1 Reshape, imported).
/// </summary>
[Collection("Console")]
public sealed class DamagedInputTests
{
    private static readonly string[] CheckpointSeeds =
    [
        "tv_mini.pth",
        "paper_mini.pth",
        "generated/tv_mini_legacy.pth",
        "generated/tv_mini_bf16_legacy_checkpoint.pth",
        "generated/tv_mini_fp16_dataparallel_checkpoint.pth",
        "generated/tv_mini_shared_views.pth",
        "generated/tv_mini.safetensors",
    ];

    private const string OnnxSeed = "onnx-backend/light_bvlc_alexnet.onnx";

    // The same cases in CI every time; ALEXNET_RT_FUZZ=N for N fresh ones (DamageRun). A find goes
    // into damaged-inputs.txt with its fix.
    private const string CiSeed = "1C5MieLmbxy1";
    private const int CiCases = 1500;

    public static TheoryData<string, string> Regressions()
    {
        var data = new TheoryData<string, string>();
        foreach (var line in File.ReadLines(Fixtures.Path("fuzz", "damaged-inputs.txt")))
        {
            var text = line.Split('#')[0].Trim();
            if (text.Length > 0)
            {
                var parts = text.Split(' ', 2, StringSplitOptions.TrimEntries);
                data.Add(parts[0], parts[1]);
            }
        }

        return data;
    }

    /// <summary>Through the CLI, as a user meets it: converted, or one line on stderr and exit 1.</summary>
    [Theory]
    [MemberData(nameof(Regressions))]
    public void KeptDamagedInput_ConvertedOrOneLineAndExit1(string seed, string mutation)
    {
        var parts = mutation.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var damaged = Mutation.Parse(parts[0], parts[1], parts[2]).Apply(File.ReadAllBytes(Fixtures.Path(seed.Split('/'))));
        using var dir = new TempDirectory();
        var file = dir.File(Path.GetFileName(seed));
        File.WriteAllBytes(file, damaged);
        string[] args = [seed.EndsWith(".onnx", StringComparison.Ordinal) ? "import-onnx" : "convert", file, "-o", dir.File("model.onnx"), "-q"];

        var (code, _, error) = ConsoleCapture.Run(() => CommandLine.CommandLineErrors.Invoke("alexnet-convert", CommandLine.ToolCommandLine.Parse(Cli.ConverterCommands.Create(), args)));

        Assert.True(code is 0 or 1, $"exit {code}: {error}");
        if (code == 1)
        {
            Assert.StartsWith("alexnet-convert: error: ", Assert.Single(error.Trim().Split('\n')), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void DamagedCheckpoint_IsReadOrRefusedWithOneClearError()
    {
        var seeds = CheckpointSeeds.Select(s => (Name: s, Bytes: File.ReadAllBytes(Fixtures.Path(s.Split('/'))))).ToArray();
        using var dir = new TempDirectory();
        Property(seeds, dir);
    }

    [Fact]
    public void DamagedZooGraph_IsImportedOrRefusedWithOneClearError()
    {
        using var dir = new TempDirectory();
        Property([(OnnxSeed, File.ReadAllBytes(Fixtures.Path(OnnxSeed.Split('/'))))], dir);
    }

    private static void Property((string Name, byte[] Bytes)[] seeds, TempDirectory dir) =>
        DamageRun.Over(seeds, CiSeed, CiCases, (seed, damaged) =>
        {
            try
            {
                Convert(seed.Name, damaged, dir);
            }
            catch (ConversionException e)
            {
                AssertSaysSomething(e);
            }
        });

    /// <summary>What alexnet-convert does with the file: read it and build the model from it.</summary>
    private static void Convert(string seedName, byte[] damaged, TempDirectory dir)
    {
        if (seedName.EndsWith(".onnx", StringComparison.Ordinal))
        {
            var path = dir.File($"{Guid.NewGuid():N}.onnx");
            File.WriteAllBytes(path, damaged);
            ZooImporter.Import(ModelFile.Read(path), new ModelOptions());
            return;
        }

        var name = Path.GetFileName(seedName);
        StateDict weights;
        try
        {
            weights = CheckpointReader.Read(damaged, name);
        }
        catch (ConversionException e)
        {
            // The checkpoint readers name the file in every message.
            Assert.StartsWith(name + ":", e.Message, StringComparison.Ordinal);
            throw;
        }

        AlexNetModelBuilder.Build(ArchitectureDetector.Detect(weights, forced: null), weights, new ModelOptions());
    }

    // Its message is printed on one line by the CLI (control characters escaped there).
    private static void AssertSaysSomething(ConversionException e) => Assert.False(string.IsNullOrWhiteSpace(e.Message));
}
