using System.Runtime.Versioning;
using AlexNet.Realtime.Inference.Devices;
using AlexNet.Realtime.Inference.Engine;
using AlexNet.Realtime.TestSupport;
using OpenCvSharp;
using Xunit;

namespace AlexNet.Realtime.Inference.Tests;

/// <summary>The per-machine cache of ONNX Runtime's optimized graphs: used, renewed, and never in the way.</summary>
[Collection("Models")]
public sealed class OptimizedModelCacheTests(TestModels models)
{
    [Fact]
    public void SecondOpen_LoadsTheOptimizedGraph_SameResults()
    {
        using var cache = new TempDirectory();
        using var frame = Frame();
        var (first, firstNotices) = Classify(models.MiniFrames, cache.Path, frame);
        var entries = Directory.GetFiles(cache.Path).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(2, entries.Length);
        Assert.EndsWith(".onnx", entries[0], StringComparison.Ordinal);
        Assert.Equal(entries[0] + OptimizedModelCache.ChecksumSuffix, entries[1]);
        Assert.Contains(firstNotices, n => n.StartsWith("optimized tv_mini_frames.onnx for this CPU in ", StringComparison.Ordinal));

        var (second, secondNotices) = Classify(models.MiniFrames, cache.Path, frame);
        Assert.Empty(secondNotices);
        Assert.Equal(first.Indices, second.Indices);
        Assert.Equal(first.Probabilities, second.Probabilities);
        Assert.Equal(Classify(models.MiniFrames, null, frame).Result.Indices, second.Indices);
    }

    /// <summary>
    /// The network alone (the engine resizes frames itself) is cached beside the whole graph, not in
    /// its place: both stay, each loads, and each answers as it did uncached.
    /// </summary>
    [SkippableFact]
    public void NetworkAndWholeGraph_KeptSideBySide()
    {
        Skip.IfNot(Preprocessing.CropGeometry.Fast, "this CPU has no 256-bit vectors in hardware, so the engine leaves the resize to the graph (CropGeometry.Fast)");
        using var cache = new TempDirectory();
        using var frame = Frame();
        var (network, networkNotices) = Classify(models.MiniFrames, cache.Path, frame, host: true);
        var (whole, _) = Classify(models.MiniFrames, cache.Path, frame);
        var entries = Entries(cache.Path).Select(Path.GetFileName).Order().ToArray();
        Assert.Equal(2, entries.Length);
        Assert.Single(entries, e => e!.StartsWith("tv_mini_frames." + OptimizedModelCache.NetworkVariant + "-", StringComparison.Ordinal));
        Assert.Contains(networkNotices, n => n.StartsWith("optimized tv_mini_frames.onnx", StringComparison.Ordinal));

        var (networkAgain, againNotices) = Classify(models.MiniFrames, cache.Path, frame, host: true);
        Assert.Empty(againNotices);
        Assert.Equal(network, networkAgain);
        Assert.Equal(2, Entries(cache.Path).Length);
        Assert.Equal(Classify(models.MiniFrames, null, frame, host: true).Result, network);
        Assert.Equal(Classify(models.MiniFrames, null, frame).Result, whole);
    }

    [Fact]
    public void ModelChangedInPlace_IsOptimizedAgain_AndTheOldEntryRemoved()
    {
        using var cache = new TempDirectory();
        using var work = new TempDirectory();
        using var frame = Frame();
        var model = work.File("model.onnx");
        File.Copy(models.MiniFrames, model);
        Classify(model, cache.Path, frame);
        var before = Entries(cache.Path).Single();

        // Another model under the same name: another graph over the same weights.
        File.Copy(models.MiniFramesExact, model, overwrite: true);
        var (result, notices) = Classify(model, cache.Path, frame);
        Assert.Contains(notices, n => n.StartsWith("optimized model.onnx", StringComparison.Ordinal));
        var after = Entries(cache.Path).Single();
        Assert.Equal(2, Directory.GetFiles(cache.Path).Length);
        Assert.NotEqual(before, after);
        Assert.Equal(Classify(models.MiniFramesExact, null, frame).Result.Indices, result.Indices);
    }

