using System.Text.Json.Serialization;
using AlexNet.Realtime.Overlay.Profiling;

namespace AlexNet.Realtime.App.Profiling;

/// <summary>Latency of one stage over the run, in milliseconds.</summary>
internal sealed record StageReport(
    [property: JsonPropertyName("min_ms")] double MinMs,
    [property: JsonPropertyName("p50_ms")] double P50Ms,
    [property: JsonPropertyName("p90_ms")] double P90Ms,
    [property: JsonPropertyName("p99_ms")] double P99Ms,
    [property: JsonPropertyName("p999_ms")] double P999Ms,
    [property: JsonPropertyName("max_ms")] double MaxMs,
    [property: JsonPropertyName("mean_ms")] double MeanMs)
{
    public static StageReport From(StageStats s) =>
        new(Round(s.Min), Round(s.P50), Round(s.P90), Round(s.P99), Round(s.P999), Round(s.Max), Round(s.Mean));

    private static double Round(double v) => Math.Round(v, 4);
}

internal sealed record GcReport(
    [property: JsonPropertyName("gen0")] int Gen0,
    [property: JsonPropertyName("gen1")] int Gen1,
    [property: JsonPropertyName("gen2")] int Gen2,
    [property: JsonPropertyName("pause_ms")] double PauseMs);

/// <summary>One run of the pipeline (unpaced, or paced at a camera rate).</summary>
internal record RunReport(
    [property: JsonPropertyName("frames")] long Frames,
    [property: JsonPropertyName("fps")] double Fps,
    [property: JsonPropertyName("paced_fps")] double? PacedFps,
    [property: JsonPropertyName("duration_s")] double DurationS,
    [property: JsonPropertyName("dropped")] long Dropped,
    [property: JsonPropertyName("allocated_bytes_per_frame")] double AllocatedBytesPerFrame,
    [property: JsonPropertyName("process_allocated_bytes_per_frame")] double ProcessAllocatedBytesPerFrame,
    [property: JsonPropertyName("gc")] GcReport Gc,
    [property: JsonPropertyName("cpu_percent")] double CpuPercent,
    [property: JsonPropertyName("peak_rss_mb")] double PeakRssMb,
    [property: JsonPropertyName("stages")] IReadOnlyDictionary<string, StageReport> Stages);

/// <summary>What <c>alexnet-rt profile --report</c> writes (documented in the README): the unpaced run, what ran where, and the paced run.</summary>
internal sealed record ProfileReport : RunReport
{
    public ProfileReport(RunReport run)
        : base(run)
    {
    }

    /// <summary>The labels' moving average the loop ran with (0: each frame's own answer).</summary>
    [JsonPropertyName("smoothing")]
    public double Smoothing { get; init; }

    [JsonPropertyName("warmup")]
    public required int Warmup { get; init; }

    [JsonPropertyName("device")]
    public required string Device { get; init; }

    [JsonPropertyName("model")]
    public required string Model { get; init; }

    [JsonPropertyName("weights")]
    public required string Weights { get; init; }

    /// <summary>The model's arithmetic from its contract: fp32, fp16, int8 or int8-fc.</summary>
    [JsonPropertyName("precision")]
    public required string Precision { get; init; }

    /// <summary>A reduced model's measured top-1 agreement with fp32 (from its contract); null for fp32 or where none was recorded.</summary>
    [JsonPropertyName("precision_top1_agreement")]
    public double? PrecisionTop1Agreement { get; init; }

    /// <summary>The reduced model was written below the converter's agreement threshold (<c>--force</c>).</summary>
    [JsonPropertyName("precision_forced")]
    public bool PrecisionForced { get; init; }

    [JsonPropertyName("threads")]
    public required int Threads { get; init; }

    /// <summary>ONNX Runtime's workers' spinning: off, run or on (see <c>--spin</c>).</summary>
    [JsonPropertyName("spinning")]
    public required string Spinning { get; init; }

    [JsonPropertyName("frame_size")]
    public required string FrameSize { get; init; }

    /// <summary>Where frames were resized and cropped: <c>host</c> (the engine, CPU) or <c>graph</c> (the model's own nodes).</summary>
    [JsonPropertyName("preprocessing")]
    public required string Preprocessing { get; init; }

    [JsonPropertyName("source")]
    public required string Source { get; init; }

    /// <summary>What decoded a video file source (libav, opencv or ffmpeg); null for other sources.</summary>
    [JsonPropertyName("decoder")]
    public string? Decoder { get; init; }

    /// <summary>Which build of it ("FFmpeg 5 (libavcodec 59.37.100)"); null for other sources.</summary>
    [JsonPropertyName("decoder_version")]
    public string? DecoderVersion { get; init; }

    [JsonPropertyName("cpu")]
    public required string Cpu { get; init; }

    [JsonPropertyName("logical_cores")]
    public required int LogicalCores { get; init; }

    [JsonPropertyName("paced")]
    public RunReport? Paced { get; init; }
}

[JsonSourceGenerationOptions(WriteIndented = true)]
[JsonSerializable(typeof(ProfileReport))]
internal sealed partial class ProfileJsonContext : JsonSerializerContext;
