using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Serialization;
using AlexNet.Realtime.Overlay.Profiling;

namespace AlexNet.Realtime.Bench.Compare;

internal sealed record ContenderResult(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("fps")] double Fps,
    [property: JsonPropertyName("fps_rounds")] IReadOnlyList<double> FpsRounds,
    [property: JsonPropertyName("p50_ms")] double P50Ms,
    [property: JsonPropertyName("p99_ms")] double P99Ms,
    [property: JsonPropertyName("ratio_of_this_project")] double RatioOfThisProject,
    [property: JsonPropertyName("top1_agreement_with_this_project")] double? Top1Agreement);

internal sealed record ComparisonReport(
    [property: JsonPropertyName("cpu")] string Cpu,
    [property: JsonPropertyName("logical_cores")] int LogicalCores,
    [property: JsonPropertyName("threads")] int Threads,
    [property: JsonPropertyName("frames")] int Frames,
    [property: JsonPropertyName("rounds")] int Rounds,
    [property: JsonPropertyName("os")] string Os,
    [property: JsonPropertyName("date")] string Date,
    [property: JsonPropertyName("decoder_version")] string? DecoderVersion,
    [property: JsonPropertyName("contenders")] IReadOnlyList<ContenderResult> Contenders);

[JsonSourceGenerationOptions(WriteIndented = true)]
[JsonSerializable(typeof(ComparisonReport))]
internal sealed partial class CompareJsonContext : JsonSerializerContext;

/// <summary>
/// Runs every contender on the same frames of the demo clip with the same full-size weights, in
/// one process, round after round (A B C, A B C) so that a noisy neighbour hurts all alike; each
/// contender's best round counts.
/// </summary>
internal static class ComparisonRunner
{
    public static ComparisonReport Run(IReadOnlyList<Func<IContender>> factories, int frames, int warmup, int rounds, int threads, Action<string> say)
    {
        var contenders = factories.Select(f => f()).ToList();
        try
        {
            var results = contenders.Select(_ => new List<(double Fps, double[] Times, int[] Top1)>()).ToList();
            for (var round = 0; round < rounds; round++)
            {
                for (var c = 0; c < contenders.Count; c++)
                {
                    var (times, top1) = contenders[c].Run(frames, warmup);
                    var fps = frames / (times.Sum() / 1000.0);
                    results[c].Add((fps, times, top1));
                    say(string.Create(CultureInfo.InvariantCulture, $"round {round + 1}: {contenders[c].Name}: {fps:0.0} frames/s"));
                }
            }

            var best = results.Select(r => r.OrderByDescending(x => x.Fps).First()).ToList();
            var ours = best[0];
            var report = contenders.Select((c, i) =>
            {
                var stats = StageStats.FromSorted(best[i].Times.Order().ToArray());
                // A contender that classifies no frame (the floor runs one ready tensor) reports -1: no agreement to speak of.
                double? agreement = best[i].Top1.All(t => t < 0) ? null : best[i].Top1.Zip(ours.Top1).Count(p => p.First == p.Second) / (double)frames;
                return new ContenderResult(c.Name, Math.Round(best[i].Fps, 1), results[i].Select(r => Math.Round(r.Fps, 1)).ToList(),
                    Math.Round(stats.P50, 2), Math.Round(stats.P99, 2),
                    Math.Round(ours.Fps / best[i].Fps, 2), agreement is { } a ? Math.Round(a, 3) : null);
            }).ToList();
            return new ComparisonReport(AlexNet.Realtime.Inference.Devices.HardwareInfo.CpuName(), Environment.ProcessorCount, threads, frames, rounds, RuntimeInformation.OSDescription,
                DateTime.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), AlexNet.Realtime.Capture.DecoderVersion.Of(AlexNet.Realtime.Capture.VideoDecoder.Auto), report);
        }
        finally
        {
            contenders.ForEach(c => c.Dispose());
        }
    }

    public static string ToJson(ComparisonReport report) => JsonSerializer.Serialize(report, CompareJsonContext.Default.ComparisonReport);
}