    [Fact]
    public void DamagedEntry_IsReplaced()
    {
        using var cache = new TempDirectory();
        using var frame = Frame();
        var expected = Classify(models.MiniFrames, cache.Path, frame).Result;
        var entry = Entries(cache.Path).Single();
        File.WriteAllBytes(entry, [1, 2, 3, 4]);

        var (result, notices) = Classify(models.MiniFrames, cache.Path, frame);
        Assert.Equal(expected.Indices, result.Indices);
        Assert.Contains(notices, n => n.StartsWith("optimized ", StringComparison.Ordinal));
        Assert.True(new FileInfo(entry).Length > 1000, "the damaged entry should have been written again");
    }

    /// <summary>One bit of a weight changed on disk: the entry loads as well as before, with a wrong weight, unless its checksum is checked.</summary>
    [Fact]
    public void EntryDamagedKeepingItsSize_IsRebuilt()
    {
        using var cache = new TempDirectory();
        using var frame = Frame();
        var expected = Classify(models.MiniFrames, cache.Path, frame).Result;
        var entry = Entries(cache.Path).Single();
        var bytes = File.ReadAllBytes(entry);
        bytes[bytes.Length * 3 / 4] ^= 0x01;
        File.WriteAllBytes(entry, bytes);

        var (result, notices) = Classify(models.MiniFrames, cache.Path, frame);
        Assert.Contains(notices, n => n.StartsWith("optimized ", StringComparison.Ordinal));
        Assert.Equal(expected, result);
        Assert.True(OptimizedModelCache.IsIntact(entry));
    }

    /// <summary>
    /// An entry or its checksum replaced by a device or a FIFO (<c>ln -sf /dev/zero</c>, <c>mkfifo</c>):
    /// the next start hashed /dev/zero at 100% CPU forever, or blocked opening the FIFO, saying nothing.
    /// </summary>
    [SkippableTheory]
    [InlineData("entry", "/dev/zero")]
    [InlineData("entry", "fifo")]
    [InlineData("checksum", "/dev/zero")]
    [InlineData("checksum", "fifo")]
    public void EntryOrChecksumThatIsNoRegularFile_IsRebuiltWithoutOpeningIt(string which, string special)
    {
        Skip.If(SpecialFiles.Unavailable is not null, SpecialFiles.Unavailable);
        using var cache = new TempDirectory();
        using var frame = Frame();
        var expected = Classify(models.MiniFrames, cache.Path, frame).Result;
        var entry = Entries(cache.Path).Single();
        var replaced = which == "entry" ? entry : entry + OptimizedModelCache.ChecksumSuffix;
        File.Delete(replaced);
        if (special == "fifo")
        {
            SpecialFiles.Fifo(replaced);
        }
        else
        {
            File.CreateSymbolicLink(replaced, special);
        }

        var (result, notices) = SpecialFiles.Within(60, () => Classify(models.MiniFrames, cache.Path, frame));

        Assert.Equal(expected, result);
        Assert.Contains(notices, n => n.StartsWith("optimized ", StringComparison.Ordinal));
        Assert.Null(new FileInfo(replaced).LinkTarget);
        Assert.True(OptimizedModelCache.IsIntact(entry));
    }

