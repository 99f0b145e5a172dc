using System.Diagnostics;
using System.Text.Json;
using AlexNet.Realtime.App.Output;
using AlexNet.Realtime.App.Labeling;
using AlexNet.Realtime.TestSupport;
using OpenCvSharp;
using Xunit;

namespace AlexNet.Realtime.App.Tests;

/// <summary>
/// Outputs never clobber inputs and never claim success on a failed write; a bad input is its
/// own error row; numbers that are not numbers and text from a model are written safely.
/// One class for the whole of that promise (about 450 lines): each test is short, and they share
/// the small tmpfs, link and NaN-model helpers at the bottom.
/// </summary>
[Collection("App")]
public sealed class OutputSafetyTests(AppModels models)
{
    [SkippableTheory]
    [InlineData("symlink")]
    [InlineData("hard link")]
    [InlineData("symlinked folder")]
    public void LabelOutputReachingTheInputThroughALink_RefusedAndTheInputKept(string link)
    {
        Skip.If(OperatingSystem.IsWindows(), "links are made here with Unix calls");
        using var dir = new TempDirectory();
        Directory.CreateDirectory(dir.File("videos"));
        var clip = dir.File("videos/clip.mp4");
        File.Copy(AppModels.DemoClip, clip);
        var output = Linked(dir, link, clip, "out.jsonl");
        var before = File.ReadAllBytes(clip);

        var (code, _, error) = Label(output, clip, "--format", "jsonl");

        Assert.Equal(1, code);
        Assert.Contains("that is the input", Assert.Single(error.Trim().Split('\n')), StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllBytes(clip));
    }

    [SkippableTheory]
    [InlineData("symlink")]
    [InlineData("hard link")]
    [InlineData("symlinked folder")]
    public void RecordReachingTheSourceThroughALink_RefusedAndTheSourceKept(string link)
    {
        Skip.If(OperatingSystem.IsWindows(), "links are made here with Unix calls");
        using var dir = new TempDirectory();
        Directory.CreateDirectory(dir.File("videos"));
        var clip = dir.File("videos/clip.mp4");
        File.Copy(AppModels.DemoClip, clip);
        var record = Linked(dir, link, clip, "rec.mp4");
        var before = File.ReadAllBytes(clip);

        var (code, _, error) = CliRunner.Run("live", "--source", clip, "--headless", "--record", record, "--model", models.MiniFrames, "--device", "cpu");

        Assert.Equal(1, code);
        Assert.Contains("that is the source being played", Assert.Single(error.Trim().Split('\n')), StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllBytes(clip));
    }

    [SkippableFact]
    public void AnnotatedCopyNamedAsALinkToTheInput_RefusedAndTheInputKept()
    {
        Skip.If(OperatingSystem.IsWindows(), "links are made here with Unix calls");
        using var dir = new TempDirectory();
        Directory.CreateDirectory(dir.File("in"));
        File.Copy(Fixtures.Image("rocket.png"), dir.File("in/rocket.png"));
        var before = File.ReadAllBytes(dir.File("in/rocket.png"));

        // Where the copy of the input goes is, by another name, the input itself.
        var input = Assert.Single(LabelInputs.Expand([dir.File("in")]));
        var target = Annotation.TargetFor(dir.File("annotated"), input);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        FileLinks.Hard(dir.File("in/rocket.png"), target);

        var (code, _, error) = Label(dir.File("out.jsonl"), dir.File("in"), "--annotated", dir.File("annotated"));

        Assert.Equal(1, code);
        Assert.Contains("would be written over the input", Assert.Single(error.Trim().Split('\n')), StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllBytes(dir.File("in/rocket.png")));
    }

    [SkippableFact]
    public void RowsOntoAFullDisk_ErrorNotSuccess_WholeRowsKept()
    {
        using var dir = new TempDirectory();
        using var disk = TinyDisk.Mount(dir.File("disk"), "40k");
        var output = dir.File("disk/out.jsonl");

        var (code, _, error) = Label(output, AppModels.DemoClip);

        Assert.Equal(1, code);
        Assert.Contains("cannot write (No space left on device)", error, StringComparison.Ordinal);
        Assert.DoesNotContain("0 failed", error, StringComparison.Ordinal);
        var text = File.ReadAllText(output);
        Assert.EndsWith("\n", text, StringComparison.Ordinal);
        Assert.All(text.TrimEnd('\n').Split('\n'), line => JsonDocument.Parse(line).Dispose());
    }

