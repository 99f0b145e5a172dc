using System.Text.Json;
using AlexNet.Realtime.App.Live;
using AlexNet.Realtime.Inference.Engine;
using AlexNet.Realtime.Overlay;
using AlexNet.Realtime.TestSupport;
using Xunit;

namespace AlexNet.Realtime.App.Tests;

/// <summary>
/// A reduced-precision model (the mini model in int8) is said to be one wherever the app names
/// its model: the overlay, live's lines, devices, profile's report, label's side file and eval;
/// and it answers as the fp32 model does on the bundled photos.
/// </summary>
[Collection("App")]
public sealed class PrecisionShownTests(AppModels models)
{
    [Fact]
    public void Int8Model_SameTop3AsFp32OnThePhotos()
    {
        // The mini model's top-1 is one class for all four photos, so the top 3 are compared, in order.
        string[] images = [.. Fixtures.Photos.Select(p => Fixtures.Image($"{p}.png"))];
        var fp32 = Top3(images, models.MiniFrames);
        var int8 = Top3(images, models.MiniInt8);
        Assert.Equal(images.Length, fp32.Count);
        Assert.Equal(fp32, int8);
    }

    [Fact]
    public void Int8Model_OverlaySaysInt8AndNoWarning()
    {
        var state = StateFor(models.MiniInt8);
        Assert.Equal("int8", state.Precision);
        Assert.Null(state.PrecisionWarning);
        Assert.Equal("fp32", StateFor(models.MiniFrames).Precision);
    }

    [Fact]
    public void ForcedModel_OverlayWarnsAndEveryStatusLineSaysSo()
    {
        var warning = StateFor(models.MiniInt8Forced).PrecisionWarning;
        Assert.Equal("FORCED INT8: only 90.0% top-1 agreement with fp32", warning);

        var (code, output, error) = CliRunner.Run("live", "--source", "synthetic", "--fps", "30", "--frames", "45", "--model", models.MiniInt8Forced, "--device", "cpu", "--headless");
        Assert.True(code == 0, error);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.NotEmpty(lines);
        Assert.All(lines, line => Assert.Contains($"[{warning}]", line, StringComparison.Ordinal));
    }

