using System.Text.Json;
using AlexNet.Realtime.TestSupport;
using Xunit;

namespace AlexNet.Realtime.App.Tests;

[Collection("App")]
public sealed class ClassifyTests(AppModels models)
{
    [Fact]
    public void Json_OneRowPerImageHighestFirst()
    {
        var images = Fixtures.Photos.Select(p => Fixtures.Image(p + ".png")).ToArray();
        var (code, output, error) = CliRunner.Run(["classify", .. images, "--model", models.MiniFrames, "--device", "cpu", "--json", "--top", "3"]);
        Assert.True(code == 0, error);
        var lines = output.Trim().Split('\n');
        Assert.Equal(4, lines.Length);
        for (var i = 0; i < 4; i++)
        {
            using var row = JsonDocument.Parse(lines[i]);
            Assert.Equal(images[i], row.RootElement.GetProperty("source").GetString());
            Assert.Equal(0, row.RootElement.GetProperty("frame").GetInt32());
            var top = row.RootElement.GetProperty("top").EnumerateArray().ToList();
            Assert.Equal(3, top.Count);
            var p = top.Select(t => t.GetProperty("p").GetDouble()).ToList();
            Assert.True(p.SequenceEqual(p.OrderByDescending(v => v)), string.Join(",", p));
            Assert.All(top, t => Assert.Equal($"class_{t.GetProperty("index").GetInt32()}", t.GetProperty("label").GetString()));
        }
    }

    /// <summary>The engine's own resize and the graph's give the same top-K, probabilities a level's rounding apart at most.</summary>
    [Fact]
    public void PreprocessHostAndGraph_SameTopK()
    {
        var images = Fixtures.Photos.Select(p => Fixtures.Image(p + ".png")).ToArray();
        string[] Rows(string place)
        {
            var (code, output, error) = CliRunner.Run(["classify", .. images, "--model", models.MiniFrames, "--device", "cpu", "--json", "--preprocess", place]);
            Assert.True(code == 0, error);
            return output.Trim().Split('\n');
        }

        var host = Rows("host");
        var graph = Rows("graph");
        Assert.Equal(4, host.Length);
        for (var i = 0; i < host.Length; i++)
        {
            using var a = JsonDocument.Parse(host[i]);
            using var b = JsonDocument.Parse(graph[i]);
            var topA = a.RootElement.GetProperty("top").EnumerateArray().ToList();
            var topB = b.RootElement.GetProperty("top").EnumerateArray().ToList();
            Assert.Equal(topB.Select(t => t.GetProperty("index").GetInt32()), topA.Select(t => t.GetProperty("index").GetInt32()));
            Assert.All(topA.Zip(topB), t => Assert.Equal(t.Second.GetProperty("p").GetDouble(), t.First.GetProperty("p").GetDouble(), 2e-4));
        }
    }

    [Fact]
    public void PreprocessNeitherHostNorGraph_OneLine()
    {
        var (code, output, error) = CliRunner.Run("classify", Fixtures.Image("coffee.png"), "--model", models.MiniFrames, "--preprocess", "gpu");
        Assert.Equal(1, code);
        Assert.Equal("", output);
        Assert.Single(error.Trim().Split('\n'));
        Assert.Contains("'gpu' not recognized. Must be one of: 'host' 'graph'", error, StringComparison.Ordinal);
    }

    [Fact]
    public void NoImages_OneLineWithWhereTheUsageIs()
    {
        var (code, output, error) = CliRunner.Run("classify");
        Assert.Equal(1, code);
        Assert.Equal("", output);
        Assert.Equal("alexnet-rt: error: Required argument missing for command: 'classify'. ('alexnet-rt classify --help' shows the usage)", error.Trim());
    }

    [Fact]
    public void UnreadableImage_IsReportedAndTheRestClassified()
    {
        var (code, output, error) = CliRunner.Run("classify", Fixtures.Image("coffee.png"), Fixtures.Path("imagenet_classes.txt"), "--model", models.MiniFrames, "--device", "cpu", "--json");
        Assert.Equal(1, code);
        Assert.Single(output.Trim().Split('\n'));
        Assert.Contains("imagenet_classes.txt: cannot be decoded as an image", error, StringComparison.Ordinal);
    }

    [Fact]
    public void NoGivenImageExists_SaidBeforeTheModelIsLoaded()
    {
        // The model path does not exist either: the images' error coming alone shows the model was never opened.
        var (code, output, error) = CliRunner.Run("classify", "/nonexistent/a.jpg", "/nonexistent/b.png", "--model", "/nonexistent/model.onnx");
        Assert.Equal(1, code);
        Assert.Equal("", output);
        Assert.Equal(
            ["alexnet-rt: error: /nonexistent/a.jpg: no such file", "alexnet-rt: error: /nonexistent/b.png: no such file"],
            error.Trim().Split('\n').Select(l => l.TrimEnd('\r')).ToArray());
    }

    [Fact]
    public void ImageNamedWithAnAt_IsAFileNameNotAResponseFile()
    {
        // Run as a process, as Program.cs parses the command line; a relative name, as typed.
        using var dir = new TempDirectory();
        File.Copy(Fixtures.Image("coffee.png"), dir.File("@coffee.png"));
        File.WriteAllText(dir.File("coffee.png"), "--json");

        using var app = AppProcess.StartIn(dir.Path, new Dictionary<string, string>(), "classify", "@coffee.png", "--model", models.MiniFrames, "--device", "cpu");
        var (code, error, output) = app.WaitForExit(TimeSpan.FromMinutes(2));

        Assert.True(code == 0, string.Join("\n", error));
        Assert.Equal("@coffee.png", output.Split('\n')[0].TrimEnd('\r'));
    }

    [Fact]
    public void TopBeyondTheModel_IsRefused()
    {
        var (code, _, error) = CliRunner.Run("classify", Fixtures.Image("coffee.png"), "--model", models.MiniFrames, "--top", "7");
        Assert.Equal(1, code);
        Assert.Contains("the model returns its top 5", error, StringComparison.Ordinal);
    }

    [Fact]
    public void DmlOnLinux_IsOneClearError()
    {
        var (code, _, error) = CliRunner.Run("classify", Fixtures.Image("coffee.png"), "--model", models.MiniFrames, "--device", "dml");
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        Assert.Equal(1, code);
        Assert.Contains("DirectML is only in Windows builds", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Devices_ListsProvidersAndChoices()
    {
        var (code, output, _) = CliRunner.Run("devices");
        Assert.Equal(0, code);
        Assert.Contains("CPUExecutionProvider", output, StringComparison.Ordinal);
        Assert.Contains("dml[:N]", output, StringComparison.Ordinal);
        Assert.Contains("cuda[:N]", output, StringComparison.Ordinal);
        Assert.Contains(Capture.Readers.LibavVideoReader.Available ? "  libav     yes (" : "  libav     no: ", output, StringComparison.Ordinal);
        Assert.Contains($"  auto      {(Capture.Readers.LibavVideoReader.Available ? "libav" : "opencv")}", output, StringComparison.Ordinal);

        // The tests' own cache folder (ModelCacheForTests), as the app resolves it.
        var folder = Environment.GetEnvironmentVariable(Inference.Devices.OptimizedModelCache.EnvironmentVariable)!;
        Assert.Contains($"model cache (cpu): {Path.GetFullPath(folder)} (", output, StringComparison.Ordinal);
    }
}
