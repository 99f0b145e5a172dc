using System.Diagnostics;
using System.Globalization;
using AlexNet.Realtime.Inference.Devices;
using AlexNet.Realtime.Inference.Engine;
using AlexNet.Realtime.Overlay.Profiling;
using OpenCvSharp;

namespace AlexNet.Realtime.Bench;

/// <summary>
/// The engine (its own resize, the default; the graph's float resize; the graph's exact resize) and ONNX Runtime alone (on the engine's network as the
/// engine configures it, and on the Gemm graph torch.onnx.export writes, with the engine's settings
/// and with ONNX Runtime's default weight prepacking), one frame each in turn on the same thread, so
/// all see the same machine at the same moments. BenchmarkDotNet measures them minutes apart in
/// separate processes, and on a shared 2-core machine that alone moves their ratio by 0.1 or more.
/// </summary>
internal static class PairedEngineRun
{
    private const string Engine = "engine, its own resize (the default)";
    private const string EngineInt8 = "engine, int8 model, its own resize";
    private const string SpinningAlone = "ONNX Runtime alone, the engine's graph, spinning within a run (live's setting)";
    private const string SpinningEngine = "engine, spinning within a run (live's setting)";

    public static int Run(int frames, int warmup, int threads)
    {
        using var frame = Cv2.ImRead(BenchModels.SampleFrame, ImreadModes.Color);
        Console.WriteLine($"in turn, {frames} frames after {warmup}, {threads} threads, {frame.Cols}x{frame.Rows} frame, {Environment.ProcessorCount} logical cores");
        using var engine = ClassifierEngine.Open(BenchModels.Frames, BenchModels.CpuEngine(threads));
        using var graphEngine = ClassifierEngine.Open(BenchModels.Frames, BenchModels.CpuEngine(threads, hostPreprocessing: false));
        using var exact = ClassifierEngine.Open(BenchModels.FramesExact, BenchModels.CpuEngine(threads));
        using var alone = new PreboundOnnxRuntime(BenchModels.Nchw, threads);
        using var aloneGemm = new PreboundOnnxRuntime(BenchModels.NchwGemm, threads);
        using var aloneGemmPrepacked = new PreboundOnnxRuntime(BenchModels.NchwGemm, threads, prepackWeights: true);
        using var spinningEngine = ClassifierEngine.Open(BenchModels.Frames, BenchModels.CpuEngine(threads, ThreadSpinning.WithinRun));
        using var spinningAlone = new PreboundOnnxRuntime(BenchModels.Nchw, threads, spinning: ThreadSpinning.WithinRun);
        using var engineInt8 = ClassifierEngine.Open(BenchModels.FramesInt8, BenchModels.CpuEngine(threads));
        using var aloneInt8 = new PreboundOnnxRuntime(BenchModels.NchwInt8, threads);
        using var aloneInt8Prepacked = new PreboundOnnxRuntime(BenchModels.NchwInt8, threads, prepackWeights: true);
        var steps = new (string Name, Func<int> Step)[]
        {
            ("ONNX Runtime alone, the engine's graph and settings (baseline)", alone.Run),
            ("ONNX Runtime alone, Gemm graph (torch.onnx.export's), the engine's settings", aloneGemm.Run),
            ("ONNX Runtime alone, Gemm graph, ONNX Runtime's default settings (prepacked)", aloneGemmPrepacked.Run),
            (Engine, () => engine.Classify(frame).Indices[0]),
            ("engine, the graph's float resize", () => graphEngine.Classify(frame).Indices[0]),
            ("engine, --exact-resize", () => exact.Classify(frame).Indices[0]),
            (SpinningAlone, spinningAlone.Run),
            (SpinningEngine, () => spinningEngine.Classify(frame).Indices[0]),
            ("ONNX Runtime alone, int8 network, the engine's settings", aloneInt8.Run),
            ("ONNX Runtime alone, int8 network, prepacked", aloneInt8Prepacked.Run),
            (EngineInt8, () => engineInt8.Classify(frame).Indices[0]),
        };
        var times = steps.Select(_ => new double[frames]).ToArray();
        for (var i = -warmup; i < frames; i++)
        {
            for (var k = 0; k < steps.Length; k++)
            {
                var start = Stopwatch.GetTimestamp();
                steps[k].Step();
                if (i >= 0)
                {
                    times[k][i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                }
            }
        }

        var stats = times.Select(t =>
        {
            Array.Sort(t);
            return StageStats.FromSorted(t);
        }).ToArray();
        var (baseP50, baseMean) = (stats[0].P50, stats[0].Mean);
        for (var k = 0; k < steps.Length; k++)
        {
            var (p50, mean) = (stats[k].P50, stats[k].Mean);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{steps[k].Name}: p50 {p50:0.00} ms, mean {mean:0.00} ms, ratio to the baseline p50 {p50 / baseP50:0.000}, mean {mean / baseMean:0.000}"));
        }

        StageStats Of(string name) => stats[Array.FindIndex(steps, s => s.Name == name)];
        var (spinAlone, spinEngine) = (Of(SpinningAlone), Of(SpinningEngine));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"spinning within a run, engine / ONNX Runtime alone: p50 {spinEngine.P50 / spinAlone.P50:0.000}, mean {spinEngine.Mean / spinAlone.Mean:0.000}"));

        var (fp32Engine, int8Engine) = (Of(Engine), Of(EngineInt8));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"int8 against fp32, engine, its own resize: p50 {fp32Engine.P50 / int8Engine.P50:0.00}x faster (p99 {fp32Engine.P99:0.00} against {int8Engine.P99:0.00} ms)"));
        return 0;
    }
}
