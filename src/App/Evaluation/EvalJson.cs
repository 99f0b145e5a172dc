using System.Text.Json;

namespace AlexNet.Realtime.App.Evaluation;

/// <summary>
/// An evaluation as JSON, for scripts: the dataset, each model's top-1 and top-K with counts and
/// 95% Wilson intervals, every class's accuracy, its most confused pairs, the models' pairwise
/// agreement and the first failures. Shares are fractions (0..1); one that has no images is null.
/// </summary>
internal static class EvalJson
{
    /// <summary>Confused pairs listed per model.</summary>
    public const int ConfusedPairs = 50;

    public static byte[] Write(EvalReport report)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteStartObject("dataset");
            json.WriteString("source", report.Dataset);
            json.WriteString("kind", report.DatasetKind);
            json.WriteNumber("entries", report.Entries);
            json.WriteNumber("classified", report.Classified);
            json.WriteNumber("failed", report.Failures.Count);
            json.WriteNumber("classes", report.ClassesSeen.Count());
            if (report.ImagesOutsideClasses > 0)
            {
                json.WriteNumber("images_outside_class_folders", report.ImagesOutsideClasses);
            }

            json.WriteBoolean("complete", !report.Cancelled);
            json.WriteEndObject();

            json.WriteStartArray("models");
            foreach (var model in report.Models)
            {
                WriteModel(json, report, model);
            }

            json.WriteEndArray();

            json.WriteStartArray("agreement");
            foreach (var pair in report.Agreement.Pairs())
            {
                json.WriteStartObject();
                json.WriteString("a", report.Models[pair.A].Name);
                json.WriteString("b", report.Models[pair.B].Name);
                WriteProportion(json, "top1_agreement", pair.Top1);
                json.WriteNumber("both_right", pair.BothRight);
                json.WriteNumber("only_a_right", pair.OnlyARight);
                json.WriteNumber("only_b_right", pair.OnlyBRight);
                json.WriteNumber("both_wrong", pair.BothWrong);
                json.WriteEndObject();
            }

            json.WriteEndArray();

            json.WriteStartArray("failures");
            foreach (var (name, why) in report.Failures.First)
            {
                json.WriteStartObject();
                json.WriteString("image", name);
                json.WriteString("error", why);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteNumber("elapsed_s", Math.Round(report.Elapsed.TotalSeconds, 3));
            json.WriteEndObject();
        }

        buffer.WriteByte((byte)'\n');
        return buffer.ToArray();
    }

    private static void WriteModel(Utf8JsonWriter json, EvalReport report, EvaluatedModel model)
    {
        var tally = model.Tally;
        json.WriteStartObject();
        json.WriteString("model", model.Name);
        json.WriteString("path", model.Path);
        json.WriteString("device", model.Device);
        json.WriteString("precision", model.Precision);
        if (model.ConverterTop1Agreement is { } converterTop1)
        {
            json.WriteNumber("converter_top1_agreement", converterTop1);
        }

        if (model.Forced)
        {
            json.WriteBoolean("forced", true);
        }

        json.WriteNumber("k", tally.K);
        WriteProportion(json, "top1", tally.Top1);
        WriteProportion(json, "topk", tally.TopK);
        json.WriteNumber("nonfinite", tally.NonFinite);

        json.WriteStartArray("per_class");
        foreach (var cls in report.ClassesSeen)
        {
            json.WriteStartObject();
            WriteClass(json, report, cls);
            json.WriteNumber("images", tally.ImagesOf(cls));
            WriteProportion(json, "top1", tally.Top1Of(cls));
            WriteProportion(json, "topk", tally.TopKOf(cls));
            json.WriteEndObject();
        }

        json.WriteEndArray();

        json.WriteStartArray("confused");
        foreach (var pair in tally.Confusions.Top(ConfusedPairs))
        {
            json.WriteStartObject();
            json.WriteStartObject("true");
            WriteClass(json, report, pair.True);
            json.WriteEndObject();
            json.WriteStartObject("predicted");
            WriteClass(json, report, pair.Predicted);
            json.WriteEndObject();
            json.WriteNumber("count", pair.Count);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void WriteClass(Utf8JsonWriter json, EvalReport report, int cls)
    {
        json.WriteNumber("index", cls);
        json.WriteString("label", report.Labels[cls]);
        if (report.WordNetIds is { } ids)
        {
            json.WriteString("wnid", ids[cls]);
        }
    }

    /// <summary><c>{"count", "of", "rate", "ci95": [low, high]}</c>, with nulls where there were no trials.</summary>
    private static void WriteProportion(Utf8JsonWriter json, string name, Proportion proportion)
    {
        json.WriteStartObject(name);
        json.WriteNumber("count", proportion.Count);
        json.WriteNumber("of", proportion.Of);
        WriteShare(json, "rate", proportion.Rate);
        var interval = proportion.Interval;
        json.WriteStartArray("ci95");
        WriteShare(json, null, interval.Low);
        WriteShare(json, null, interval.High);
        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void WriteShare(Utf8JsonWriter json, string? name, double value)
    {
        if (name is not null)
        {
            json.WritePropertyName(name);
        }

        if (double.IsNaN(value))
        {
            json.WriteNullValue();
        }
        else
        {
            json.WriteNumberValue(Math.Round(value, 6));
        }
    }
}