    [SkippableTheory]
    [InlineData("annotated")]
    [InlineData("record")]
    public void VideoOntoAFullDisk_ErrorAndNoTruncatedVideoLeft(string output)
    {
        using var dir = new TempDirectory();
        using var disk = TinyDisk.Mount(dir.File("disk"), "200k");

        var (code, _, error) = output == "annotated"
            ? Label(dir.File("out.jsonl"), AppModels.DemoClip, "--annotated", dir.File("disk/annotated"))
            : CliRunner.Run("live", "--source", AppModels.DemoClip, "--headless", "--record", dir.File("disk/rec.mp4"), "--model", models.MiniFrames, "--device", "cpu");

        Assert.Equal(1, code);
        Assert.Contains("could not be written whole", error, StringComparison.Ordinal);
        Assert.DoesNotContain("0 failed", error, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(dir.File("disk"), "*", SearchOption.AllDirectories));
    }

    [Fact]
    public void SecondWriterOnTheSameOutput_RefusedInOneLineAndTheFirstsRowsKept()
    {
        using var dir = new TempDirectory();
        var output = dir.File("out.jsonl");
        File.WriteAllText(output, "{\"rows\":\"of the run holding it\"}\n");

        // Another run holds the output, as label holds it (an exclusive lock that dies with the process).
        string error;
        int code;
        using (new FileStream(output, FileMode.Open, FileAccess.ReadWrite, FileShare.None))
        {
            (code, _, error) = Label(output, Fixtures.Image("rocket.png"));
        }

        Assert.Equal(1, code);
        Assert.Contains("another run is writing it", Assert.Single(error.Trim().Split('\n'), l => l.Contains("error", StringComparison.Ordinal)), StringComparison.Ordinal);
        Assert.Equal("{\"rows\":\"of the run holding it\"}\n", File.ReadAllText(output));
    }

    [Fact]
    public void ResumeWithoutTheSideFile_RefusedAndLeftUntouched()
    {
        using var dir = new TempDirectory();
        var output = dir.File("out.jsonl");
        Assert.Equal(0, Label(output, Fixtures.Image("rocket.png")).Code);
        File.Delete(LabelRunInfo.PathFor(output));
        var before = File.ReadAllBytes(output);

        // Another model, or the same: without the side file the rows can't say which.
        var (code, _, error) = CliRunner.Run("label", Fixtures.Image("rocket.png"), Fixtures.Image("coffee.png"), "-o", output, "--model", models.MiniSynthetic, "--device", "cpu", "--resume");

        Assert.Equal(1, code);
        Assert.Contains("no out.jsonl.meta.json", error, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllBytes(output));
    }

    [Fact]
    public void InputsThatCantBeReadOrCopied_EachItsErrorRowAndTheRunGoesOn()
    {
        using var dir = new TempDirectory();
        Directory.CreateDirectory(dir.File("in"));

        // Too wide for the annotated copy's encoder (MPEG-4 part 2 stops at 8191): the writer
        // can't open. It ended the whole run, the inputs after it unlabeled.
        using (var writer = new VideoWriter(dir.File("in/a-wide.mkv"), FourCC.MJPG, 10, new Size(8200, 16)))
        using (var frame = new Mat(16, 8200, MatType.CV_8UC3, Scalar.Red))
        {
            writer.Write(frame);
            writer.Write(frame);
        }

        File.WriteAllBytes(dir.File("in/b-truncated.png"), File.ReadAllBytes(Fixtures.Image("coffee.png"))[..300]);
        File.WriteAllBytes(dir.File("in/c-huge-header.png"), HugePng(60000, 60000));
        File.Copy(Fixtures.Image("rocket.png"), dir.File("in/d-good.png"));

        var (code, _, error) = Label(dir.File("out.jsonl"), dir.File("in"), "--annotated", dir.File("annotated"));

        Assert.Equal(1, code);
        var rows = File.ReadAllLines(dir.File("out.jsonl")).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        foreach (var name in new[] { "a-wide.mkv", "b-truncated.png", "c-huge-header.png" })
        {
            var errorRow = Assert.Single(rows, r => r.GetProperty("source").GetString()!.EndsWith(name, StringComparison.Ordinal) && r.TryGetProperty("error", out _));
            Assert.Equal(-1, errorRow.GetProperty("frame").GetInt64());
            Assert.Contains(name, error, StringComparison.Ordinal);
        }

        Assert.Single(rows, r => r.GetProperty("source").GetString()!.EndsWith("d-good.png", StringComparison.Ordinal) && r.TryGetProperty("top", out _));
        var good = LabelInputs.Expand([dir.File("in")]).Single(i => i.Name.EndsWith("d-good.png", StringComparison.Ordinal));
        Assert.True(File.Exists(Annotation.TargetFor(dir.File("annotated"), good)));
    }

