using System.Text.Json;
using System.Text.Json.Serialization;

namespace AlexNet.Realtime.App.Labeling;

/// <summary>The side file (<c>&lt;output&gt;.meta.json</c>) that says what made the rows.</summary>
/// <param name="DecoderVersion">Which build of the decoder ("FFmpeg 7 (libavcodec 61.19.101)"): recorded, not compared on resume (a newer FFmpeg decodes the same pictures).</param>
/// <param name="Preprocessing">
/// Who resized the frames, <c>host</c> (the engine) or <c>graph</c>: recorded, not compared on
/// resume (the two give the same top-K, probabilities within 2e-4; runs from before it was
/// recorded, null, were the graph's).
/// </param>
/// <param name="Smoothing">The moving average of the rows (0: each frame's own answer; side files from before it was recorded were).</param>
/// <param name="Precision">
/// The model's arithmetic (fp32, fp16, int8, int8-fc), compared on resume: an int8 model converted
/// from the same weights has the same source file and SHA-256, and may be written under the same
/// name, yet its rows differ. Side files from before it was recorded (null) were fp32's.
/// </param>
/// <param name="PrecisionTop1Agreement">A reduced model's top-1 agreement with fp32 from its contract: recorded, not compared.</param>
internal sealed record LabelRunInfo(
    string Model,
    string ModelSourceFile,
    string ModelSourceSha256,
    string Weights,
    string Device,
    string? Decoder,
    int TopK,
    int Every,
    string Format,
    string? Shard,
    int Inputs,
    string? DecoderVersion = null,
    string? Preprocessing = null,
    double Smoothing = 0,
    string? Precision = null,
    double? PrecisionTop1Agreement = null)
{
    public static string PathFor(string output) => output + ".meta.json";

    /// <summary>The precision, fp32 for a side file from before it was recorded.</summary>
    [JsonIgnore]
    public string PrecisionOrFp32 => Precision ?? Inference.Contract.ModelContract.Fp32;

    public void Write(string output)
    {
        // A new temporary name (never a link left at a fixed one), flushed, checked, renamed.
        Output.OutputFile.Write(PathFor(output), System.Text.Encoding.UTF8.GetBytes(JsonSerializer.Serialize(this, LabelJsonContext.Default.LabelRunInfo) + "\n"), "--output's side file");
    }

    public static LabelRunInfo? Read(string output)
    {
        var path = PathFor(output);
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize(File.ReadAllText(path), LabelJsonContext.Default.LabelRunInfo)
                ?? throw new JsonException("null");
        }
        catch (JsonException e)
        {
            // It alone says which job wrote the output; without it, resuming could mix two models' rows.
            throw new Commands.AppException($"--resume: {path} is damaged ({Inference.ErrorText.FirstLine(e.Message)}), so the job that wrote {Path.GetFileName(output)} is unknown; remove both files, or drop --resume");
        }
    }

    /// <summary>
    /// Resuming continues the same job: same model and precision, K, sampling, smoothing, format and video decoder (two
    /// decoders' colours differ by a level or so, and so may the probabilities). Side files from
    /// before the decoder was recorded (null) were all OpenCV's.
    /// </summary>
    public bool SameJobAs(LabelRunInfo other) =>
        ModelSourceFile == other.ModelSourceFile && ModelSourceSha256 == other.ModelSourceSha256 && Model == other.Model
        && PrecisionOrFp32 == other.PrecisionOrFp32
        && TopK == other.TopK && Every == other.Every && Smoothing == other.Smoothing && Format == other.Format && Shard == other.Shard
        && (Decoder ?? "opencv") == (other.Decoder ?? "opencv");
}

[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(LabelRunInfo))]
internal sealed partial class LabelJsonContext : JsonSerializerContext;
