using System.Diagnostics;
using AlexNet.Realtime.TestSupport;
using OpenCvSharp;
using Xunit;

namespace AlexNet.Realtime.Capture.Tests;

/// <summary>The demo clip, test videos written by the ffmpeg program, and picture comparisons, for the video readers' tests.</summary>
internal static class TestVideos
{
    public static readonly string DemoClip = Path.Combine(Fixtures.RepositoryRoot, "samples", "demo-640x480.mp4");

    /// <summary>Why a test that needs FFmpeg's libraries in this process skips.</summary>
    public static string NoLibav => $"{Readers.LibavVideoReader.Unavailable} (test.sh installs ffmpeg, and with it FFmpeg's libraries, when run as root)";

    /// <summary>Writes a test video with the ffmpeg program (<c>-y</c>, errors only); fails the test if ffmpeg does.</summary>
    public static void Ffmpeg(params string[] args)
    {
        using var process = Process.Start(new ProcessStartInfo("ffmpeg", ["-v", "error", "-y", .. args]) { RedirectStandardError = true, UseShellExecute = false })!;
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"ffmpeg failed: {error}");
    }

    /// <summary>Seven 101x75 frames at 10/s in MPEG-4: odd sides, which plain I420 cannot hold.</summary>
    public static string OddSized(TempDirectory dir)
    {
        var path = dir.File("odd.mp4");
        Ffmpeg("-f", "lavfi", "-i", "testsrc=size=101x75:rate=10", "-frames:v", "7", "-c:v", "mpeg4", path);
        return path;
    }

    /// <summary>
    /// Three 64x48 VP9 frames of plain 4:2:0 flagged as full range in the bitstream: FFmpeg's VP9
    /// decoder gives them as yuv420p with the range on the side (where H.264's and MJPEG's give
    /// yuvj420p), so only the range tells them from limited-range I420.
    /// </summary>
    public static string FullRange(TempDirectory dir)
    {
        var path = dir.File("full.webm");
        Ffmpeg("-f", "lavfi", "-i", "testsrc=size=64x48:rate=10", "-frames:v", "3", "-c:v", "libvpx-vp9", "-pix_fmt", "yuv420p", "-color_range", "pc", path);
        return path;
    }

    /// <summary>
    /// Five 64x48 frames at 25/s as a raw MPEG-4 stream (no container): the demuxer knows no
    /// average frame rate, only a base rate. 25/s because that is also the raw demuxer's default,
    /// which FFmpeg 6.1 and later report as the base rate where 4.4 and 5.1 read the bitstream's.
    /// </summary>
    public static string RawStream(TempDirectory dir)
    {
        var path = dir.File("raw.m4v");
        Ffmpeg("-f", "lavfi", "-i", "testsrc=size=64x48:rate=25", "-frames:v", "5", "-c:v", "mpeg4", "-f", "m4v", path);
        return path;
    }

    /// <summary>Three 64x48 H.264 frames whose stream says to show them turned by 90 degrees.</summary>
    public static string Rotated(TempDirectory dir)
    {
        var plain = dir.File("plain.mp4");
        var rotated = dir.File("rotated.mp4");
        Ffmpeg("-f", "lavfi", "-i", "testsrc=size=64x48:rate=10", "-frames:v", "3", "-c:v", "libx264", "-pix_fmt", "yuv420p", plain);

        // The ffmpeg program's 'rotate' metadata sets the display matrix up to 6.1 (deprecated there)
        // and no longer from 7 (seen with 7.1: no matrix written); -display_rotation, an input
        // option, is there from 6.1 (its source). The same matrix either way (ffprobe: 5.1's
        // metadata against 7.1's -display_rotation 90).
        if (Readers.FfmpegTool.Version is { } version && Readers.FfmpegTool.IsAtLeast(version, 6, 1))
        {
            Ffmpeg("-display_rotation", "90", "-i", plain, "-c", "copy", rotated);
        }
        else
        {
            Ffmpeg("-i", plain, "-c", "copy", "-metadata:s:v:0", "rotate=90", rotated);
        }
        return rotated;
    }

    /// <summary>4 KB of bytes that are no video, named broken.mp4.</summary>
    public static string Broken(TempDirectory dir)
    {
        var path = dir.File("broken.mp4");
        File.WriteAllBytes(path, [.. Enumerable.Range(0, 4096).Select(i => (byte)(i * 31))]);
        return path;
    }

    public static double MeanOfChannels(Scalar mean) => (mean.Val0 + mean.Val1 + mean.Val2) / 3;

    /// <summary>True when the two pictures have the same size, type and every byte.</summary>
    public static bool SameBytes(Mat a, Mat b)
    {
        if (a.Size() != b.Size() || a.Type() != b.Type())
        {
            return false;
        }

        using var diff = new Mat();
        Cv2.Absdiff(a, b, diff);
        return Cv2.CountNonZero(diff.Reshape(1)) == 0;
    }
}

/// <summary>A reader's frame pool, as a FrameSource keeps one (three frames taken in turn).</summary>
internal sealed class TestFramePool : IDisposable
{
    private readonly CapturedFrame[] _frames = [new(), new(), new()];
    private int _next;

    /// <summary>Reads <paramref name="count"/> frames into the pool's frames in turn; each read must give a frame.</summary>
    public void Read(Readers.IFrameReader reader, int count)
    {
        for (var i = 0; i < count; i++)
        {
            Assert.True(reader.Read(_frames[_next++ % _frames.Length]));
        }
    }

    /// <summary>Reads <paramref name="warm"/> frames, then <paramref name="count"/> more; the bytes this thread allocated for the latter.</summary>
    public long AllocatedReading(Readers.IFrameReader reader, int warm, int count)
    {
        Read(reader, warm);
        var before = GC.GetAllocatedBytesForCurrentThread();
        Read(reader, count);
        return GC.GetAllocatedBytesForCurrentThread() - before;
    }

    public void Dispose()
    {
        foreach (var frame in _frames)
        {
            frame.Dispose();
        }
    }
}