    [Fact]
    public void Int8ModelLive_StartLineNamesThePrecisionAndAgreement()
    {
        var (code, _, error) = CliRunner.Run("live", "--source", "synthetic", "--frames", "3", "--model", models.MiniInt8, "--device", "cpu", "--headless");
        Assert.True(code == 0, error);
        Assert.Contains("alexnet-rt: tv_mini_int8.onnx (int8, top-1 agreement with fp32 1.0000 on ", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Int8Model_ProfileReportAndSummaryCarryThePrecision()
    {
        using var dir = new TempDirectory();
        var (code, output, error) = CliRunner.Run("profile", "--source", AppModels.DemoClip, "--frames", "10", "--warmup", "2",
            "--report", dir.File("report.json"), "--model", models.MiniInt8, "--device", "cpu");
        Assert.True(code == 0, error);
        var root = JsonDocument.Parse(File.ReadAllText(dir.File("report.json"))).RootElement;
        Assert.Equal("int8", root.GetProperty("precision").GetString());
        Assert.Equal(1.0, root.GetProperty("precision_top1_agreement").GetDouble());
        Assert.False(root.GetProperty("precision_forced").GetBoolean());
        Assert.Contains("tv_mini_int8.onnx (int8)", output, StringComparison.Ordinal);
        Assert.Contains("int8: top-1 agreement with fp32 1.0000", output, StringComparison.Ordinal);
        Assert.Contains("profiling 10 frames of tv_mini_int8.onnx (int8, top-1 agreement with fp32 1.0000", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Fp32Model_ProfileReportSaysFp32AndNoAgreement()
    {
        using var dir = new TempDirectory();
        var (code, _, error) = CliRunner.Run("profile", "--source", "synthetic", "--frames", "3", "--warmup", "1",
            "--report", dir.File("report.json"), "--model", models.MiniFrames, "--device", "cpu");
        Assert.True(code == 0, error);
        var root = JsonDocument.Parse(File.ReadAllText(dir.File("report.json"))).RootElement;
        Assert.Equal("fp32", root.GetProperty("precision").GetString());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("precision_top1_agreement").ValueKind);
    }

    [Fact]
    public void Int8Model_LabelSideFileRecordsThePrecision()
    {
        using var dir = new TempDirectory();
        var (code, _, error) = CliRunner.Run("label", Fixtures.Image("coffee.png"), "-o", dir.File("rows.jsonl"), "--model", models.MiniInt8, "--device", "cpu");
        Assert.True(code == 0, error);
        var meta = JsonDocument.Parse(File.ReadAllText(dir.File("rows.jsonl.meta.json"))).RootElement;
        Assert.Equal("int8", meta.GetProperty("precision").GetString());
        Assert.Equal(1.0, meta.GetProperty("precision_top1_agreement").GetDouble());
    }

    /// <summary>
    /// An int8 model made from the same weights has the fp32 model's source file and SHA-256;
    /// written under the same file name, only its precision tells the two jobs apart.
    /// </summary>
    [Theory]
    [InlineData("model.onnx")]
    [InlineData("model-int8.onnx")]
    public void ResumeWithTheOtherPrecision_Refused(string int8Name)
    {
        using var dir = new TempDirectory();
        File.Copy(models.MiniFrames, dir.File("model.onnx"));
        var rows = dir.File("rows.jsonl");
        string[] inputs = [Fixtures.Image("coffee.png"), Fixtures.Image("rocket.png")];
        var (code, _, error) = CliRunner.Run(["label", .. inputs, "-o", rows, "--model", dir.File("model.onnx"), "--device", "cpu"]);
        Assert.True(code == 0, error);
        var before = File.ReadAllText(rows);

        File.Copy(models.MiniInt8, dir.File(int8Name), overwrite: true);
        (code, _, error) = CliRunner.Run(["label", .. inputs, "-o", rows, "--model", dir.File(int8Name), "--device", "cpu", "--resume"]);
        Assert.Equal(1, code);
        Assert.Contains("was written by another job (model model.onnx, fp32, ", error, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllText(rows));
    }

    [Fact]
    public void SideFileFromBeforePrecision_ResumesAnFp32JobOnly()
    {
        var old = new Labeling.LabelRunInfo("m.onnx", "w.pth", "sha", "pretrained", "cpu", "libav", 5, 1, "jsonl", null, 1);
        Assert.True(old.SameJobAs(old with { Precision = "fp32" }));
        Assert.False(old.SameJobAs(old with { Precision = "int8" }));
    }

    [Fact]
    public void Devices_SaysTheModelsPrecisionAndAgreement()
    {
        var (code, output, error) = CliRunner.Run("devices", "--model", models.MiniInt8);
        Assert.True(code == 0, error);
        Assert.Contains(": int8, top-1 agreement with fp32 1.0000 on ", output, StringComparison.Ordinal);
        Assert.Contains("model:     ", output, StringComparison.Ordinal);
    }

    [Fact]
    public void DevicesWithAMissingModel_OneLineAndNothingPrinted()
    {
        using var dir = new TempDirectory();
        var (code, output, error) = CliRunner.Run("devices", "--model", dir.File("none.onnx"));
        Assert.Equal(1, code);
        Assert.Equal("", output);
        Assert.Contains("none.onnx: no such file", error.Trim(), StringComparison.Ordinal);
        Assert.Single(error.Trim().Split('\n'));
    }

    [Fact]
    public void EvalOfFp32AndInt8_EachModelsPrecisionBesideItsName()
    {
        using var dir = new TempDirectory();
        foreach (var photo in Fixtures.Photos)
        {
            Directory.CreateDirectory(dir.File("set/class_1"));
            File.Copy(Fixtures.Image($"{photo}.png"), dir.File($"set/class_1/{photo}.png"));
        }

        var (code, stdout, error) = CliRunner.Run("eval", dir.File("set"), "--model", models.MiniFrames, "--model", models.MiniInt8, "--json", dir.File("out.json"));
        Assert.True(code == 0, error);
        var evaluated = JsonDocument.Parse(File.ReadAllBytes(dir.File("out.json"))).RootElement.GetProperty("models").EnumerateArray().ToList();
        Assert.Equal(["fp32", "int8"], evaluated.Select(m => m.GetProperty("precision").GetString()));
        Assert.False(evaluated[0].TryGetProperty("converter_top1_agreement", out _));
        Assert.Equal(1.0, evaluated[1].GetProperty("converter_top1_agreement").GetDouble());
        Assert.Matches(@"(?m)^tv_mini\.onnx +fp32 +4 ", stdout);
        Assert.Matches(@"(?m)^tv_mini_int8\.onnx +int8 +4 ", stdout);
    }

    private static OverlayState StateFor(string model)
    {
        using var engine = ClassifierEngine.Open(model, new EngineOptions { Device = Inference.Devices.DeviceRequest.Cpu, WarmUp = false });
        var state = new OverlayState();
        OverlayModelInfo.Fill(state, engine);
        return state;
    }

    /// <summary>Each image's three most likely class indices from <c>label</c>'s rows.</summary>
    private static List<string> Top3(string[] images, string model)
    {
        using var dir = new TempDirectory();
        var (code, _, error) = CliRunner.Run(["label", .. images, "-o", dir.File("rows.jsonl"), "--model", model, "--device", "cpu", "-k", "3"]);
        Assert.True(code == 0, error);
        return [.. File.ReadAllLines(dir.File("rows.jsonl")).Select(line => JsonDocument.Parse(line).RootElement)
            .Select(row => $"{Path.GetFileName(row.GetProperty("source").GetString())}: {string.Join(",", row.GetProperty("top").EnumerateArray().Select(t => t.GetProperty("index").GetInt32()))}")];
    }
}
