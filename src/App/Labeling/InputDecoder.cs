using AlexNet.Realtime.Capture;

namespace AlexNet.Realtime.App.Labeling;

/// <summary>
/// One input's decoder (a <see cref="FrameSource"/> delivering every frame), which can be started
/// before the input's turn: while the engine finishes one file, or loads the model, the next
/// file's first frames are already being decoded, so the engine does not wait for them.
/// </summary>
/// <remarks>Owns its source; disposing twice is harmless.</remarks>
internal sealed class InputDecoder : IDisposable
{
    private readonly Problem _problem;

    private InputDecoder(FrameSource source, Problem problem)
    {
        Source = source;
        _problem = problem;
    }

    public FrameSource Source { get; }

    /// <summary>Why the reader could not decode the input, if it said.</summary>
    public string? Unreadable => _problem.Text;

    /// <summary>Starts decoding an input; null when the file does not exist.</summary>
    /// <param name="held">The frames the labeling loop holds at most (a batch per lane).</param>
    /// <param name="batch">Frames per batch: the queue holds one batch more than the loop, and two frames, so the next batch is decoded while the others run.</param>
    /// <param name="decoder">What decodes a video.</param>
    public static InputDecoder? Start(LabelInput input, int held, int batch, VideoDecoder decoder)
    {
        if (!File.Exists(input.Path))
        {
            return null;
        }

        var spec = input.IsImage
            ? new SourceSpec(SourceKind.ImageFile, input.Path, Files: [input.Path])
            : new SourceSpec(SourceKind.VideoFile, input.Path);
        var problem = new Problem();
        var source = new FrameSource(spec, new CaptureOptions { Policy = HandoffPolicy.Every, QueueCapacity = Math.Max(8, held + batch + 2), Decoder = decoder },
            onUnreadable: (_, why) => problem.Text = why);
        source.Start();
        return new InputDecoder(source, problem);
    }

    public void Dispose() => Source.Dispose();

    private sealed class Problem
    {
        public volatile string? Text;
    }
}
