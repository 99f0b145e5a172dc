using System.Buffers;
using System.Text.Json;
using AlexNet.Realtime.Inference.Engine;

namespace AlexNet.Realtime.App.Output;

/// <summary>
/// Writes the one-line JSON row that classify and label share:
/// <c>{"source": ..., "frame": 0, "pts_ms": ..., "top": [{"index": 281, "label": "tabby", "p": 0.83}, ...]}</c>,
/// highest first. A probability that is not a number is <c>null</c>, and the row gets an
/// <c>"error"</c> saying so. The writer and its buffer are reused row after row.
/// </summary>
internal sealed class PredictionJson : IDisposable
{
    private static readonly JsonWriterOptions Options = new() { Indented = false, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private readonly ArrayBufferWriter<byte> _buffer = new(1024);
    private readonly Utf8JsonWriter _writer;

    public PredictionJson()
    {
        _writer = new Utf8JsonWriter(_buffer, Options);
    }

    /// <summary>The row as UTF-8 bytes, without a newline; valid until the next call.</summary>
    public ReadOnlySpan<byte> Row(string source, long frame, double? ptsMs, Prediction prediction, int top)
    {
        ArgumentNullException.ThrowIfNull(prediction);
        _buffer.ResetWrittenCount();
        _writer.Reset();
        _writer.WriteStartObject();
        _writer.WriteString("source"u8, source);
        _writer.WriteNumber("frame"u8, frame);
        if (ptsMs is { } pts)
        {
            _writer.WriteNumber("pts_ms"u8, Math.Round(pts, 3));
        }

        _writer.WriteStartArray("top"u8);
        var count = Math.Min(top, prediction.Count);
        for (var i = 0; i < count; i++)
        {
            var entry = prediction[i];
            _writer.WriteStartObject();
            _writer.WriteNumber("index"u8, entry.Index);
            _writer.WriteString("label"u8, entry.Label);
            if (float.IsFinite(entry.Probability))
            {
                _writer.WriteNumber("p"u8, Math.Round(entry.Probability, 6));
            }
            else
            {
                // JSON has no NaN: the value is null, and the row's error says why.
                _writer.WriteNull("p"u8);
            }

            _writer.WriteEndObject();
        }

        _writer.WriteEndArray();
        if (NonFinite(prediction, top) is { } why)
        {
            _writer.WriteString("error"u8, why);
        }

        _writer.WriteEndObject();
        _writer.Flush();
        return _buffer.WrittenSpan;
    }

    /// <summary>
    /// Why the top <paramref name="top"/> probabilities are not all numbers (NaN or infinite, from
    /// a model whose weights hold such values), or null when they are.
    /// </summary>
    public static string? NonFinite(Prediction prediction, int top)
    {
        ArgumentNullException.ThrowIfNull(prediction);
        var count = Math.Min(top, prediction.Count);
        for (var i = 0; i < count; i++)
        {
            var p = prediction.Probabilities[i];
            if (!float.IsFinite(p))
            {
                return $"the model gave a probability that is not a number ({(float.IsNaN(p) ? "NaN" : "infinite")}); its weights may hold NaN or Inf";
            }
        }

        return null;
    }

    /// <summary>An error row for an input that could not be read: <c>{"source": ..., "frame": ..., "error": ...}</c>.</summary>
    public ReadOnlySpan<byte> ErrorRow(string source, long frame, string error)
    {
        _buffer.ResetWrittenCount();
        _writer.Reset();
        _writer.WriteStartObject();
        _writer.WriteString("source"u8, source);
        _writer.WriteNumber("frame"u8, frame);
        _writer.WriteString("error"u8, error);
        _writer.WriteEndObject();
        _writer.Flush();
        return _buffer.WrittenSpan;
    }

    public void Dispose() => _writer.Dispose();
}
