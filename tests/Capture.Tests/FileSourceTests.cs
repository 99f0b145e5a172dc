using AlexNet.Realtime.TestSupport;
using OpenCvSharp;
using Xunit;
using static AlexNet.Realtime.Capture.Tests.TestVideos;

namespace AlexNet.Realtime.Capture.Tests;

public sealed class FileSourceTests
{
    [Fact]
    public void VideoFile_EndsAfterExactlyItsFrameCount()
    {
        using var source = new FrameSource(SourceSpec.Parse(DemoClip));
        Assert.Equal(HandoffPolicy.Every, source.Policy);
        source.Start();
        var sequences = TakeAll(source, out var sizes, out var pts);

        Assert.Equal(360, sequences.Count);
        Assert.Equal(Enumerable.Range(0, 360).Select(i => (long)i), sequences);
        Assert.All(sizes, s => Assert.Equal(new Size(640, 480), s));
        Assert.True(pts.Zip(pts.Skip(1)).All(p => p.Second > p.First), "source timestamps must increase");
        Assert.Equal(SourceState.Ended, source.State);
        Assert.Equal(0, source.Dropped);
        Assert.True(source.IsFinished);
    }

    [Fact]
    public void VideoFilePacedLikeACamera_EveryFrameNoSoonerThanItsTime()
    {
        // 50 frames/s: 20 ms apart. Waiting never ends early, so this bound is not a timing bet.
        using var source = new FrameSource(SourceSpec.Parse(DemoClip), new CaptureOptions { PaceFps = 50 });
        source.Start();
        var stamps = new List<long>();
        for (var i = 0; i < 15; i++)
        {
            Assert.True(source.TryTake(TimeSpan.FromSeconds(5), out var frame));
            Assert.Equal(i, frame!.Sequence);
            stamps.Add(frame.ReadStartTimestamp);
            source.Return(frame);
        }

        var span = System.Diagnostics.Stopwatch.GetElapsedTime(stamps[0], stamps[^1]);
        Assert.True(span >= TimeSpan.FromMilliseconds(14 * 20 * 0.95), $"15 frames at 50/s came within {span.TotalMilliseconds:F0} ms");
        Assert.Equal(0, source.Dropped);
    }

