using System.Text.Json;
using AlexNet.Realtime.App.Output;
using AlexNet.Realtime.App.Commands;
using AlexNet.Realtime.App.Labeling;
using AlexNet.Realtime.Inference.Engine;
using AlexNet.Realtime.TestSupport;
using OpenCvSharp;
using Xunit;

namespace AlexNet.Realtime.App.Tests;

[Collection("App")]
public sealed class LabelTests(AppModels models)
{
    [Fact]
    public void DemoClip_360RowsOfFiveDescending_CsvAndJsonlAgree()
    {
        using var dir = new TempDirectory();
        var (code, _, error) = Label(dir.File("out.jsonl"), AppModels.DemoClip);
        Assert.True(code == 0, error);
        var (csvCode, _, csvError) = Label(dir.File("out.csv"), AppModels.DemoClip);
        Assert.True(csvCode == 0, csvError);

        var json = File.ReadAllLines(dir.File("out.jsonl"));
        var csv = File.ReadAllLines(dir.File("out.csv"));
        Assert.Equal(360, json.Length);
        Assert.Equal(361, csv.Length);
        Assert.Equal("source,frame,pts_ms,top1_label,top1_p,top2_label,top2_p,top3_label,top3_p,top4_label,top4_p,top5_label,top5_p,error", csv[0]);
        for (var i = 0; i < 360; i++)
        {
            using var row = JsonDocument.Parse(json[i]);
            var top = row.RootElement.GetProperty("top").EnumerateArray().ToList();
            Assert.Equal(5, top.Count);
            var p = top.Select(t => t.GetProperty("p").GetDouble()).ToList();
            Assert.True(p.SequenceEqual(p.OrderByDescending(v => v)), $"row {i}: {string.Join(",", p)}");
            Assert.Equal(i, row.RootElement.GetProperty("frame").GetInt64());

            var fields = Csv.Split(csv[i + 1]);
            Assert.Equal(row.RootElement.GetProperty("source").GetString(), fields[0]);
            Assert.Equal(i.ToString(System.Globalization.CultureInfo.InvariantCulture), fields[1]);
            Assert.Equal(row.RootElement.GetProperty("pts_ms").GetDouble(), double.Parse(fields[2], System.Globalization.CultureInfo.InvariantCulture));
            for (var k = 0; k < 5; k++)
            {
                Assert.Equal(top[k].GetProperty("label").GetString(), fields[3 + (2 * k)]);
                Assert.Equal(top[k].GetProperty("p").GetDouble(), double.Parse(fields[4 + (2 * k)], System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        Assert.True(File.Exists(dir.File("out.jsonl.meta.json")));
    }

    [Fact]
    public void CorruptFileInTheMiddle_OthersLabeledAndExitNonZero()
    {
        using var dir = new TempDirectory();
        PhotoFolder(dir, ("a.png", "chelsea.png"), ("c.png", "coffee.png"));
        File.WriteAllBytes(dir.File("in/b.mp4"), new byte[5000]);

        var (code, _, error) = Label(dir.File("out.jsonl"), dir.File("in"));

        Assert.Equal(1, code);
        Assert.Contains("b.mp4", error, StringComparison.Ordinal);
        var rows = File.ReadAllLines(dir.File("out.jsonl")).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(3, rows.Count);
        Assert.EndsWith("in/a.png", rows[0].GetProperty("source").GetString(), StringComparison.Ordinal);
        Assert.EndsWith("in/b.mp4", rows[1].GetProperty("source").GetString(), StringComparison.Ordinal);
        Assert.True(rows[1].TryGetProperty("error", out var message));
        Assert.False(string.IsNullOrEmpty(message.GetString()));
        Assert.EndsWith("in/c.png", rows[2].GetProperty("source").GetString(), StringComparison.Ordinal);
    }

    [SkippableFact]
    public void VideoCutShort_ItsRowsKeptAndTheLossReported()
    {
        Skip.IfNot(Capture.Readers.FfmpegPipeReader.Available, "ffmpeg is not installed (test.sh installs it with apt-get when run as root)");
        using var dir = new TempDirectory();

        // The index up front (as a download that stopped part-way has it), the last 6 KB of frames gone.
        var whole = dir.File("whole.mp4");
        using (var ffmpeg = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("ffmpeg", ["-v", "error", "-y", "-i", AppModels.DemoClip, "-c", "copy", "-movflags", "+faststart", whole]) { RedirectStandardError = true })!)
        {
            ffmpeg.WaitForExit();
            Assert.Equal(0, ffmpeg.ExitCode);
        }

        var bytes = File.ReadAllBytes(whole);
        File.WriteAllBytes(dir.File("cut.mp4"), bytes[..^6000]);

        var (code, _, error) = Label(dir.File("out.jsonl"), dir.File("cut.mp4"));

        Assert.Equal(1, code);
        Assert.Matches(@"cut\.mp4: truncated or corrupt: decoded \d+ of 360 frames", error);
        var rows = File.ReadAllLines(dir.File("out.jsonl")).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.InRange(rows.Count(r => !r.TryGetProperty("error", out _)), 300, 356);
        Assert.True(rows[^1].TryGetProperty("error", out _));
    }

    [Fact]
    public void VideoThatCannotBeOpened_ItsRowAndLineNameItOnce()
    {
        using var dir = new TempDirectory();
        var cut = dir.File("cut.mp4");
        File.WriteAllBytes(cut, File.ReadAllBytes(AppModels.DemoClip)[..3000]);

        // Given as a relative path, as typed in a shell: the reader's message names the full one.
        var (code, _, error) = Label(dir.File("out.jsonl"), Path.GetRelativePath(Environment.CurrentDirectory, cut));

        Assert.Equal(1, code);
        var row = JsonDocument.Parse(Assert.Single(File.ReadAllLines(dir.File("out.jsonl")))).RootElement;
        var reason = row.GetProperty("error").GetString()!;
        Assert.DoesNotContain("cut.mp4", reason, StringComparison.Ordinal);
        var line = Assert.Single(error.Split('\n'), l => l.Contains(reason, StringComparison.Ordinal));
        Assert.Equal(1, line.Split("cut.mp4").Length - 1);
    }

    [Theory]
    [InlineData("3", "4", "1")]
    [InlineData("2", "1", "1")]
    public void Lanes_SameRowsAsOneBatchAtATime(string lanes, string batch, string every)
    {
        // Lanes finish in any order; the rows must come out as one lane writes them, byte for byte.
        using var dir = new TempDirectory();
        string[] inputs = [Fixtures.Image("rocket.png"), AppModels.DemoClip, Fixtures.Image("chelsea.png")];
        var (code, _, error) = Label(dir.File("one.jsonl"), [.. inputs, "--lanes", "1", "--batch", batch, "--every", every]);
        Assert.True(code == 0, error);
        var (lanesCode, _, lanesError) = Label(dir.File("lanes.jsonl"), [.. inputs, "--lanes", lanes, "--batch", batch, "--every", every]);
        Assert.True(lanesCode == 0, lanesError);

        Assert.Equal(362, File.ReadAllLines(dir.File("one.jsonl")).Length);
        Assert.Equal(File.ReadAllBytes(dir.File("one.jsonl")), File.ReadAllBytes(dir.File("lanes.jsonl")));
    }

    [Fact]
    public void LanesOption_OutOfRange_OneClearError()
    {
        using var dir = new TempDirectory();
        var (code, _, error) = Label(dir.File("out.jsonl"), AppModels.DemoClip, "--lanes", "0");
        Assert.Equal(1, code);
        Assert.Equal("alexnet-rt: error: --lanes must be 1..16, got 0", error.Trim());
    }

    [Theory]
    [InlineData(null, 2, 8, "cpu", 2)]
    [InlineData(null, 4, 8, "cpu", 4)]
    [InlineData(null, 2, 1, "cpu", 1)]
    [InlineData(3, 2, 1, "cpu", 3)]
    [InlineData(null, 2, 8, "cuda", 1)]
    [InlineData(3, 2, 8, "cuda", 1)]
    [InlineData(null, 2, 8, "dml", 1)]
    public void LanesByDefault_OneAThreadOnTheCpuForBatchesOneOnAGpu(int? asked, int threads, int batch, string device, int expected) =>
        Assert.Equal(expected, LabelCommand.LanesFor(asked, threads, batch, Inference.Devices.DeviceRequest.Parse(device)));

    [SkippableFact]
    public void AutoInACpuBuild_IsCpuOnlyAndGetsLanes()
    {
        Skip.If(Inference.Devices.DeviceRequest.AutoFirstChoice() != Inference.Devices.DeviceKind.Cpu, "this build's auto tries a GPU first: this checks the CPU build");
        Assert.True(Inference.Devices.DeviceRequest.Auto.CpuOnly);
        Assert.Equal(2, LabelCommand.LanesFor(null, 2, 8, Inference.Devices.DeviceRequest.Auto));
    }

    [Theory]
    [InlineData("out.jsonl", 1, 1)]
    [InlineData("out.csv", 4, 1)]
    [InlineData("out.jsonl", 4, 2)]
    public void StoppedPartWayThenResumed_EqualsAnUninterruptedRun(string name, int batch, int lanes)
    {
        using var dir = new TempDirectory();
        string[] inputs = [Fixtures.Image("rocket.png"), AppModels.DemoClip, Fixtures.Image("chelsea.png")];
        var whole = dir.File("whole-" + name);
        var (code, _, error) = Label(whole, [.. inputs, "--batch", batch.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        Assert.True(code == 0, error);

        var part = dir.File(name);
        using (var engine = ClassifierEngine.Open(models.MiniFrames, new EngineOptions { Device = Inference.Devices.DeviceRequest.Cpu, MaxBatch = batch }))
        using (var cancel = new CancellationTokenSource())
        {
            var options = new LabelOptions { Inputs = inputs, Output = part, Format = LabelOptions.FormatFor(part, null), Batch = batch, Lanes = lanes };
            var summary = LabelCommand.Run(options, engine, _ => { }, rows => { if (rows >= 150) { cancel.Cancel(); } }, cancel.Token);
            Assert.True(summary.Cancelled);
        }

        var written = File.ReadAllLines(part).Length;
        Assert.InRange(written, 150, 200);

        // A write torn by a kill leaves half a row at the end; resume cuts it off.
        File.AppendAllText(part, name.EndsWith(".csv", StringComparison.Ordinal) ? "/x/demo.mp4,17" : "{\"source\":\"/x/demo.mp4\",\"fra");

        var (resumeCode, _, resumeError) = Label(part, [.. inputs, "--batch", batch.ToString(System.Globalization.CultureInfo.InvariantCulture), "--resume"]);
        Assert.True(resumeCode == 0, resumeError);
        Assert.Contains("resuming after", resumeError, StringComparison.Ordinal);
        Assert.Equal(File.ReadAllBytes(whole), File.ReadAllBytes(part));
    }

    [Theory]
    [InlineData("notes.jsonl", "my notes\nnot rows\nand a last line without a newline")]
    [InlineData("big.csv", null)]
    public void ResumeOnAFileNotWrittenByLabel_RefusedAndLeftUntouched(string name, string? text)
    {
        using var dir = new TempDirectory();
        var path = dir.File(name);
        if (text is null)
        {
            // No newline at all in 100 KB: no row of this tool's.
            File.WriteAllBytes(path, Enumerable.Range(0, 100_000).Select(i => (byte)('a' + (i % 26))).ToArray());
        }
        else
        {
            File.WriteAllText(path, text);
        }

        var before = File.ReadAllBytes(path);
        var (code, _, error) = Label(path, Fixtures.Image("rocket.png"), "--resume");
        Assert.Equal(1, code);
        Assert.Contains("--resume:", error, StringComparison.Ordinal);
        Assert.Single(error.Trim().Split('\n'));
        Assert.Equal(before, File.ReadAllBytes(path));
    }

    [Fact]
    public void ResumeWithADamagedSideFile_RefusedAndLeftUntouched()
    {
        using var dir = new TempDirectory();
        var path = dir.File("out.jsonl");
        var (code, _, error) = Label(path, Fixtures.Image("rocket.png"));
        Assert.True(code == 0, error);
        File.WriteAllText(path + ".meta.json", "{\"model\": \"tv_mi");
        var before = File.ReadAllBytes(path);

        (code, _, error) = Label(path, Fixtures.Image("rocket.png"), Fixtures.Image("chelsea.png"), "--resume");
        Assert.Equal(1, code);
        Assert.Contains(".meta.json is damaged", Assert.Single(error.Trim().Split('\n')), StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllBytes(path));
    }

    [SkippableFact]
    public void SourceNameWithABackslash_IsTheFilesName()
    {
        Skip.If(OperatingSystem.IsWindows(), "a backslash separates folders on Windows");
        using var dir = new TempDirectory();
        PhotoFolder(dir, ("back\\slash.png", "coffee.png"));
        var (code, _, error) = Label(dir.File("out.jsonl"), dir.File("in"));
        Assert.True(code == 0, error);
        var source = JsonDocument.Parse(File.ReadAllLines(dir.File("out.jsonl")).Single()).RootElement.GetProperty("source").GetString();
        Assert.Equal(dir.File("in/back\\slash.png"), source);
    }

    [SkippableFact]
    public void CsvResume_SourceNameWithALineBreak_IsOneRowReadBack()
    {
        Skip.If(OperatingSystem.IsWindows(), "Windows file names can't hold a line break");
        using var dir = new TempDirectory();
        PhotoFolder(dir, ("a\nb.png", "chelsea.png"), ("c.png", "coffee.png"));
        var path = dir.File("out.csv");
        var (code, _, error) = Label(path, dir.File("in"));
        Assert.True(code == 0, error);
        var before = File.ReadAllBytes(path);

        (code, _, error) = Label(path, dir.File("in"), "--resume");
        Assert.True(code == 0, error);
        Assert.Contains("resuming after 2 rows", error, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllBytes(path));
    }

    [SkippableTheory]
    [InlineData("annotated beside the inputs", "would be written over the input")]
    [InlineData("output named as an input", "that is the input")]
    [InlineData("two inputs, one annotated name", "would be written over the annotated copy of")]
    public void OutputsThatWouldReplaceAnInput_RefusedAndNothingTouched(string scenario, string says)
    {
        Skip.If(OperatingSystem.IsWindows() && scenario.StartsWith("annotated", StringComparison.Ordinal), "a relative path to another drive's file is not relative on Windows");
        using var dir = new TempDirectory();
        var clip = dir.File("clip.mp4");
        File.Copy(AppModels.DemoClip, clip);
        File.Copy(AppModels.DemoClip, dir.File("clip.mkv"));
        var before = File.ReadAllBytes(clip);
        var (code, _, error) = scenario switch
        {
            // A relative name keeps its path under the folder ('../' dropped): the folder that
            // puts that path back onto the clip itself is where its copy would overwrite it.
            "annotated beside the inputs" => Label(dir.File("out.jsonl"), RelativeClip(clip), "--annotated", clip[..^RelativeClip(clip).Replace("../", "", StringComparison.Ordinal).TrimStart('/').Length]),
            "output named as an input" => Label(clip, clip, "--format", "jsonl"),
            _ => Label(dir.File("out.jsonl"), clip, dir.File("clip.mkv"), "--annotated", dir.File("annotated")),
        };

        Assert.Equal(1, code);
        Assert.Contains(says, Assert.Single(error.Trim().Split('\n')), StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllBytes(clip));
        Assert.False(File.Exists(dir.File("out.jsonl")));
    }

    [Theory]
    [InlineData("outdir/", false)]
    [InlineData("outdir", true)]
    public void OutputNamingAFolder_SaidToBeAFolderNotAnUnknownFormat(string name, bool exists)
    {
        using var dir = new TempDirectory();
        var output = dir.File(name);
        if (exists)
        {
            Directory.CreateDirectory(output);
        }

        var (code, _, error) = CliRunner.Run("label", Fixtures.Image("coffee.png"), "-o", output, "--model", "/nonexistent/model.onnx");

        Assert.Equal(1, code);
        Assert.StartsWith($"alexnet-rt: error: --output {output}: that is a folder name, not a file name", Assert.Single(error.Trim().Split('\n')), StringComparison.Ordinal);
        Assert.Equal(exists, Directory.Exists(output));
    }

    [Fact]
    public void AnnotatedFolderInsideTheInputFolder_RunTwice_SameRows()
    {
        using var dir = new TempDirectory();
        PhotoFolder(dir, ("rocket.png", "rocket.png"), ("coffee.png", "coffee.png"));
        string[] args = [dir.File("in"), "--annotated", dir.File("in/annotated")];
        Assert.True(Label(dir.File("first.jsonl"), args).Code == 0);
        Assert.Equal(2, Directory.GetFiles(dir.File("in/annotated"), "*.png", SearchOption.AllDirectories).Length);

        var (code, _, error) = Label(dir.File("second.jsonl"), args);
        Assert.True(code == 0, error);
        Assert.Equal(File.ReadAllBytes(dir.File("first.jsonl")), File.ReadAllBytes(dir.File("second.jsonl")));
    }

    [Fact]
    public void MoreShardsThanInputs_EmptyShardsSucceedAndAllConcatenate()
    {
        using var dir = new TempDirectory();
        string[] inputs = [Fixtures.Image("rocket.png"), Fixtures.Image("chelsea.png")];
        Assert.True(Label(dir.File("all.jsonl"), inputs).Code == 0);
        var parts = new List<byte>();
        for (var i = 1; i <= 5; i++)
        {
            var (code, _, error) = Label(dir.File($"part-{i}.jsonl"), [.. inputs, "--shard", $"{i}/5"]);
            Assert.True(code == 0, error);
            parts.AddRange(File.ReadAllBytes(dir.File($"part-{i}.jsonl")));
        }

        Assert.Equal(File.ReadAllBytes(dir.File("all.jsonl")), parts.ToArray());
    }

    [Fact]
    public void TwoShards_ConcatenatedEqualTheUnshardedOutput()
    {
        using var dir = new TempDirectory();
        string[] inputs = [AppModels.DemoClip, Path.Combine(Fixtures.Dir, "images")];
        Assert.True(Label(dir.File("all.jsonl"), [.. inputs, "--every", "10"]).Code == 0);
        Assert.True(Label(dir.File("s1.jsonl"), [.. inputs, "--every", "10", "--shard", "1/2"]).Code == 0);
        Assert.True(Label(dir.File("s2.jsonl"), [.. inputs, "--every", "10", "--shard", "2/2"]).Code == 0);

        var all = File.ReadAllBytes(dir.File("all.jsonl"));
        var s1 = File.ReadAllBytes(dir.File("s1.jsonl"));
        var s2 = File.ReadAllBytes(dir.File("s2.jsonl"));
        Assert.NotEmpty(s1);
        Assert.NotEmpty(s2);
        Assert.Equal(all, s1.Concat(s2).ToArray());
        Assert.Equal(36 + 4, File.ReadAllLines(dir.File("all.jsonl")).Length);
    }

    [Fact]
    public void Annotated_VideoInVideoOutImageInImageOut()
    {
        using var dir = new TempDirectory();
        var (code, _, error) = Label(dir.File("out.jsonl"), AppModels.DemoClip, Fixtures.Image("coffee.png"), "--annotated", dir.File("annotated"), "--every", "30");
        Assert.True(code == 0, error);
        var files = Directory.GetFiles(dir.File("annotated"), "*", SearchOption.AllDirectories);
        var video = Assert.Single(files, f => f.EndsWith("demo-640x480.mp4", StringComparison.Ordinal));
        var image = Assert.Single(files, f => f.EndsWith("coffee.png", StringComparison.Ordinal));
        using var capture = new VideoCapture(video);
        Assert.Equal(360, (int)capture.Get(VideoCaptureProperties.FrameCount));
        Assert.Equal(30, capture.Get(VideoCaptureProperties.Fps), 1);
        using var annotated = Cv2.ImRead(image);
        using var original = Cv2.ImRead(Fixtures.Image("coffee.png"));
        Assert.Equal(original.Size(), annotated.Size());
        Assert.True(Cv2.Norm(annotated, original, NormTypes.L1) > 0);
        Assert.Equal(12 + 1, File.ReadAllLines(dir.File("out.jsonl")).Length);
    }

    [SkippableFact]
    public void EachDecoder_SameFramesAndTimes_RecordedAndNotMixedOnResume()
    {
        Skip.IfNot(Capture.Readers.FfmpegVideoReader.Installed, "ffmpeg 5.1 or later is not installed (test.sh installs it with apt-get when run as root)");
        using var dir = new TempDirectory();
        var (code, _, error) = CliRunner.Run(["label", AppModels.DemoClip, "-o", dir.File("ffmpeg.jsonl"), "--model", models.MiniFrames, "--device", "cpu", "--decoder", "ffmpeg"]);
        Assert.True(code == 0, error);
        (code, _, error) = CliRunner.Run(["label", AppModels.DemoClip, "-o", dir.File("opencv.jsonl"), "--model", models.MiniFrames, "--device", "cpu", "--decoder", "opencv"]);
        Assert.True(code == 0, error);

        var a = File.ReadAllLines(dir.File("ffmpeg.jsonl")).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        var b = File.ReadAllLines(dir.File("opencv.jsonl")).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(360, a.Count);
        Assert.Equal(360, b.Count);
        Assert.Equal(b.Select(r => r.GetProperty("pts_ms").GetDouble()), a.Select(r => r.GetProperty("pts_ms").GetDouble()));
        var sameTop1 = a.Zip(b).Count(p => p.First.GetProperty("top")[0].GetProperty("index").GetInt32() == p.Second.GetProperty("top")[0].GetProperty("index").GetInt32());
        Assert.True(sameTop1 >= 342, $"top-1 the same on {sameTop1} of 360 frames");
        Assert.Contains("\"decoder\": \"ffmpeg\"", File.ReadAllText(dir.File("ffmpeg.jsonl.meta.json")), StringComparison.Ordinal);
        Assert.Contains("\"decoder\": \"opencv\"", File.ReadAllText(dir.File("opencv.jsonl.meta.json")), StringComparison.Ordinal);
        Assert.Equal($"ffmpeg {Capture.Readers.FfmpegVideoReader.ProgramVersion}", DecoderVersionIn(dir.File("ffmpeg.jsonl.meta.json")));
        Assert.Equal($"OpenCV {OpenCvSharp.Cv2.GetVersionString()} (its own FFmpeg)", DecoderVersionIn(dir.File("opencv.jsonl.meta.json")));
        Assert.Contains($"\"preprocessing\": \"{(Inference.Preprocessing.CropGeometry.Fast ? "host" : "graph")}\"", File.ReadAllText(dir.File("opencv.jsonl.meta.json")), StringComparison.Ordinal);

        // libav decodes in this process what the ffmpeg program decodes, and converts it the same way.
        if (Capture.Readers.LibavVideoReader.Available)
        {
            (code, _, error) = CliRunner.Run(["label", AppModels.DemoClip, "-o", dir.File("libav.jsonl"), "--model", models.MiniFrames, "--device", "cpu"]);
            Assert.True(code == 0, error);
            Assert.Equal(File.ReadAllText(dir.File("ffmpeg.jsonl")), File.ReadAllText(dir.File("libav.jsonl")));
            Assert.Contains("\"decoder\": \"libav\"", File.ReadAllText(dir.File("libav.jsonl.meta.json")), StringComparison.Ordinal);
        }
        else
        {
            Console.WriteLine($"libav part not run: {Capture.Readers.LibavVideoReader.Unavailable}");
        }

        (code, _, error) = CliRunner.Run(["label", AppModels.DemoClip, "-o", dir.File("ffmpeg.jsonl"), "--model", models.MiniFrames, "--device", "cpu", "--decoder", "opencv", "--resume"]);
        Assert.NotEqual(0, code);
        Assert.Contains("decoder ffmpeg", error, StringComparison.Ordinal);
    }

    /// <summary>Makes the folder "in" under <paramref name="dir"/> with copies of fixture photos under the names given.</summary>
    private static void PhotoFolder(TempDirectory dir, params (string Name, string Photo)[] files)
    {
        Directory.CreateDirectory(dir.File("in"));
        foreach (var (name, photo) in files)
        {
            File.Copy(Fixtures.Image(photo), dir.File("in/" + name));
        }
    }

    private static string RelativeClip(string clip) => Path.GetRelativePath(Environment.CurrentDirectory, clip);

    private (int Code, string Out, string Error) Label(string output, params string[] inputs) =>
        CliRunner.Run(["label", .. inputs, "-o", output, "--model", models.MiniFrames, "--device", "cpu"]);

    private static string? DecoderVersionIn(string metaFile)
    {
        using var meta = JsonDocument.Parse(File.ReadAllText(metaFile));
        return meta.RootElement.GetProperty("decoder_version").GetString();
    }
}
