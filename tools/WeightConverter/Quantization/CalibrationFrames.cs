using AlexNet.Realtime.Capture;
using AlexNet.Realtime.Inference.Preprocessing;

namespace AlexNet.Realtime.WeightConverter.Quantization;

/// <summary>
/// Frames for calibrating and checking a reduced-precision model, each as the model's
/// <c>crop_levels</c> tensor made by the engine's own CPU crop resize (whole levels, so kept as
/// bytes), split into a calibration set and a held-out set.
/// </summary>
/// <remarks>
/// Neighbouring video frames are nearly the same picture, so frames are held out in blocks: video
/// frames in blocks of <see cref="VideoBlock"/> consecutive frames, each image a block of its own,
/// and every <see cref="HoldOutEvery"/>th block held out. A held-out frame then lies at least a
/// block away from most calibration frames, not beside one.
/// </remarks>
internal sealed class CalibrationFrames
{
    public const int VideoBlock = 8;
    public const int HoldOutEvery = 4;

    /// <summary>Frames read at most, over all sources (the rest are not read): bounds memory and time.</summary>
    public const int MaxFrames = 800;

    private CalibrationFrames(int crop, List<byte[]> calibration, List<byte[]> heldOut, string source, int total, bool truncated)
    {
        Crop = crop;
        Calibration = calibration;
        HeldOut = heldOut;
        Source = source;
        Total = total;
        Truncated = truncated;
    }

    public int Crop { get; }

    /// <summary>Frames the activation ranges are measured on: B, G and R planes of Crop x Crop levels each.</summary>
    public IReadOnlyList<byte[]> Calibration { get; }

    /// <summary>Frames the agreement is measured on, never calibrated on.</summary>
    public IReadOnlyList<byte[]> HeldOut { get; }

    /// <summary>The sources, in words.</summary>
    public string Source { get; }

    public int Total { get; }

    public bool Truncated { get; }

    /// <summary>Which frames were held out, in words, for the agreement report.</summary>
    public string HeldOutText =>
        $"{HeldOut.Count} of {Total} frames held out from calibration (every {HoldOutEvery}th block of {VideoBlock} consecutive video frames, every {HoldOutEvery}th image) " +
        $"from {Source}{(Truncated ? $" (its first {MaxFrames} frames)" : "")}";

    /// <summary>Reads every source (image, folder of images and videos, or video) in order.</summary>
    /// <exception cref="ConversionException">A source can't be read, or there are too few frames to hold some out.</exception>
    public static CalibrationFrames Read(IReadOnlyList<string> sources, string sourceText, int crop, int resizeShorter, bool pilExact)
    {
        ArgumentNullException.ThrowIfNull(sources);
        var calibration = new List<byte[]>();
        var heldOut = new List<byte[]>();
        var block = 0;
        var total = 0;
        var truncated = false;
        var resizers = new Dictionary<(int, int), ICropResizer>();
        var planes = new float[3 * crop * crop];
        foreach (var spec in sources.SelectMany(Expand))
        {
            if (total >= MaxFrames)
            {
                truncated = true;
                break;
            }

            var isVideo = spec.Kind == SourceKind.VideoFile;
            var inBlock = 0;
            var read = ReadSource(spec, MaxFrames - total, frame =>
            {
                var levels = Levels(frame, resizers, planes, crop, resizeShorter, pilExact);
                (block % HoldOutEvery == HoldOutEvery - 1 ? heldOut : calibration).Add(levels);
                if (!isVideo || ++inBlock == VideoBlock)
                {
                    block++;
                    inBlock = 0;
                }
            });
            if (isVideo && inBlock > 0)
            {
                block++;
            }

            truncated |= read.Truncated;
            total += read.Frames;
        }

        if (heldOut.Count == 0 || calibration.Count == 0)
        {
            throw new ConversionException(
                $"--calibrate: {total} frame(s) from {sourceText}; at least {HoldOutEvery} images or {HoldOutEvery * VideoBlock} video frames are needed to hold some out for the agreement check");
        }

        return new CalibrationFrames(crop, calibration, heldOut, sourceText, total, truncated);
    }

    /// <summary>A source as the app parses <c>--source</c>; a folder's videos are read too, each after its images.</summary>
    private static IEnumerable<SourceSpec> Expand(string source)
    {
        SourceSpec spec;
        try
        {
            spec = SourceSpec.Parse(source);
        }
        catch (CaptureException) when (Directory.Exists(source))
        {
            // A folder of videos only: no images, its videos below.
            spec = new SourceSpec(SourceKind.ImageFolder, source, Files: []);
        }
        catch (CaptureException e)
        {
            throw new ConversionException($"--calibrate {e.Message}", e);
        }

        if (spec.Kind is SourceKind.Camera or SourceKind.Stream or SourceKind.Synthetic)
        {
            throw new ConversionException($"--calibrate {source}: give image or video files, or folders of them (cameras, streams and 'synthetic' are not calibration sets)");
        }

        if (spec.Files is { Count: > 0 })
        {
            yield return spec;
        }

        if (spec.Kind == SourceKind.ImageFolder)
        {
            foreach (var video in FolderWalk.Files(source).Where(IsVideo).Select(Path.GetFullPath).Order(StringComparer.Ordinal))
            {
                yield return new SourceSpec(SourceKind.VideoFile, video);
            }
        }
        else if (spec.Kind == SourceKind.VideoFile)
        {
            yield return spec;
        }
    }

    private static bool IsVideo(string file) =>
        Path.GetExtension(file).ToLowerInvariant() is ".mp4" or ".avi" or ".mkv" or ".mov" or ".webm" or ".m4v" or ".mpg" or ".mpeg";

    private static (int Frames, bool Truncated) ReadSource(SourceSpec spec, int most, Action<CapturedFrame> take)
    {
        string? unreadable = null;
        using var source = new FrameSource(spec, new CaptureOptions { Policy = HandoffPolicy.Every }, onUnreadable: (file, why) => unreadable ??= $"{file}: {why}");
        source.Start();
        var frames = 0;
        while (source.TryTake(TimeSpan.FromSeconds(30), out var frame))
        {
            try
            {
                if (frames == most)
                {
                    return (frames, true);
                }

                take(frame!);
                frames++;
            }
            finally
            {
                source.Return(frame!);
            }
        }

        if (source.State == SourceState.Failed || unreadable is not null)
        {
            throw new ConversionException($"--calibrate {spec.Text}: {unreadable ?? source.Problem ?? "cannot be read"}");
        }

        return frames == 0 && !source.IsFinished
            ? throw new ConversionException($"--calibrate {spec.Text}: no frame in 30 s")
            : (frames, false);
    }

    private static unsafe byte[] Levels(CapturedFrame frame, Dictionary<(int, int), ICropResizer> resizers, float[] planes, int crop, int resizeShorter, bool pilExact)
    {
        var image = frame.Image;
        if (!resizers.TryGetValue((image.Rows, image.Cols), out var resizer))
        {
            resizer = CropGeometry.For(image.Rows, image.Cols, resizeShorter, crop, pilExact);
            resizers[(image.Rows, image.Cols)] = resizer;
        }

        fixed (float* output = planes)
        {
            resizer.Run((byte*)image.Data, image.Step(), output);
        }

        var levels = new byte[planes.Length];
        for (var i = 0; i < planes.Length; i++)
        {
            levels[i] = (byte)Math.Clamp(planes[i], 0f, 255f);
        }

        return levels;
    }
}
