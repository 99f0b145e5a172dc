using AlexNet.Realtime.Capture;
using AlexNet.Realtime.Inference.Devices;
using AlexNet.Realtime.Inference.Engine;

namespace AlexNet.Realtime.Bench.Compare;

/// <summary>This project: decoding on the capture thread, the frame bound as the graph's uint8 input, preprocessing and top-5 in the graph.</summary>
/// <param name="spinning">The engine's setting: off, as labeling's tight loop, or within a run, as live's.</param>
/// <param name="decoder">What decodes the clip: this project's default, or OpenCV's reader, which every other contender uses.</param>
internal sealed class ThisProjectContender(string model, string clip, int threads, ThreadSpinning spinning = ThreadSpinning.Off, VideoDecoder decoder = VideoDecoder.Auto) : IContender
{
    private readonly ClassifierEngine _engine = ClassifierEngine.Open(model, BenchModels.CpuEngine(threads, spinning));

    public string Name => "AlexNet.Realtime (this project)"
        + $", decoder {CaptureOptions.Resolve(decoder).ToString().ToLowerInvariant()}{(decoder == VideoDecoder.Auto ? " (its default)" : "")}"
        + (spinning == ThreadSpinning.Off ? "" : ", workers spinning within a run (live's setting)");

    public (double[] Milliseconds, int[] Top1) Run(int frames, int warmup)
    {
        using var source = new FrameSource(SourceSpec.Parse(clip), new CaptureOptions { Loop = true, QueueCapacity = 4, Decoder = decoder });
        source.Start();
        return TimedLoop.Run(frames, warmup, () =>
        {
            if (!source.TryTake(TimeSpan.FromSeconds(10), out var frame))
            {
                throw new InvalidOperationException($"the clip gave no frame: {source.Problem}");
            }

            var index = _engine.Classify(frame!.Image).Indices[0];
            source.Return(frame);
            return index;
        });
    }

    public void Dispose() => _engine.Dispose();
}
