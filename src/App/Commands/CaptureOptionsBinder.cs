using System.CommandLine;
using AlexNet.Realtime.Capture;

namespace AlexNet.Realtime.App.Commands;

/// <summary>The source options of live and profile.</summary>
internal sealed class CaptureOptionsBinder
{
    public Option<string?> Source { get; } = new("--source", "-s")
    {
        Description = "A camera (0, camera:1), a video or image file, a folder or glob of images, an rtsp/http(s) URL, or 'synthetic'. Default: the first camera, else the demo clip.",
    };

    public Option<int> Width { get; } = new("--width") { Description = "Camera width to request." };

    public Option<int> Height { get; } = new("--height") { Description = "Camera height to request." };

    public Option<double> Fps { get; } = new("--fps") { Description = "Camera frame rate to request (and the synthetic pattern's)." };

    public Option<string> CameraApi { get; } = new Option<string>("--camera-api")
    {
        Description = "Camera backend: v4l2, dshow, msmf or any.",
        DefaultValueFactory = _ => "any",
    }.AcceptOnlyFromAmong("v4l2", "dshow", "msmf", "any");

    public Option<string?> Policy { get; } = new Option<string?>("--policy")
    {
        Description = "Frame hand-off: latest (newest wins, drops counted; default for cameras and streams) or every (all frames; default for files).",
    }.AcceptOnlyFromAmong("latest", "every");

    public Option<bool> Loop { get; } = new("--loop") { Description = "Start a file again at its end." };

    public Option<string> Decoder { get; } = DecoderOption();

    /// <summary>The <c>--decoder</c> option (live and profile here, and label).</summary>
    public static Option<string> DecoderOption() => new Option<string>("--decoder")
    {
        Description = "What decodes video files: auto (the default: libav when it loads, else opencv), libav (the system's FFmpeg libraries, 4 to 9, decoding in this process: the least CPU a frame and the exact BT.601 colours), opencv (the FFmpeg inside OpenCV: for a machine without FFmpeg's libraries; its colours are less exact), or ffmpeg (the system's ffmpeg program, 5.1 or later: the same pixels as libav, a process apart, for checking one against the other).",
        DefaultValueFactory = _ => "auto",
    }.AcceptOnlyFromAmong("auto", "opencv", "libav", "ffmpeg");

    /// <summary>The decoder asked for, resolved on this machine: one asked for by name that it lacks stops the run here.</summary>
    public static VideoDecoder ResolveDecoder(ParseResult parse, Option<string> option) =>
        CaptureOptions.Resolve(CaptureOptions.ParseDecoder(parse.GetValue(option)));

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { Source, Width, Height, Fps, CameraApi, Policy, Loop, Decoder })
        {
            command.Options.Add(option);
        }
    }

    public CaptureOptions Bind(ParseResult parse) => AppErrors.Flags.Build(() => new CaptureOptions
    {
        Width = parse.GetValue(Width),
        Height = parse.GetValue(Height),
        Fps = parse.GetValue(Fps),
        CameraApi = CaptureOptions.ParseCameraApi(parse.GetValue(CameraApi)),
        Policy = parse.GetValue(Policy) switch
        {
            "latest" => HandoffPolicy.Latest,
            "every" => HandoffPolicy.Every,
            _ => null,
        },
        Loop = parse.GetValue(Loop),
        Decoder = ResolveDecoder(parse, Decoder),
    });
}
