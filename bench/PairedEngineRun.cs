using System.Diagnostics;
using System.Globalization;
using AlexNet.Realtime.Inference.Devices;
using AlexNet.Realtime.Inference.Engine;
using OpenCvSharp;

namespace AlexNet.Realtime.Bench;

/// <summary>
/// The engine and ONNX Runtime alone, one frame each in turn on the same thread, so both see the
/// same machine at the same moments. BenchmarkDotNet measures them minutes apart in separate
/// processes, and on a shared 2-core machine that alone moves their ratio by 0.1 or more.
/// </summary>
internal static class PairedEngineRun
{
    public static int Run(int frames, int warmup, int threads)
    {
        using var frame = Cv2.ImRead(BenchModels.SampleFrame, ImreadModes.Color);
        var models = new[] { ("default float resize", BenchModels.Frames), ("--exact-resize", BenchModels.FramesExact) };
        Console.WriteLine($"paired runs, {frames} frames after {warmup}, {threads} threads, {frame.Cols}x{frame.Rows} frame, {Environment.ProcessorCount} logical cores");
        foreach (var (name, path) in models)
        {
            using var engine = ClassifierEngine.Open(path, new EngineOptions { Device = DeviceRequest.Cpu, IntraOpThreads = threads });
            using var alone = new PreboundOnnxRuntime(BenchModels.Nchw, threads);
            var engineMs = new double[frames];
            var aloneMs = new double[frames];
            for (var i = -warmup; i < frames; i++)
            {
                var start = Stopwatch.GetTimestamp();
                engine.Classify(frame);
                var middle = Stopwatch.GetTimestamp();
                alone.Run();
                var end = Stopwatch.GetTimestamp();
                if (i >= 0)
                {
                    engineMs[i] = Stopwatch.GetElapsedTime(start, middle).TotalMilliseconds;
                    aloneMs[i] = Stopwatch.GetElapsedTime(middle, end).TotalMilliseconds;
                }
            }

            Array.Sort(engineMs);
            Array.Sort(aloneMs);
            var (e50, a50) = (engineMs[frames / 2], aloneMs[frames / 2]);
            var (eMean, aMean) = (engineMs.Average(), aloneMs.Average());
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"engine ({name}): p50 {e50:0.00} ms, mean {eMean:0.00} ms | ONNX Runtime alone: p50 {a50:0.00} ms, mean {aMean:0.00} ms | ratio p50 {e50 / a50:0.000}, mean {eMean / aMean:0.000}"));
        }

        return 0;
    }
}