    [Fact]
    public void ClassifyAnImageOverOpenCvsLimit_ItsOwnErrorAndTheOthersClassified()
    {
        using var dir = new TempDirectory();
        File.WriteAllBytes(dir.File("huge.png"), HugePng(60000, 60000));

        var (code, output, error) = CliRunner.Run("classify", dir.File("huge.png"), Fixtures.Image("rocket.png"), "--model", models.MiniFrames, "--device", "cpu", "--json");

        Assert.Equal(1, code);
        Assert.DoesNotContain("internal error", error, StringComparison.Ordinal);
        Assert.Contains("huge.png", error, StringComparison.Ordinal);
        Assert.Contains("rocket.png", Assert.Single(output.Trim().Split('\n')), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("jsonl")]
    [InlineData("csv")]
    public void ModelGivingNaN_RowsWithNullAndAnErrorAndAFailureExit(string format)
    {
        using var dir = new TempDirectory();
        var output = dir.File("out." + format);

        var (code, _, error) = CliRunner.Run("label", Fixtures.Image("rocket.png"), Fixtures.Image("coffee.png"), "-o", output, "--model", models.MiniNaN, "--device", "cpu");

        Assert.Equal(1, code);
        Assert.DoesNotContain("internal error", error, StringComparison.Ordinal);
        Assert.Contains("not numbers", error, StringComparison.Ordinal);
        var lines = File.ReadAllLines(output);
        Assert.DoesNotContain(":NaN", string.Concat(lines), StringComparison.Ordinal);
        Assert.DoesNotContain(",NaN", string.Concat(lines), StringComparison.Ordinal);
        if (format == "jsonl")
        {
            Assert.Equal(2, lines.Length);
            foreach (var line in lines)
            {
                using var row = JsonDocument.Parse(line);
                Assert.All(row.RootElement.GetProperty("top").EnumerateArray(), t => Assert.Equal(JsonValueKind.Null, t.GetProperty("p").ValueKind));
                Assert.Contains("not a number", row.RootElement.GetProperty("error").GetString(), StringComparison.Ordinal);
            }
        }
        else
        {
            Assert.Equal(3, lines.Length);
            var fields = Csv.Split(lines[1]);
            Assert.Equal("", fields[4]);
            Assert.Contains("not a number", fields[^1], StringComparison.Ordinal);
        }

        // A frame's error is not an input's: a resumed run does not take the input as failed.
        var (again, _, resumed) = CliRunner.Run("label", Fixtures.Image("rocket.png"), Fixtures.Image("coffee.png"), "-o", output, "--model", models.MiniNaN, "--device", "cpu", "--resume");
        Assert.True(again == 0, resumed);
        Assert.Contains("resuming after 2 rows", resumed, StringComparison.Ordinal);
        Assert.Equal(lines, File.ReadAllLines(output));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void ClassifyWithAModelGivingNaN_NullOrNaWithAFailureExit(bool json)
    {
        string[] args = ["classify", Fixtures.Image("rocket.png"), "--model", models.MiniNaN, "--device", "cpu"];
        var (code, output, error) = CliRunner.Run(json ? [.. args, "--json"] : args);

        Assert.Equal(1, code);
        Assert.DoesNotContain("internal error", error, StringComparison.Ordinal);
        Assert.Contains("not a number", error, StringComparison.Ordinal);
        Assert.DoesNotContain("NaN%", output, StringComparison.Ordinal);
        if (json)
        {
            using var row = JsonDocument.Parse(output.Trim());
            Assert.Equal(JsonValueKind.Null, row.RootElement.GetProperty("top")[0].GetProperty("p").ValueKind);
        }
        else
        {
            Assert.Contains("n/a", output, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void ClassifyWithHostileLabels_NoControlCharacterReachesTheTerminal()
    {
        var (code, output, _) = CliRunner.Run("classify", Fixtures.Image("rocket.png"), "--model", models.MiniHostileLabels, "--device", "cpu", "--top", "10");

        Assert.Equal(0, code);
        Assert.DoesNotContain(output.TrimEnd('\n').Split('\n'), line => line.Any(c => char.IsControl(c)));
        Assert.Contains("\\x1b[31mred", output, StringComparison.Ordinal);
        Assert.Contains("line\\nbreak", output, StringComparison.Ordinal);
    }

    [Fact]
    public void ClassifyWithFormatCharactersInLabelsAndFileName_EscapedOnTheTerminalKeptInJson()
    {
        using var dir = new TempDirectory();
        var image = dir.File("cat\u202egnp.\u2028png");
        File.Copy(Fixtures.Image("rocket.png"), image);

        var (code, output, error) = CliRunner.Run("classify", image, "--model", models.MiniFormatLabels, "--device", "cpu", "--top", "10");

        Assert.True(code == 0, error);
        Assert.DoesNotContain(output.TrimEnd('\n').Split('\n'), line => line.EnumerateRunes().Any(r => System.Text.Rune.GetUnicodeCategory(r)
            is System.Globalization.UnicodeCategory.Control or System.Globalization.UnicodeCategory.Format
            or System.Globalization.UnicodeCategory.LineSeparator or System.Globalization.UnicodeCategory.ParagraphSeparator));
        Assert.Contains("cat\\u202egnp.\\u2028png", output, StringComparison.Ordinal);
        Assert.Contains("rlo\\u202eevil", output, StringComparison.Ordinal);
        Assert.Contains("tag\\U000e0041x", output, StringComparison.Ordinal);
        Assert.Contains("nbsp\u00a0ok", output, StringComparison.Ordinal);

        // JSON is for programs: the names as they are (JSON's own escaping aside).
        (code, output, error) = CliRunner.Run("classify", image, "--model", models.MiniFormatLabels, "--device", "cpu", "--top", "10", "--json");
        Assert.True(code == 0, error);
        using var row = JsonDocument.Parse(output.Trim());
        Assert.Equal(image, row.RootElement.GetProperty("source").GetString());
        Assert.Equal(
            AppModels.FormatLabels.Order(StringComparer.Ordinal),
            row.RootElement.GetProperty("top").EnumerateArray().Select(e => e.GetProperty("label").GetString()!).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void CsvWithFormulaLikeLabels_TextNeutralizedNumbersKept()
    {
        using var dir = new TempDirectory();
        var output = dir.File("out.csv");

        var (code, _, error) = CliRunner.Run("label", Fixtures.Image("rocket.png"), Fixtures.Image("coffee.png"), "-o", output, "--model", models.MiniHostileLabels, "--device", "cpu", "--top", "10");
        Assert.True(code == 0, error);

        var lines = File.ReadAllLines(output);
        var text = string.Join("\n", lines);
        foreach (var row in Records(lines).Skip(1).Select(Csv.Split))
        {
            // Text cells (source, labels, error) never start a formula; numbers (frame, pts, p) stay numbers.
            for (var i = 0; i < row.Count; i++)
            {
                var numeric = i is 1 or 2 || (i >= 4 && i % 2 == 0 && i < row.Count - 1);
                if (!numeric && row[i].Length > 0)
                {
                    Assert.DoesNotContain(row[i][0], "=+-@\t\r");
                }
                else if (numeric)
                {
                    Assert.True(double.TryParse(row[i], System.Globalization.CultureInfo.InvariantCulture, out _), $"cell {i}: {row[i]}");
                }
            }
        }

        Assert.Contains("'=HYPERLINK", text, StringComparison.Ordinal);
        Assert.Contains("'+1", text, StringComparison.Ordinal);
        Assert.Contains("'-2", text, StringComparison.Ordinal);
        Assert.Contains("'@sum", text, StringComparison.Ordinal);
        Assert.Contains("''quoted", text, StringComparison.Ordinal);

        // A resumed run reads its rows back (both inputs done).
        (code, _, error) = CliRunner.Run("label", Fixtures.Image("rocket.png"), Fixtures.Image("coffee.png"), "-o", output, "--model", models.MiniHostileLabels, "--device", "cpu", "--top", "10", "--resume");
        Assert.True(code == 0, error);
        Assert.Equal(lines, File.ReadAllLines(output));
    }

    [Theory]
    [InlineData("=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0")]
    [InlineData("-x.png", "'-x.png")]
    [InlineData("+1", "'+1")]
    [InlineData("@SUM(A1)", "'@SUM(A1)")]
    [InlineData("\tx", "'\tx")]
    [InlineData("\rx", "'\rx")]
    [InlineData("'already", "''already")]
    [InlineData("videos/a.mp4", "videos/a.mp4")]
    [InlineData("", "")]
    public void CsvText_NeutralizedForSpreadsheetsAndReadBackAsGiven(string text, string cell)
    {
        Assert.Equal(cell, Csv.Neutralize(text));
        Assert.Equal(text, Csv.Unneutralize(cell));
    }

    [Fact]
    public void ErrorRowsInCsv_TheFrameIsTheNumberMinusOne()
    {
        using var dir = new TempDirectory();
        File.WriteAllBytes(dir.File("broken.png"), [1, 2, 3]);
        var output = dir.File("out.csv");

        Label(output, dir.File("broken.png"));

        Assert.Equal("-1", Csv.Split(File.ReadAllLines(output)[1])[1]);
    }

    /// <summary>CSV rows from lines: a quoted field may hold a line break (an odd count of quotes so far).</summary>
    private static IEnumerable<string> Records(IEnumerable<string> lines)
    {
        string? open = null;
        foreach (var line in lines)
        {
            var record = open is null ? line : open + "\n" + line;
            if (record.Count(c => c == '"') % 2 == 1)
            {
                open = record;
                continue;
            }

            open = null;
            yield return record;
        }
    }

    /// <summary>A PNG whose header declares <paramref name="width"/> x <paramref name="height"/> with almost no pixels behind it.</summary>
    internal static byte[] HugePng(int width, int height)
    {
        using var png = new MemoryStream();
        png.Write([0x89, (byte)'P', (byte)'N', (byte)'G', 13, 10, 26, 10]);
        var header = new byte[13];
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(header, width);
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        header[8] = 8;
        header[9] = 2;
        Chunk(png, "IHDR", header);
        using (var packed = new MemoryStream())
        {
            using (var zlib = new System.IO.Compression.ZLibStream(packed, System.IO.Compression.CompressionLevel.Optimal, leaveOpen: true))
            {
                zlib.Write(new byte[100]);
            }

            Chunk(png, "IDAT", packed.ToArray());
        }

        Chunk(png, "IEND", []);
        return png.ToArray();

        static void Chunk(Stream to, string type, byte[] data)
        {
            var length = new byte[4];
            System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(length, data.Length);
            to.Write(length);
            byte[] typed = [.. System.Text.Encoding.ASCII.GetBytes(type), .. data];
            to.Write(typed);
            var crc = new byte[4];
            System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(crc, System.IO.Hashing.Crc32.HashToUInt32(typed));
            to.Write(crc);
        }
    }

    /// <summary>A name under <paramref name="dir"/> that reaches <paramref name="target"/> (in the folder videos) through the link asked for.</summary>
    private static string Linked(TempDirectory dir, string link, string target, string name)
    {
        switch (link)
        {
            case "symlink":
                File.CreateSymbolicLink(dir.File(name), target);
                return dir.File(name);
            case "hard link":
                FileLinks.Hard(target, dir.File(name));
                return dir.File(name);
            default:
                Directory.CreateSymbolicLink(dir.File("linked"), Path.GetDirectoryName(target)!);
                return dir.File("linked/" + Path.GetFileName(target));
        }
    }

    private (int Code, string Out, string Error) Label(string output, params string[] inputs) =>
        CliRunner.Run(["label", .. inputs, "-o", output, "--model", models.MiniFrames, "--device", "cpu"]);

    /// <summary>A tmpfs of a few KB, mounted for one test (root only): a disk that fills up mid-run.</summary>
    private sealed class TinyDisk : IDisposable
    {
        private readonly string _folder;

        private TinyDisk(string folder) => _folder = folder;

        public static TinyDisk Mount(string folder, string size)
        {
            Skip.IfNot(OperatingSystem.IsLinux() && Environment.IsPrivilegedProcess, "mounting a small tmpfs to fill needs root on Linux");
            Directory.CreateDirectory(folder);
            var (code, error) = Tool("mount", "-t", "tmpfs", "-o", $"size={size}", "tmpfs", folder);
            Skip.If(code != 0, $"mount -t tmpfs failed here ({error.Trim()}): no small disk to fill");
            return new TinyDisk(folder);
        }

        public void Dispose() => Tool("umount", "-l", _folder);

        private static (int Code, string Error) Tool(string name, params string[] args)
        {
            using var process = Process.Start(new ProcessStartInfo(name, args) { RedirectStandardError = true, RedirectStandardOutput = true })!;
            var error = process.StandardError.ReadToEnd();
            process.WaitForExit();
            return (process.ExitCode, error);
        }
    }
}
