using AlexNet.Realtime.TestSupport;
using Xunit;

namespace AlexNet.Realtime.App.Tests;

/// <summary>
/// Every output against every file the run reads, not only its sources: the model being run, a
/// dataset's images. An output is renamed over its name when written, so one named as an input
/// (directly or through a link) would destroy it; each is refused before any work, in one line
/// naming what it is, and the input is kept byte for byte.
/// </summary>
[Collection("App")]
public sealed class OutputsOverInputsTests(AppModels models)
{
    [SkippableTheory]
    [InlineData("label -o", "directly")]
    [InlineData("label -o", "symlink")]
    [InlineData("label -o", "hard link")]
    [InlineData("profile --report", "directly")]
    [InlineData("profile --trace", "symlink")]
    [InlineData("eval --json", "directly")]
    [InlineData("eval --json", "hard link")]
    public void OutputNamedAsTheModel_RefusedAndTheModelKept(string output, string how)
    {
        Skip.If(OperatingSystem.IsWindows() && how != "directly", "links are made here with Unix calls");
        using var dir = new TempDirectory();
        var model = dir.File("model.onnx");
        File.Copy(models.MiniFrames, model);
        var before = File.ReadAllBytes(model);
        var target = how switch
        {
            "directly" => model,
            "symlink" => Symlink(model, dir.File("link.jsonl")),
            _ => HardLink(model, dir.File("link.jsonl")),
        };
        var photo = Fixtures.Image("rocket.png");
        Directory.CreateDirectory(dir.File("set/class_1"));
        File.Copy(photo, dir.File("set/class_1/rocket.png"));

        string[] args = output switch
        {
            "label -o" => ["label", photo, "-o", target, "--format", "jsonl"],
            "profile --report" => ["profile", "--source", photo, "--frames", "2", "--warmup", "0", "--report", target],
            "profile --trace" => ["profile", "--source", photo, "--frames", "2", "--warmup", "0", "--trace", target],
            _ => ["eval", dir.File("set"), "--json", target],
        };
        var (code, _, error) = CliRunner.Run([.. args, "--model", model, "--device", "cpu"]);

        Assert.Equal(1, code);
        var line = Assert.Single(error.Trim().Split('\n'));
        var option = output == "label -o" ? "--output" : output.Split(' ')[1];
        Assert.Contains($"{option} {target}: that is ", line, StringComparison.Ordinal);
        Assert.Contains("model being run", line, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllBytes(model));
    }

    [SkippableTheory]
    [InlineData("directly")]
    [InlineData("hard link")]
    public void EvalJsonNamedAsOneOfTheDatasetsImages_RefusedAndTheImageKept(string how)
    {
        Skip.If(OperatingSystem.IsWindows() && how != "directly", "links are made here with Unix calls");
        using var dir = new TempDirectory();
        Directory.CreateDirectory(dir.File("set/class_1"));
        Directory.CreateDirectory(dir.File("set/class_2"));
        File.Copy(Fixtures.Image("rocket.png"), dir.File("set/class_1/rocket.png"));
        File.Copy(Fixtures.Image("chelsea.png"), dir.File("set/class_2/chelsea.png"));
        var image = dir.File("set/class_2/chelsea.png");
        var before = File.ReadAllBytes(image);
        var target = how == "directly" ? image : HardLink(image, dir.File("report.json"));

        var (code, _, error) = CliRunner.Run("eval", dir.File("set"), "--model", models.MiniFrames, "--device", "cpu", "--json", target);

        Assert.Equal(1, code);
        Assert.Contains($"--json {target}: that is the dataset's image {image}; choose another name", Assert.Single(error.Trim().Split('\n')), StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllBytes(image));
    }

    [Fact]
    public void RowsNamedAsTheAnnotatedFolder_RefusedAndNoFolderLeft()
    {
        using var dir = new TempDirectory();
        var both = dir.File("ann");

        var (code, _, error) = CliRunner.Run("label", Fixtures.Image("rocket.png"), "-o", both, "--format", "jsonl", "--annotated", both, "--model", models.MiniFrames, "--device", "cpu");

        Assert.Equal(1, code);
        Assert.Equal($"alexnet-rt: error: --output {both}: that is the --annotated folder; give the rows another name", Assert.Single(error.Trim().Split('\n')));
        Assert.False(Directory.Exists(both) || File.Exists(both));
    }

    private static string Symlink(string target, string link)
    {
        File.CreateSymbolicLink(link, target);
        return link;
    }

    private static string HardLink(string target, string link)
    {
        FileLinks.Hard(target, link);
        return link;
    }
}