    [Fact]
    public void PaceOutOfRange_IsRefusedNamingTheProperty()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new CaptureOptions { PaceFps = -1 });
        Assert.Equal(nameof(CaptureOptions.PaceFps), e.ParamName);
        Assert.Equal(-1.0, e.ActualValue);
    }

    [Theory]
    [InlineData("vlc")]
    [InlineData("")]
    public void UnknownDecoderName_IsRefusedAsAnArgument(string name)
    {
        var e = Assert.Throws<ArgumentException>(() => CaptureOptions.ParseDecoder(name));
        Assert.Equal("text", e.ParamName);
    }

    [Fact]
    public void VideoFileWithLoop_RestartsAtTheEnd()
    {
        using var source = new FrameSource(SourceSpec.Parse(DemoClip), new CaptureOptions { Loop = true });
        source.Start();
        var origins = new List<long>();
        while (origins.Count < 400 && source.TryTake(TimeSpan.FromSeconds(10), out var frame))
        {
            origins.Add(frame!.FrameInOrigin);
            source.Return(frame);
        }

        Assert.Equal(400, origins.Count);
        Assert.Equal(359, origins[359]);
        Assert.Equal(0, origins[360]);
        Assert.Equal(SourceState.Running, source.State);
    }

    [Fact]
    public void ImageFolder_EachImageOnceInSortedOrderAndUnreadableReported()
    {
        using var dir = new TempDirectory();
        foreach (var photo in Fixtures.Photos)
        {
            File.Copy(Fixtures.Image(photo + ".png"), dir.File(photo + ".png"));
        }

        Directory.CreateDirectory(dir.File("sub"));
        File.Copy(Fixtures.Image("coffee.png"), dir.File("sub/zz-coffee.png"));
        File.WriteAllText(dir.File("broken.jpg"), "not a jpeg");
        File.WriteAllText(dir.File("notes.txt"), "ignored");
        var unreadable = new List<string>();

        using var source = new FrameSource(SourceSpec.Parse(dir.Path), onUnreadable: (file, _) => unreadable.Add(Path.GetFileName(file)));
        source.Start();
        var origins = new List<string>();
        while (source.TryTake(TimeSpan.FromSeconds(10), out var frame))
        {
            origins.Add(Path.GetRelativePath(dir.Path, frame!.Origin));
            source.Return(frame);
        }

        Assert.Equal(["astronaut.png", "chelsea.png", "coffee.png", "rocket.png", Path.Combine("sub", "zz-coffee.png")], origins);
        Assert.Equal(["broken.jpg"], unreadable);
        Assert.Equal(SourceState.Ended, source.State);
    }

    [SkippableFact]
    public void FolderWithALinkBackUp_EachImageOnce()
    {
        Skip.If(OperatingSystem.IsWindows(), "making a folder link needs rights on Windows");
        using var dir = new TempDirectory();
        Directory.CreateDirectory(dir.File("photos/sub"));
        File.Copy(Fixtures.Image("coffee.png"), dir.File("photos/sub/coffee.png"));
        Directory.CreateSymbolicLink(dir.File("photos/sub/up"), dir.File("photos"));
        File.CreateSymbolicLink(dir.File("photos/rocket.png"), Fixtures.Image("rocket.png"));

        // Followed, the link back up listed coffee.png once per level, 40 deep.
        Assert.Equal(["rocket.png", "coffee.png"], SourceSpec.Parse(dir.File("photos")).Files!.Select(Path.GetFileName));
        Assert.Equal(["coffee.png"], SourceSpec.Parse(dir.File("photos/**/c*.png")).Files!.Select(Path.GetFileName));
    }

    [Fact]
    public void ImageGlob_MatchesOnlyThePattern()
    {
        var spec = SourceSpec.Parse(Path.Combine(Fixtures.Dir, "images", "c*.png"));
        Assert.Equal(SourceKind.ImageGlob, spec.Kind);
        Assert.Equal(["chelsea.png", "coffee.png"], spec.Files!.Select(Path.GetFileName));
    }

    [Fact]
    public void Synthetic_MakesDistinctFramesAtItsRate()
    {
        using var source = new FrameSource(SourceSpec.Parse("synthetic"), new CaptureOptions { Fps = 200 });
        Assert.Equal(HandoffPolicy.Latest, source.Policy);
        source.Start();
        var last = -1L;
        var hashes = new HashSet<ulong>();
        for (var i = 0; i < 20; i++)
        {
            Assert.True(source.TryTake(TimeSpan.FromSeconds(5), out var frame));
            Assert.True(frame!.Sequence > last);
            last = frame.Sequence;
            Assert.Equal(new Size(640, 480), frame.Image.Size());
            hashes.Add(Hash(frame.Image));
            source.Return(frame);
        }

        Assert.Equal(20, hashes.Count);
        Assert.Equal(SourceState.Running, source.State);
    }

    [Theory]
    [InlineData("missing-file.mp4", "no such file")]
    [InlineData("camera:x", "expected camera:N")]
    [InlineData("http://", "not a valid URL")]
    [InlineData("rtsp://", "not a valid URL")]
    [InlineData("rtsp:///stream", "not a valid URL")]
    public void BadSourceText_IsOneClearError(string text, string message)
    {
        var e = Assert.Throws<CaptureException>(() => SourceSpec.Parse(text));
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CorruptVideo_FailsWithoutRetrying()
    {
        using var dir = new TempDirectory();
        File.WriteAllBytes(dir.File("bad.mp4"), new byte[4096]);
        var states = new List<SourceState>();
        using var source = new FrameSource(SourceSpec.Parse(dir.File("bad.mp4")));
        source.StateChanged += (state, _) => { lock (states) { states.Add(state); } };
        source.Start();
        Assert.False(source.TryTake(TimeSpan.FromSeconds(10), out _));
        Assert.Equal(SourceState.Failed, source.State);
        Assert.Contains("cannot be opened as a video", source.Problem, StringComparison.Ordinal);
        Assert.DoesNotContain(SourceState.Reconnecting, states);
    }

    [Theory]
    [InlineData("0", SourceKind.Camera, HandoffPolicy.Latest)]
    [InlineData("camera:2", SourceKind.Camera, HandoffPolicy.Latest)]
    [InlineData("rtsp://127.0.0.1:8554/cam", SourceKind.Stream, HandoffPolicy.Latest)]
    [InlineData("synthetic", SourceKind.Synthetic, HandoffPolicy.Latest)]
    public void SourceText_IsParsed(string text, SourceKind kind, HandoffPolicy policy)
    {
        var spec = SourceSpec.Parse(text);
        Assert.Equal(kind, spec.Kind);
        Assert.Equal(policy, spec.DefaultPolicy);
    }

    internal static List<long> TakeAll(FrameSource source, out List<Size> sizes, out List<double> pts)
    {
        var sequences = new List<long>();
        sizes = [];
        pts = [];
        while (source.TryTake(TimeSpan.FromSeconds(10), out var frame))
        {
            sequences.Add(frame!.Sequence);
            sizes.Add(frame.Image.Size());
            pts.Add(frame.SourceTimeMs);
            source.Return(frame);
        }

        return sequences;
    }

    private static unsafe ulong Hash(Mat image)
    {
        var hash = 14695981039346656037UL;
        var data = (byte*)image.Data;
        var length = image.Rows * image.Cols * 3;
        for (var i = 0; i < length; i += 97)
        {
            hash = (hash ^ data[i]) * 1099511628211UL;
        }

        return hash;
    }
}
