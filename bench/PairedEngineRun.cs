using System.Diagnostics;
using System.Globalization;
using AlexNet.Realtime.Inference.Devices;
using AlexNet.Realtime.Inference.Engine;
using OpenCvSharp;

namespace AlexNet.Realtime.Bench;

/// <summary>
/// The engine (default and exact resize) and ONNX Runtime alone, one frame each in turn on the
/// same thread, so all see the same machine at the same moments. BenchmarkDotNet measures them
/// minutes apart in separate processes, and on a shared 2-core machine that alone moves their
/// ratio by 0.1 or more.
/// </summary>
internal static class PairedEngineRun
{
    public static int Run(int frames, int warmup, int threads)
    {
        using var frame = Cv2.ImRead(BenchModels.SampleFrame, ImreadModes.Color);
        var configurations = new (string Name, string Model)[]
        {
            ("engine, default float resize", BenchModels.Frames),
            ("engine, --exact-resize", BenchModels.FramesExact),
        };
        Console.WriteLine($"in turn, {frames} frames after {warmup}, {threads} threads, {frame.Cols}x{frame.Rows} frame, {Environment.ProcessorCount} logical cores");
        var engines = configurations.Select(c => ClassifierEngine.Open(c.Model, new EngineOptions { Device = DeviceRequest.Cpu, IntraOpThreads = threads })).ToArray();
        using var alone = new PreboundOnnxRuntime(BenchModels.Nchw, threads);
        try
        {
            var times = new double[engines.Length + 1][];
            for (var k = 0; k < times.Length; k++)
            {
                times[k] = new double[frames];
            }

            for (var i = -warmup; i < frames; i++)
            {
                for (var k = 0; k < times.Length; k++)
                {
                    var start = Stopwatch.GetTimestamp();
                    _ = k < engines.Length ? engines[k].Classify(frame).Indices[0] : alone.Run();
                    if (i >= 0)
                    {
                        times[k][i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                    }
                }
            }

            foreach (var t in times)
            {
                Array.Sort(t);
            }

            var baseline = (P50: times[^1][frames / 2], Mean: times[^1].Average());
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ONNX Runtime alone (ready tensor, pre-bound): p50 {baseline.P50:0.00} ms, mean {baseline.Mean:0.00} ms"));
            for (var k = 0; k < engines.Length; k++)
            {
                var (p50, mean) = (times[k][frames / 2], times[k].Average());
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{configurations[k].Name}: p50 {p50:0.00} ms, mean {mean:0.00} ms, ratio p50 {p50 / baseline.P50:0.000}, mean {mean / baseline.Mean:0.000}"));
            }
        }
        finally
        {
            foreach (var engine in engines)
            {
                engine.Dispose();
            }
        }

        return 0;
    }
}