    /// <summary>
    /// A FIFO entry in a folder that can't be written: it can't be replaced, so it is passed over
    /// (the model loads as without a cache), never handed to ONNX Runtime, whose open would block.
    /// </summary>
    [SkippableFact]
    [UnsupportedOSPlatform("windows")]
    public void EntryThatIsNoRegularFile_InAFolderThatCantBeWritten_IsPassedOver()
    {
        Skip.If(SpecialFiles.Unavailable is not null, SpecialFiles.Unavailable);
        using var folder = new TempDirectory();
        using var frame = Frame();
        var expected = Classify(models.MiniFrames, folder.Path, frame).Result;

        // Root ignores a folder's mode: for root the cache is a tmpfs remounted read-only.
        var cache = folder.File("cache");
        using var mount = ReadOnlyMount.Unavailable is null ? MountOrSkip(cache) : null;
        Directory.CreateDirectory(cache);
        Classify(models.MiniFrames, cache, frame);
        var entry = Entries(cache).Single();
        File.Delete(entry);
        SpecialFiles.Fifo(entry);
        File.SetUnixFileMode(cache, UnixFileMode.UserRead | UnixFileMode.UserExecute);
        mount?.MakeReadOnly();
        try
        {
            Skip.If(CanWrite(cache), "the folder stays writable for this user, so the entry would be replaced, not passed over");

            var (result, notices) = SpecialFiles.Within(60, () => Classify(models.MiniFrames, cache, frame));

            Assert.Equal(expected, result);
            Assert.StartsWith("can't keep the optimized model in", Assert.Single(notices), StringComparison.Ordinal);
        }
        finally
        {
            if (mount is null)
            {
                File.SetUnixFileMode(cache, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }
        }
    }

    /// <summary>A checksum file is 32 hex digits: one holding more (here the right digits, then 10 MB of blanks) is damage, and not read further.</summary>
    [Fact]
    public void ChecksumFileHoldingMoreThanAChecksum_EntryRebuilt()
    {
        using var cache = new TempDirectory();
        using var frame = Frame();
        var expected = Classify(models.MiniFrames, cache.Path, frame).Result;
        var checksum = Entries(cache.Path).Single() + OptimizedModelCache.ChecksumSuffix;
        File.AppendAllText(checksum, new string(' ', 10_000_000));

        var (result, notices) = Classify(models.MiniFrames, cache.Path, frame);

        Assert.Equal(expected, result);
        Assert.Contains(notices, n => n.StartsWith("optimized ", StringComparison.Ordinal));
        Assert.True(new FileInfo(checksum).Length <= OptimizedModelCache.MaxChecksumBytes);
    }

    [Fact]
    public void FolderThatCantBeMade_StillOpens_AndSaysWhy()
    {
        using var work = new TempDirectory();
        using var frame = Frame();
        var file = work.File("a-file");
        File.WriteAllText(file, "not a folder");
        var (result, notices) = Classify(models.MiniFrames, Path.Combine(file, "cache"), frame);
        Assert.Equal(Classify(models.MiniFrames, null, frame).Result.Indices, result.Indices);
        var notice = Assert.Single(notices);
        Assert.StartsWith("can't keep the optimized model in", notice, StringComparison.Ordinal);
        Assert.Contains(OptimizedModelCache.EnvironmentVariable, notice, StringComparison.Ordinal);
    }

    [Fact]
    public void ModelThatCantBeLoaded_OnlyItsError_AndNoEntry()
    {
        using var cache = new TempDirectory();
        using var work = new TempDirectory();
        var model = work.File("cut.onnx");
        File.WriteAllBytes(model, File.ReadAllBytes(models.MiniFrames)[..4000]);
        var notices = new List<string>();
        Assert.Throws<InferenceException>(() => ClassifierEngine.Open(model, new EngineOptions { Device = DeviceRequest.Cpu, OptimizedModelCache = cache.Path }, notices.Add));
        Assert.Empty(notices);
        Assert.Empty(Directory.GetFiles(cache.Path));
    }

    [Fact]
    public void ModelWithoutContract_OnlyItsError()
    {
        using var cache = new TempDirectory();
        var notices = new List<string>();
        Assert.Throws<Contract.ModelContractException>(() => ClassifierEngine.Open(models.MiniNchw, new EngineOptions { Device = DeviceRequest.Cpu, OptimizedModelCache = cache.Path }, notices.Add));
        Assert.Empty(notices);
    }

    [Fact]
    public void ManyModels_TheLeastRecentlyUsedEntriesGo()
    {
        using var cache = new TempDirectory();
        using var work = new TempDirectory();
        using var frame = Frame();
        var paths = Enumerable.Range(0, OptimizedModelCache.MaxEntries + 2).Select(i => work.File($"m{i}.onnx")).ToList();
        paths.ForEach(p => File.Copy(models.MiniFrames, p));
        Classify(paths[0], cache.Path, frame);
        var first = Entries(cache.Path).Single();
        foreach (var path in paths.Skip(1))
        {
            // The first model is used again before each new one, so it stays; the second is used once, and goes first.
            File.SetLastWriteTimeUtc(first, DateTime.UtcNow.AddMinutes(-10));
            Assert.Empty(Classify(paths[0], cache.Path, frame).Notices);
            Classify(path, cache.Path, frame);
            Thread.Sleep(20);
        }

        var entries = Entries(cache.Path).Select(Path.GetFileName).ToList();
        Assert.Equal(OptimizedModelCache.MaxEntries, entries.Count);
        Assert.Equal(OptimizedModelCache.MaxEntries * 2, Directory.GetFiles(cache.Path).Length);
        Assert.Contains(Path.GetFileName(first), entries);
        Assert.DoesNotContain(entries, e => e!.StartsWith("m1-", StringComparison.Ordinal));
    }

    [Fact]
    public void EntryName_DependsOnTheModelsBytesAndPlace()
    {
        using var work = new TempDirectory();
        var cache = new OptimizedModelCache(work.File("cache"));
        var a = work.File("a.onnx");
        var b = work.File("b.onnx");
        File.Copy(models.MiniFrames, a);
        File.Copy(models.MiniFrames, b);
        var entryA = cache.EntryFor(a);
        Assert.Equal(entryA, cache.EntryFor(a));
        Assert.NotEqual(entryA, cache.EntryFor(b));
        Assert.StartsWith(Path.Combine(cache.Directory, "a-"), entryA, StringComparison.Ordinal);

        File.SetLastWriteTimeUtc(a, DateTime.UtcNow.AddDays(-3));
        Assert.Equal(entryA, cache.EntryFor(a));
        var bytes = File.ReadAllBytes(a);
        bytes[^1] ^= 1;
        File.WriteAllBytes(a, bytes);
        Assert.NotEqual(entryA, cache.EntryFor(a));
    }

    private static string[] Entries(string cache) => Directory.GetFiles(cache, "*.onnx");

    /// <summary>A tmpfs on <paramref name="folder"/>; a root without the right to mount (a container's default) skips, saying why.</summary>
    private static ReadOnlyMount MountOrSkip(string folder)
    {
        try
        {
            return ReadOnlyMount.On(folder);
        }
        catch (InvalidOperationException e)
        {
            throw new SkipException($"root here cannot mount a read-only tmpfs ({e.Message}), and a folder's mode does not stop root");
        }
    }

    private static bool CanWrite(string folder)
    {
        try
        {
            using (File.Create(Path.Combine(folder, "probe"), 1, FileOptions.DeleteOnClose))
            {
            }

            return true;
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            return false;
        }
    }

    private static Mat Frame()
    {
        var frame = new Mat(480, 640, MatType.CV_8UC3);
        Cv2.Randu(frame, Scalar.All(0), Scalar.All(255));
        return frame;
    }

    /// <summary>
    /// The model's whole graph (the graph's preprocessing), unless <paramref name="host"/>: then its
    /// network alone, where the model names a crop_levels tensor, kept as an entry of its own.
    /// </summary>
    private static (Answer Result, List<string> Notices) Classify(string model, string? cache, Mat frame, bool host = false)
    {
        var notices = new List<string>();
        using var engine = ClassifierEngine.Open(model, new EngineOptions { Device = DeviceRequest.Cpu, OptimizedModelCache = cache, WarmUp = false, HostPreprocessing = host }, notices.Add);
        var p = engine.Classify(frame);
        return (new Answer(p.Indices.ToArray(), p.Probabilities.ToArray()), notices);
    }

    private sealed record Answer(int[] Indices, float[] Probabilities)
    {
        public bool Equals(Answer? other) => other is not null && Indices.SequenceEqual(other.Indices) && Probabilities.SequenceEqual(other.Probabilities);

        public override int GetHashCode() => Indices.Length;
    }
}
