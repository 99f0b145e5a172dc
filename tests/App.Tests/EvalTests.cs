using System.Text.Json;
using AlexNet.Realtime.Inference.Engine;
using AlexNet.Realtime.TestSupport;
using AlexNet.Realtime.WeightConverter.Architecture;
using AlexNet.Realtime.WeightConverter.Graph;
using AlexNet.Realtime.WeightConverter.Weights;
using OpenCvSharp;
using Xunit;

namespace AlexNet.Realtime.App.Tests;

/// <summary>
/// <c>alexnet-rt eval</c> on datasets made here with known answers: each photo's top-5 from the
/// mini model is found first, then the ground truth is chosen so some are right and some wrong.
/// </summary>
[Collection("App")]
public sealed class EvalTests(AppModels models)
{
    [Fact]
    public void ClassFolders_ByNameAndIndex_ExactAccuracyPerClassAndConfusions()
    {
        using var dir = new TempDirectory();
        var top = TopFive(models.MiniFrames);

        // chelsea and coffee right (one folder by class name, one by index), astronaut right
        // only at top-5 (its second class), rocket wrong at both (a class outside its top 5).
        var astronautTruth = top["astronaut"][1];
        var rocketTruth = Outside(top["rocket"]);
        Put(dir, $"class_{top["chelsea"][0]}", "chelsea");
        Put(dir, $"{top["coffee"][0]}", "coffee");
        Put(dir, $"class_{astronautTruth}", "astronaut");
        Put(dir, $"CLASS_{rocketTruth}", "rocket");

        var (code, stdout, error) = CliRunner.Run("eval", dir.File("set"), "--model", models.MiniFrames, "--json", dir.File("out.json"), "--batch", "3", "--lanes", "2");

        Assert.True(code == 0, error);
        var model = Json(dir.File("out.json")).GetProperty("models")[0];
        AssertCount(model.GetProperty("top1"), 2, 4);
        AssertCount(model.GetProperty("topk"), 3, 4);
        Assert.Equal(5, model.GetProperty("k").GetInt32());

        // Each wrong top-1 is a confused pair: true class -> the photo's top-1.
        var confused = model.GetProperty("confused").EnumerateArray()
            .Select(p => (p.GetProperty("true").GetProperty("index").GetInt32(), p.GetProperty("predicted").GetProperty("index").GetInt32(), p.GetProperty("count").GetInt64()))
            .Order()
            .ToList();
        Assert.Equal(new[] { (astronautTruth, top["astronaut"][0], 1L), (rocketTruth, top["rocket"][0], 1L) }.Order(), confused);

        // Per class: the photos whose truth it is, and how many of them its top-1 got.
        (int Truth, bool Right)[] truths = [(top["chelsea"][0], true), (top["coffee"][0], true), (astronautTruth, false), (rocketTruth, false)];
        var expected = truths.GroupBy(t => t.Truth).ToDictionary(g => g.Key, g => (Images: (long)g.Count(), Right: (long)g.Count(t => t.Right)));
        var perClass = model.GetProperty("per_class").EnumerateArray().ToDictionary(
            c => c.GetProperty("index").GetInt32(),
            c => (Images: c.GetProperty("images").GetInt64(), Right: c.GetProperty("top1").GetProperty("count").GetInt64()));
        Assert.Equal(expected.OrderBy(p => p.Key), perClass.OrderBy(p => p.Key));
        Assert.Contains("4 images evaluated", stdout, StringComparison.Ordinal);
        Assert.Contains("50.00% [", stdout, StringComparison.Ordinal);
        Assert.Contains($"class_{astronautTruth} -> class_{top["astronaut"][0]}: 1", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void WordNetIdsAndImageNetNames_BothMapToTheModelsClasses()
    {
        using var dir = new TempDirectory();

        // The mini model with ImageNet's first ten class names: tench, goldfish, ...
        var named = dir.File("named.onnx");
        var state = CheckpointReader.Read(Fixtures.Path("tv_mini.pth"));
        ModelFile.Write(AlexNetModelBuilder.Build(ArchitectureDetector.Detect(state, null), state, new ModelOptions { SourceFile = "tv_mini.pth", Labels = [.. Labels.ImageNet.Take(10)] }), named);
        var top = TopFive(named);

        // chelsea by WordNet id (right), coffee by ImageNet name in other case (right), astronaut by the id of a class outside its top 5.
        var wnids = App.Evaluation.ImageNetIds.All;
        Put(dir, wnids[top["chelsea"][0]], "chelsea");
        Put(dir, Labels.ImageNet[top["coffee"][0]].ToUpperInvariant(), "coffee");
        Put(dir, wnids[Outside(top["astronaut"])], "astronaut");

        var (code, stdout, error) = CliRunner.Run("eval", dir.File("set"), "-m", named, "--json");

        Assert.True(code == 0, error);
        using var json = JsonDocument.Parse(stdout);
        var model = json.RootElement.GetProperty("models")[0];
        AssertCount(model.GetProperty("top1"), 2, 3);
        Assert.Equal(new[] { top["chelsea"][0], top["coffee"][0], Outside(top["astronaut"]) }.Distinct().Count(), json.RootElement.GetProperty("dataset").GetProperty("classes").GetInt32());
        var wnidsSeen = model.GetProperty("per_class").EnumerateArray().Select(c => c.GetProperty("label").GetString()).ToList();
        Assert.Contains(Labels.ImageNet[top["chelsea"][0]], wnidsSeen);
    }

    [Fact]
    public void ClassFolderOfNoClass_OneLineAndNonZeroBeforeAnyImage()
    {
        using var dir = new TempDirectory();
        Put(dir, "class_1", "chelsea");
        Put(dir, "kangaroo", "coffee");

        var (code, stdout, error) = CliRunner.Run("eval", dir.File("set"), "-m", models.MiniFrames);

        Assert.Equal(1, code);
        Assert.Equal("", stdout);
        Assert.Contains("1 of its 2 class folders name no class of the model; the first, kangaroo: 'kangaroo' is no class of the model", error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
    }

    [Fact]
    public void CsvWithMissingAndUnreadableImages_CountedAndNamed_RunGoesOn()
    {
        using var dir = new TempDirectory();
        var top = TopFive(models.MiniFrames);
        Directory.CreateDirectory(dir.File("images"));
        foreach (var photo in Fixtures.Photos)
        {
            File.Copy(Fixtures.Image($"{photo}.png"), dir.File($"images/{photo}.png"));
        }

        File.WriteAllBytes(dir.File("images/broken.png"), File.ReadAllBytes(Fixtures.Image("rocket.png")).AsSpan(0, 2000).ToArray());

        // The bad rows sit between good ones: the images after them must still count.
        File.WriteAllLines(dir.File("list.csv"),
        [
            "path,label",
            $"chelsea.png,class_{top["chelsea"][0]}",
            "broken.png,class_0",
            $"coffee.png,{Outside(top["coffee"])}",
            "gone.png,class_0",
            $"astronaut,class_{top["astronaut"][0]}",
            $"rocket.png,class_{top["rocket"][0]}",
        ]);

        var (code, stdout, error) = CliRunner.Run("eval", dir.File("list.csv"), "-m", models.MiniFrames, "--images", dir.File("images"), "--json", dir.File("out.json"), "--batch", "2");

        Assert.Equal(1, code);
        var json = Json(dir.File("out.json"));
        var dataset = json.GetProperty("dataset");
        Assert.Equal(6, dataset.GetProperty("entries").GetInt64());
        Assert.Equal(4, dataset.GetProperty("classified").GetInt64());
        Assert.Equal(2, dataset.GetProperty("failed").GetInt64());
        AssertCount(json.GetProperty("models")[0].GetProperty("top1"), 3, 4);
        var failures = json.GetProperty("failures").EnumerateArray().ToDictionary(f => f.GetProperty("image").GetString()!, f => f.GetProperty("error").GetString()!);
        Assert.Equal(["broken.png", "gone.png"], failures.Keys.Order());
        Assert.Contains("cannot be decoded", failures["broken.png"], StringComparison.Ordinal);
        Assert.Contains("no such file", failures["gone.png"], StringComparison.Ordinal);
        Assert.Contains("broken.png: cannot be decoded", error, StringComparison.Ordinal);
        Assert.Contains("failed, not counted above: 2 images", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void TwoModels_AgreementFrameByFrame_AndEachOnesAccuracy()
    {
        using var dir = new TempDirectory();
        var top = TopFive(models.MiniFrames);
        var copy = dir.File("again.onnx");
        File.Copy(models.MiniFrames, copy);
        Put(dir, $"class_{top["chelsea"][0]}", "chelsea");
        Put(dir, $"class_{Outside(top["coffee"])}", "coffee");

        var (code, stdout, error) = CliRunner.Run("eval", dir.File("set"), "-m", models.MiniFrames, "-m", copy, "--json", "-");

        Assert.True(code == 0, error);
        using var json = JsonDocument.Parse(stdout);
        var root = json.RootElement;
        Assert.Equal(2, root.GetProperty("models").GetArrayLength());
        foreach (var model in root.GetProperty("models").EnumerateArray())
        {
            AssertCount(model.GetProperty("top1"), 1, 2);
        }

        var pair = root.GetProperty("agreement").EnumerateArray().Single();
        Assert.Equal("again.onnx", pair.GetProperty("b").GetString());
        AssertCount(pair.GetProperty("top1_agreement"), 2, 2);
        Assert.Equal(1, pair.GetProperty("both_right").GetInt64());
        Assert.Equal(1, pair.GetProperty("both_wrong").GetInt64());
        Assert.Equal(0, pair.GetProperty("only_a_right").GetInt64());
    }

    [Fact]
    public void NoSuchDataset_OneLineNonZero()
    {
        using var dir = new TempDirectory();
        var (code, _, error) = CliRunner.Run("eval", dir.File("nothing-here"), "-m", models.MiniFrames);
        Assert.Equal(1, code);
        Assert.Equal($"alexnet-rt: error: {dir.File("nothing-here")}: no such folder or list file", error.Trim());
    }

    [Fact]
    public void AnImageGivenAsTheDataset_SaysWhatEvalWants()
    {
        var (code, _, error) = CliRunner.Run("eval", Fixtures.Image("chelsea.png"), "-m", models.MiniFrames);
        Assert.Equal(1, code);
        Assert.Contains("chelsea.png: an image or video, not a dataset (eval wants a folder of class folders", error, StringComparison.Ordinal);
    }

    [Fact]
    public void JsonNamedAsTheList_RefusedAndTheListKept()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("list.csv"), "a.png,class_1\n");
        var (code, _, error) = CliRunner.Run("eval", dir.File("list.csv"), "-m", models.MiniFrames, "--json", dir.File("list.csv"));
        Assert.Equal(1, code);
        Assert.Contains("that is the dataset's list; choose another name", error, StringComparison.Ordinal);
        Assert.Equal("a.png,class_1\n", File.ReadAllText(dir.File("list.csv")));
    }

    /// <summary>Each photo's five classes, most likely first, from the model run here on its own.</summary>
    private static Dictionary<string, int[]> TopFive(string model)
    {
        using var engine = ClassifierEngine.Open(model, new EngineOptions { Device = Inference.Devices.DeviceRequest.Cpu });
        var top = new Dictionary<string, int[]>();
        foreach (var photo in Fixtures.Photos)
        {
            using var image = Cv2.ImRead(Fixtures.Image($"{photo}.png"), ImreadModes.Color);
            top[photo] = engine.Classify(image).Indices[..5].ToArray();
        }

        return top;
    }

    /// <summary>A class of the 10 that is not among <paramref name="top"/>.</summary>
    private static int Outside(int[] top) => Enumerable.Range(0, 10).First(c => !top.Contains(c));

    private static void Put(TempDirectory dir, string classFolder, string photo)
    {
        Directory.CreateDirectory(dir.File($"set/{classFolder}"));
        File.Copy(Fixtures.Image($"{photo}.png"), dir.File($"set/{classFolder}/{photo}.png"));
    }

    private static JsonElement Json(string path) => JsonDocument.Parse(File.ReadAllBytes(path)).RootElement;

    private static void AssertCount(JsonElement proportion, long count, long of)
    {
        Assert.Equal((count, of), (proportion.GetProperty("count").GetInt64(), proportion.GetProperty("of").GetInt64()));
        var interval = proportion.GetProperty("ci95");
        var expected = App.Evaluation.WilsonInterval.Of(count, of);
        Assert.Equal(Math.Round(expected.Low, 6), interval[0].GetDouble());
        Assert.Equal(Math.Round(expected.High, 6), interval[1].GetDouble());
    }
}
