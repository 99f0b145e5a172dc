using System.Diagnostics;
using AlexNet.Realtime.TestSupport;
using AlexNet.Realtime.WeightConverter.Architecture;
using AlexNet.Realtime.WeightConverter.Graph;
using AlexNet.Realtime.WeightConverter.Weights;
using CsCheck;
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

    // CI runs the same cases every time (drawn once from a fixed seed), so a red run is a change
    // in the readers, not a new find. ALEXNET_RT_FUZZ=N samples N fresh random cases per property
    // instead (CsCheck, shrinking what fails) to look for more; a find goes into
    // damaged-inputs.txt with its fix.
    private static readonly string? Exploring = Environment.GetEnvironmentVariable("ALEXNET_RT_FUZZ");
    private const string CiSeed = "1C5MieLmbxy1";
    private const int CiCases = 1500;

    // Each case takes milliseconds; a case this slow is a reader looping or allocating without bound.
    private static readonly TimeSpan SlowCase = TimeSpan.FromSeconds(5);

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

        var (code, _, error) = ConsoleCapture.Run(() => Cli.CommandLineErrors.Invoke("alexnet-convert", Cli.ConverterCommands.Create().Parse(args)));

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

    private static void Property((string Name, byte[] Bytes)[] seeds, TempDirectory dir)
    {
        var cases = Gen.Int[0, seeds.Length - 1].SelectMany(i => Mutation.For(seeds[i].Bytes.Length).Select(m => (Seed: seeds[i], Mutation: m)));
        void Check((string Name, byte[] Bytes) seed, Mutation mutation)
        {
            var damaged = mutation.Apply(seed.Bytes);
            var clock = Stopwatch.StartNew();
            try
            {
                Convert(seed.Name, damaged, dir);
            }
            catch (ConversionException e)
            {
                AssertSaysSomething(e);
            }

            Assert.True(clock.Elapsed < SlowCase, $"{clock.Elapsed.TotalSeconds:F1} s");
        }

        var run = Task.Run(() =>
        {
            if (Exploring is null)
            {
                foreach (var (seed, mutation) in cases.Array[CiCases].Single(_ => true, CiSeed))
                {
                    try
                    {
                        Check(seed, mutation);
                    }
                    catch (Exception e)
                    {
                        throw new Xunit.Sdk.XunitException($"{seed.Name} {mutation}: {e.GetType().Name}: {e.Message}");
                    }
                }
            }
            else
            {
                cases.Sample(c => Check(c.Seed, c.Mutation), iter: int.Parse(Exploring, System.Globalization.CultureInfo.InvariantCulture), print: c => $"{c.Seed.Name} {c.Mutation}");
            }
        });

        // A reader that never returns would hang the whole run; fail it instead, naming the cause.
        Assert.True(run.Wait(TimeSpan.FromMinutes(Exploring is null ? 3 : 60)), "a damaged input kept a reader busy for minutes");
    }

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
