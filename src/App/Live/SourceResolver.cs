using AlexNet.Realtime.Capture;
using OpenCvSharp;

namespace AlexNet.Realtime.App.Live;

/// <summary>
/// The source to use: <c>--source</c> if given; otherwise the first camera if one opens, else the
/// bundled demo clip (so live mode runs on a machine with no camera).
/// </summary>
internal static class SourceResolver
{
    public const string DemoClip = "samples/demo-640x480.mp4";

    public static SourceSpec Resolve(string? text, CaptureOptions options, Action<string> say)
    {
        if (!string.IsNullOrWhiteSpace(text))
        {
            SourceSpec spec;
            try
            {
                spec = SourceSpec.Parse(text);
            }
            catch (CaptureException e)
            {
                throw new CaptureException($"--source {e.Message}", e);
            }

            // A camera that is not there at all is said at once; one that exists but will not open
            // (busy, still starting) is retried with backoff like any live source.
            if (spec.Kind == SourceKind.Camera && OperatingSystem.IsLinux() && options.CameraApi is VideoCaptureAPIs.ANY or VideoCaptureAPIs.V4L2
                && !File.Exists($"/dev/video{spec.CameraIndex}"))
            {
                var present = Directory.EnumerateFiles("/dev", "video*").Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
                throw new CaptureException($"--source {text}: no camera {spec.CameraIndex} (/dev/video{spec.CameraIndex} does not exist; {(present.Count == 0 ? "this machine has no camera device" : "there are " + string.Join(", ", present))})");
            }

            return spec;
        }

        if (CameraOpens(options))
        {
            say("no --source: using camera 0");
            return SourceSpec.Parse("0");
        }

        var demo = FindDemoClip();
        say($"no --source and no camera: playing the demo clip {DemoClip}");
        return SourceSpec.Parse(demo);
    }

    public static string FindDemoClip()
    {
        foreach (var candidate in new[] { Path.GetFullPath(DemoClip), Path.Combine(AppContext.BaseDirectory, DemoClip) })
        {
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new CaptureException($"the demo clip {DemoClip} is missing; give --source (a camera number, a file, a URL or 'synthetic')");
    }

    private static bool CameraOpens(CaptureOptions options)
    {
        // On Linux, no /dev/video* means no camera: skip a slow probe.
        if (OperatingSystem.IsLinux() && !Directory.EnumerateFiles("/dev", "video*").Any())
        {
            return false;
        }

        try
        {
            using var capture = new VideoCapture(0, options.CameraApi);
            return capture.IsOpened();
        }
        catch (OpenCVException)
        {
            return false;
        }
    }
}
