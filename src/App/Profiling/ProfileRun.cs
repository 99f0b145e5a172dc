using System.Diagnostics;
using AlexNet.Realtime.App.Live;
using AlexNet.Realtime.Capture;
using AlexNet.Realtime.Inference.Engine;
using AlexNet.Realtime.Overlay;
using AlexNet.Realtime.Overlay.Presenters;
using AlexNet.Realtime.Overlay.Profiling;

namespace AlexNet.Realtime.App.Profiling;

/// <summary>One measured run of the real pipeline: capture, inference, overlay, present (null or window).</summary>
internal sealed class ProfileRun
{
    public required FrameProfiler Profiler { get; init; }

    public required LoopResult Result { get; init; }

    public required long LoopThreadAllocated { get; init; }

    public required long ProcessAllocated { get; init; }

    public required GcReport Gc { get; init; }

    public required double CpuPercent { get; init; }

    public required string FrameSize { get; init; }

    /// <param name="frameMemory">Where the capture pool keeps its frames (the engine's page-locked memory on CUDA), or null.</param>
    /// <param name="smoothing">The labels' moving average (<see cref="LoopOptions.Smoothing"/>), measured as live runs it.</param>
    /// <param name="threshold">The labels' threshold (<see cref="LoopOptions.Threshold"/>).</param>
    public static ProfileRun Measure(SourceSpec spec, CaptureOptions captureOptions, ClassifierEngine engine, Func<IPresenter> presenter, int frames, int warmup, double maxFps, IFrameMemory? frameMemory, double smoothing, double threshold, CancellationToken cancel)
    {
        var profiler = new FrameProfiler(window: 300, recordCapacity: frames);
        using var source = new FrameSource(spec, captureOptions, frameMemory: frameMemory);
        source.Start();
        using var output = presenter();
        var loop = new FrameLoop(source, engine, new OverlayRenderer(), output, profiler, new LoopOptions
        {
            MaxFrames = frames,
            WarmupFrames = warmup,
            MaxFps = maxFps,
            Smoothing = smoothing,
            Threshold = threshold,
        });

        var process = Process.GetCurrentProcess();
        var cpuBefore = process.TotalProcessorTime;
        var wall = Stopwatch.StartNew();
        var result = loop.Run(cancel);
        wall.Stop();
        process.Refresh();
        var cpu = (process.TotalProcessorTime - cpuBefore).TotalSeconds / wall.Elapsed.TotalSeconds / Environment.ProcessorCount * 100;
        source.Stop();
        output.Complete();
        return new ProfileRun
        {
            Profiler = profiler,
            Result = result,
            LoopThreadAllocated = loop.LoopThreadAllocatedBytes,
            ProcessAllocated = loop.ProcessAllocatedBytes,
            Gc = new GcReport(loop.Gc.Gen0, loop.Gc.Gen1, loop.Gc.Gen2, Math.Round(loop.Gc.PauseMs, 3)),
            CpuPercent = Math.Round(cpu, 1),
            FrameSize = loop.FrameSize,
        };
    }

    public IReadOnlyDictionary<string, StageReport> Stages() =>
        Overlay.Profiling.Stages.All.ToDictionary(s => s.Name(), s => StageReport.From(Profiler.RecordStats(s)));

    public RunReport ToRunReport(double? pacedFps) => new(
        Result.Frames,
        Math.Round(Result.FramesPerSecond, 2),
        pacedFps,
        Math.Round(Result.Elapsed.TotalSeconds, 3),
        Result.Dropped,
        PerFrame(LoopThreadAllocated),
        PerFrame(ProcessAllocated),
        Gc,
        CpuPercent,
        Math.Round(Process.GetCurrentProcess().PeakWorkingSet64 / (1024.0 * 1024.0), 1),
        Stages());

    private double PerFrame(long bytes) => Result.Frames > 0 ? Math.Round((double)bytes / Result.Frames, 1) : 0;
}
