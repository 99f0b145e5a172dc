using AlexNet.Realtime.Capture;
using AlexNet.Realtime.Inference.Devices;
using AlexNet.Realtime.Inference.Engine;

namespace AlexNet.Realtime.Bench.Compare;

/// <summary>This project: decoding on the capture thread, the frame bound as the graph's uint8 input, preprocessing and top-5 in the graph.</summary>
/// <param name="spinning">The engine's setting: off, as labeling's tight loop, or within a run, as live's.</param>
internal sealed class ThisProjectContender(string model, string clip, int threads, ThreadSpinning spinning = ThreadSpinning.Off) : IContender
{
    private readonly ClassifierEngine _engine = ClassifierEngine.Open(model, BenchModels.CpuEngine(threads, spinning));

    public string Name => spinning == ThreadSpinning.Off ? "AlexNet.Realtime (this project)" : "AlexNet.Realtime (this project), workers spinning within a run (live's setting)";

    public (double[] Milliseconds, int[] Top1) Run(int frames, int warmup)
    {
        using var source = new FrameSource(SourceSpec.Parse(clip), new CaptureOptions { Loop = true, QueueCapacity = 4 });
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
