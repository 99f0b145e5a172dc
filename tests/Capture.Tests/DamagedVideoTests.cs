using AlexNet.Realtime.Capture.Readers;
using AlexNet.Realtime.TestSupport;
using OpenCvSharp;
using Xunit;

namespace AlexNet.Realtime.Capture.Tests;

/// <summary>
/// Damaged video files, made by <see cref="Mutation"/> from two small seeds (H.264 in MP4 with
/// B-frames, its index at the end; MPEG-4 in AVI with odd sides, the scaler's path), read to the
/// end by the in-process FFmpeg reader: each gives frames and then its end, or one
/// <see cref="CaptureException"/>; never another exception, never a frame that is not 8-bit BGR,
/// never a hang. The reader hands FFmpeg's decoder whatever the file holds and reads fields of its
/// structs, so this is where a mistake of ours would show.
/// </summary>
public sealed class DamagedVideoTests
{
    private static readonly string[] Seeds = ["h264-64x48.mp4", "mpeg4-101x75.avi"];

    // The same cases in CI every time; ALEXNET_RT_FUZZ=N for N fresh ones (DamageRun).
    private const string CiSeed = "3hX8kLm0qPz1";
    private const int CiCases = 400;

    [SkippableFact]
    public void DamagedVideo_FramesThenTheEnd_OrOneClearError()
    {
        Skip.IfNot(LibavVideoReader.Available, TestVideos.NoLibav);
        var seeds = Seeds.Select(s => (Name: s, Bytes: File.ReadAllBytes(Fixtures.Path("fuzz", s)))).ToArray();
        using var dir = new TempDirectory();
        var refused = 0;
        var framesRead = 0L;
        DamageRun.Over(seeds, CiSeed, CiCases, (seed, damaged) =>
        {
            // A file a case: exploring runs cases on several threads.
            var path = dir.File($"{Guid.NewGuid():N}{Path.GetExtension(seed.Name)}");
            File.WriteAllBytes(path, damaged);
            try
            {
                Interlocked.Add(ref framesRead, ReadToTheEnd(path));
            }
            catch (CaptureException e)
            {
                Assert.StartsWith("damaged: ", e.Message, StringComparison.Ordinal);
                Assert.DoesNotContain('\n', e.Message);
                Interlocked.Increment(ref refused);
            }
            finally
            {
                File.Delete(path);
            }
        });

        // Both outcomes occur, so the cases reach the decoder and not only the demuxer.
        Console.WriteLine($"damaged videos: {refused} refused, {framesRead} frames read from the others");
        Assert.InRange(refused, 1, (DamageRun.Exploring is null ? CiCases : int.MaxValue) - 1);
        Assert.True(framesRead > 0);
    }

    /// <summary>Every frame of the file, as the capture thread reads it (the frame reused); the count.</summary>
    private static long ReadToTheEnd(string path)
    {
        using var reader = new LibavVideoReader(path, "damaged");
        using var frame = new CapturedFrame();
        reader.Open();
        var frames = 0L;
        while (reader.Read(frame))
        {
            Assert.Equal(MatType.CV_8UC3, frame.Image.Type());
            Assert.False(frame.Image.Empty());
            Assert.True(frames++ < 10_000, "a 24-frame file gave 10,000 frames");
        }

        Assert.False(reader.Read(frame));
        return frames;
    }
}
