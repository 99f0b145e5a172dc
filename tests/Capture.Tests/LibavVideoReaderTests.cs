using System.Diagnostics;
using AlexNet.Realtime.Capture.Readers;
using AlexNet.Realtime.TestSupport;
using OpenCvSharp;
using Xunit;
using static AlexNet.Realtime.Capture.Tests.TestVideos;

namespace AlexNet.Realtime.Capture.Tests;

public sealed class LibavVideoReaderTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    private static bool BothReaders => LibavVideoReader.Available && FfmpegTool.DecodesVideoFiles;

    [SkippableFact]
    public void DemoClip_EveryFrameAndTimeAsTheFfmpegProgramGivesThem()
    {
        Skip.IfNot(BothReaders, NoLibav);
        using var libav = new LibavVideoReader(DemoClip, "demo");
        using var program = new FfmpegVideoReader(DemoClip, "demo", Timeout);
        using var opencv = new VideoCaptureReader(new SourceSpec(SourceKind.VideoFile, DemoClip), new CaptureOptions());
        libav.Open();
        program.Open();
        opencv.Open();
        Assert.Equal(360, libav.FrameCount);
        Assert.Equal(program.FramesPerSecond, libav.FramesPerSecond);

        using var a = new CapturedFrame();
        using var b = new CapturedFrame();
        using var c = new CapturedFrame();
        var frames = 0;
        while (libav.Read(a))
        {
            Assert.True(program.Read(b), $"the ffmpeg program ended at {frames}, libav did not");
            Assert.True(opencv.Read(c));
            Assert.True(libav.ConvertsYuv);
            Assert.Equal(frames, a.FrameInOrigin);
            Assert.Equal("demo", a.Origin);
            Assert.Equal(b.SourceTimeMs, a.SourceTimeMs);
            Assert.Equal(c.SourceTimeMs, a.SourceTimeMs);
            Assert.Equal(MatType.CV_8UC3, a.Image.Type());
            Assert.True(SameBytes(a.Image, b.Image), $"frame {frames} differs from the ffmpeg program's");
            frames++;
        }

        Assert.False(program.Read(b), "libav ended before the ffmpeg program");
        Assert.Equal(360, frames);
    }

    /// <summary>
    /// The newest release installed is the one loaded (no newer one loads here), unless
    /// <c>ALEXNET_RT_LIBAV</c> names one, as scripts/libav/check-ffmpeg.sh does when it runs these
    /// tests on another release: then that one is loaded, or these tests fail (they must not pass
    /// on the system's release, or skip, when the script's libraries are not found).
    /// </summary>
    [SkippableFact]
    public void LoadedRelease_NewestInstalledOrTheOneNamed()
    {
        var asked = Environment.GetEnvironmentVariable(Capture.Readers.Libav.LibavApi.ReleaseVariable);
        if (!string.IsNullOrEmpty(asked))
        {
            Assert.True(LibavVideoReader.Available, LibavVideoReader.Unavailable);
            Assert.Equal(asked, LibavVideoReader.Release);
            return;
        }

        Skip.IfNot(LibavVideoReader.Available, NoLibav);
        var versions = Capture.Readers.Libav.LibavApi.Versions;
        var loaded = versions.Single(v => v.Layout.Name == LibavVideoReader.Release);
        foreach (var newer in versions.TakeWhile(v => v != loaded))
        {
            Assert.False(System.Runtime.InteropServices.NativeLibrary.TryLoad($"libavformat.so.{newer.Avformat}", out _), $"FFmpeg {newer.Layout.Name} is installed, but {loaded.Layout.Name} was loaded");
        }
    }

    /// <summary>The releases the reader knows are tried newest first, each with its own layout, and the one loaded is among them.</summary>
    [SkippableFact]
    public void KnownReleases_NewestFirst_LoadedOneAmongThem()
    {
        var versions = Capture.Readers.Libav.LibavApi.Versions;
        Assert.Equal(versions.OrderByDescending(v => v.Avformat).ToList(), versions.ToList());
        Assert.Equal(versions.Count, versions.Select(v => v.Layout).Distinct().Count());
        Skip.IfNot(LibavVideoReader.Available, NoLibav);
        Assert.Contains(LibavVideoReader.Release, versions.Select(v => v.Layout.Name));
    }

    [SkippableFact]
    public void OddSizedVideo_ConvertedByTheScalerAndComplete()
    {
        Skip.IfNot(BothReaders, NoLibav);
        using var dir = new TempDirectory();
        var path = OddSized(dir);

        using var reader = new LibavVideoReader(path, path);
        using var program = new FfmpegVideoReader(path, path, Timeout);
        reader.Open();
        program.Open();
        using var frame = new CapturedFrame();
        using var other = new CapturedFrame();
        var times = new List<double>();
        while (reader.Read(frame))
        {
            Assert.False(reader.ConvertsYuv);
            Assert.Equal(new Size(101, 75), frame.Image.Size());
            Assert.True(program.Read(other));

            // FFmpeg's scaler, with the ffmpeg program's default flags, in both.
            Assert.True(SameBytes(frame.Image, other.Image), $"frame {times.Count} differs from the ffmpeg program's");
            times.Add(frame.SourceTimeMs);
        }

        Assert.Equal(7, reader.FrameCount);
        Assert.Equal([0, 100, 200, 300, 400, 500, 600], times.Select(t => Math.Round(t, 6)));
    }

    /// <summary>The range comes from the codec context's AVOption, not the frame's field: a full-range yuv420p video still goes to FFmpeg's scaler, whose pictures equal the ffmpeg program's.</summary>
    [SkippableFact]
    public void FullRangeVideo_ConvertedByTheScalerAsTheFfmpegProgramGivesIt()
    {
        Skip.IfNot(BothReaders, NoLibav);
        using var dir = new TempDirectory();
        var path = FullRange(dir);

        using var reader = new LibavVideoReader(path, path);
        using var program = new FfmpegVideoReader(path, path, Timeout);
        reader.Open();
        program.Open();
        Assert.Equal(10, reader.FramesPerSecond);
        using var frame = new CapturedFrame();
        using var other = new CapturedFrame();
        var frames = 0;
        while (reader.Read(frame))
        {
            Assert.False(reader.ConvertsYuv, "a full-range frame went to the limited-range I420 conversion");
            Assert.True(program.Read(other));
            Assert.Equal(new Size(64, 48), frame.Image.Size());
            Assert.True(SameBytes(frame.Image, other.Image), $"full-range frame {frames} differs from the ffmpeg program's");
            frames++;
        }

        Assert.Equal(3, frames);
    }

    /// <summary>Where the stream has no average frame rate, the rate is av_guess_frame_rate's, the stream's base rate (without it, 0).</summary>
    [SkippableFact]
    public void RawStreamWithoutAverageRate_FrameRateIsTheStreamsBaseRate()
    {
        Skip.IfNot(BothReaders, NoLibav);
        using var dir = new TempDirectory();
        var path = RawStream(dir);

        using var libav = new LibavVideoReader(path, path);
        libav.Open();
        Assert.Equal(25, libav.FramesPerSecond);
    }

    [SkippableFact]
    public void RotatedVideo_FramesUprightAsTheFfmpegProgramGivesThem()
    {
        Skip.IfNot(BothReaders, NoLibav);
        using var dir = new TempDirectory();
        var rotated = Rotated(dir);

        using var libav = new LibavVideoReader(rotated, rotated);
        using var program = new FfmpegVideoReader(rotated, rotated, Timeout);
        libav.Open();
        program.Open();
        using var a = new CapturedFrame();
        using var b = new CapturedFrame();
        var frames = 0;
        while (libav.Read(a))
        {
            Assert.True(program.Read(b));
            Assert.Equal(new Size(48, 64), a.Image.Size());
            Assert.True(SameBytes(a.Image, b.Image), $"rotated frame {frames} differs from the ffmpeg program's");
            frames++;
        }

        Assert.Equal(3, frames);
    }

    [SkippableFact]
    public void Rewind_StartsAgainAtTheFirstFrame()
    {
        Skip.IfNot(LibavVideoReader.Available, NoLibav);
        using var reader = new LibavVideoReader(DemoClip, "demo");
        reader.Open();
        using var first = new CapturedFrame();
        using var frame = new CapturedFrame();
        Assert.True(reader.Read(first));
        for (var i = 0; i < 5; i++)
        {
            Assert.True(reader.Read(frame));
        }

        reader.Rewind();
        Assert.True(reader.Read(frame));
        Assert.Equal(0, frame.FrameInOrigin);
        Assert.Equal(0, frame.SourceTimeMs);
        Assert.True(SameBytes(first.Image, frame.Image));
        Assert.True(reader.Read(frame));
        Assert.Equal(1, frame.FrameInOrigin);
    }

    [SkippableFact]
    public void Disposed_ReadAndOpenSaySo()
    {
        Skip.IfNot(LibavVideoReader.Available, NoLibav);
        var reader = new LibavVideoReader(DemoClip, "demo");
        reader.Open();
        using var frame = new CapturedFrame();
        Assert.True(reader.Read(frame));
        reader.Dispose();
        reader.Dispose();
        Assert.Throws<ObjectDisposedException>(() => reader.Read(frame));
        Assert.Throws<ObjectDisposedException>(reader.Open);
    }

    [SkippableFact]
    public void CorruptFile_OneClearError()
    {
        Skip.IfNot(LibavVideoReader.Available, NoLibav);
        using var dir = new TempDirectory();
        var path = Broken(dir);
        using var reader = new LibavVideoReader(path, "broken.mp4");
        var e = Assert.Throws<CaptureException>(reader.Open);
        Assert.StartsWith("broken.mp4: cannot be opened as a video (", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
    }

    [SkippableFact]
    public void TruncatedFile_FramesUpToTheCutThenTheEnd()
    {
        Skip.IfNot(LibavVideoReader.Available, NoLibav);
        using var dir = new TempDirectory();
        var path = dir.File("cut.mp4");

        // The demo clip's moov atom is at its end (no faststart), so a cut keeps the header only if
        // the file is written with it first.
        Ffmpeg("-i", DemoClip, "-c", "copy", "-movflags", "+faststart", path);
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);
        using var reader = new LibavVideoReader(path, "cut.mp4");
        reader.Open();
        using var frame = new CapturedFrame();
        var frames = 0;
        while (reader.Read(frame))
        {
            frames++;
        }

        Assert.InRange(frames, 60, 300);
        Assert.False(reader.Read(frame));
    }

    [SkippableFact]
    public void PlaylistNamingTheNetwork_RefusedWithoutConnecting()
    {
        Skip.IfNot(LibavVideoReader.Available, NoLibav);

        // A server on this machine that the playlist names: a connection to it is the demuxer
        // going to the network (an unroutable address would fail fast either way, proving nothing).
        // FFmpeg's own default for a file's nested opens would refuse http too; the reader's
        // whitelist allowing http and tcp makes this fail (checked once by hand).
        using var server = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        server.Start();
        var port = ((System.Net.IPEndPoint)server.LocalEndpoint).Port;
        using var dir = new TempDirectory();
        var path = dir.File("list.m3u8");
        File.WriteAllText(path, $"#EXTM3U\n#EXT-X-TARGETDURATION:1\n#EXTINF:1,\nhttp://127.0.0.1:{port}/segment.ts\n#EXT-X-ENDLIST\n");
        using var reader = new LibavVideoReader(path, "list.m3u8");
        var opened = Task.Run(() =>
        {
            try
            {
                reader.Open();
                using var frame = new CapturedFrame();
                reader.Read(frame);
                return null;
            }
            catch (CaptureException e)
            {
                return e;
            }
        });
        var connected = server.AcceptSocketAsync();
        var first = Task.WaitAny([opened, connected], TimeSpan.FromSeconds(10));
        Assert.False(connected.IsCompleted, "the demuxer connected to the server the playlist names");
        Assert.Equal(0, first);
        Assert.StartsWith("list.m3u8: ", Assert.IsType<CaptureException>(opened.Result).Message, StringComparison.Ordinal);
    }

    [SkippableFact]
    public void FrameSource_LibavByDefaultAndWhenAsked()
    {
        Skip.IfNot(LibavVideoReader.Available, NoLibav);
        var spec = SourceSpec.Parse(DemoClip);
        using var byDefault = FrameSource.CreateReader(spec, new CaptureOptions());
        using var auto = FrameSource.CreateReader(spec, new CaptureOptions { Decoder = VideoDecoder.Auto });
        using var libav = FrameSource.CreateReader(spec, new CaptureOptions { Decoder = VideoDecoder.Libav });
        Assert.IsType<LibavVideoReader>(byDefault);
        Assert.IsType<LibavVideoReader>(auto);
        Assert.IsType<LibavVideoReader>(libav);
        Assert.Equal(VideoDecoder.Libav, CaptureOptions.ParseDecoder("LibAV"));
    }

    /// <summary>
    /// FFmpeg's scaler writes whole vectors, up to 16 bytes past the picture's last row at widths 8
    /// past a multiple of 16: written straight into a frame whose memory ends at its last pixel, it
    /// corrupted the heap (the test host crashed, or hung in free(), labeling an 8200-wide MJPEG).
    /// The frame here is moved into memory with a guard band after its end, as a CUDA engine's
    /// page-locked blocks hold frames, and the next frame is decoded into it.
    /// </summary>
    [SkippableTheory]
    [InlineData(1928)]
    [InlineData(8200)]
    public void WidthTheScalerOverruns_NothingWrittenPastTheFramesEnd(int width)
    {
        Skip.IfNot(LibavVideoReader.Available, NoLibav);
        using var dir = new TempDirectory();
        var path = dir.File("wide.mkv");
        using (var writer = new VideoWriter(path, FourCC.MJPG, 10, new Size(width, 16)))
        using (var picture = new Mat(16, width, MatType.CV_8UC3, new Scalar(40, 90, 200)))
        {
            Assert.True(writer.IsOpened());
            for (var i = 0; i < 3; i++)
            {
                writer.Write(picture);
            }
        }

        using var reader = new LibavVideoReader(path, path);
        reader.Open();
        using var frame = new CapturedFrame();
        var memory = new GuardedMemory();
        Assert.True(reader.Read(frame));
        Assert.False(reader.ConvertsYuv, "full-range MJPEG goes through FFmpeg's scaler");
        frame.KeepIn(memory);
        var block = frame.Image.Data;
        for (var i = 0; i < 2; i++)
        {
            Assert.True(reader.Read(frame));
            Assert.Equal(block, frame.Image.Data);
            Assert.True(memory.GuardIntact, $"frame {i + 1}: bytes after the frame's last pixel were written");
        }

        Assert.Equal(new Vec3b(40, 90, 200), frame.Image.At<Vec3b>(8, width / 2), new VecNear(3));
    }

    /// <summary>Blocks of exactly the size asked for, followed by a guard band of known bytes.</summary>
    private sealed unsafe class GuardedMemory : IFrameMemory
    {
        private const int Guard = 256;
        private byte* _block;
        private long _bytes;

        public bool GuardIntact
        {
            get
            {
                for (var i = 0; i < Guard; i++)
                {
                    if (_block[_bytes + i] != 0xA5)
                    {
                        return false;
                    }
                }

                return true;
            }
        }

        public IntPtr Allocate(long bytes)
        {
            Assert.True(_block == null, "one block in this test");
            _bytes = bytes;
            _block = (byte*)System.Runtime.InteropServices.NativeMemory.AlignedAlloc((nuint)(bytes + Guard), 64);
            new Span<byte>(_block + bytes, Guard).Fill(0xA5);
            return (IntPtr)_block;
        }

        public void Free(IntPtr block) => System.Runtime.InteropServices.NativeMemory.AlignedFree((void*)block);
    }

    private sealed class VecNear(int tolerance) : IEqualityComparer<Vec3b>
    {
        public bool Equals(Vec3b a, Vec3b b) => Math.Abs(a.Item0 - b.Item0) <= tolerance && Math.Abs(a.Item1 - b.Item1) <= tolerance && Math.Abs(a.Item2 - b.Item2) <= tolerance;

        public int GetHashCode(Vec3b v) => 0;
    }
}
