using System.Globalization;
using System.Text;
using AlexNet.Realtime.App.Output;
using AlexNet.Realtime.Inference.Engine;

namespace AlexNet.Realtime.App.Labeling;

/// <summary>
/// Appends one row per labeled frame to the output, each row a whole line written in one call
/// and flushed with its batch: a run stopped at any point leaves a valid file up to its last row.
/// Owns the file stream.
/// </summary>
internal sealed class RowWriter : IDisposable
{
    private readonly FileStream _file;
    private readonly LabelFormat _format;
    private readonly int _top;
    private readonly PredictionJson _json = new();
    private readonly StringBuilder _csv = new(256);
    private byte[] _bytes = new byte[1024];

    public RowWriter(string path, LabelFormat format, int top, bool append)
    {
        _format = format;
        _top = top;
        // Unbuffered: each row reaches the file in one write, so a killed run never leaves half a row.
        _file = new FileStream(path, append ? FileMode.Append : FileMode.Create, FileAccess.Write, FileShare.Read, bufferSize: 0);
        if (format == LabelFormat.Csv && (!append || (_file.CanSeek && _file.Length == 0)))
        {
            var header = new StringBuilder("source,frame,pts_ms");
            for (var k = 1; k <= top; k++)
            {
                header.Append(CultureInfo.InvariantCulture, $",top{k}_label,top{k}_p");
            }

            header.Append(",error\n");
            WriteText(header.ToString());
        }
    }

    public long Rows { get; private set; }

    public void Write(string source, long frame, double ptsMs, Prediction prediction)
    {
        if (_format == LabelFormat.Jsonl)
        {
            WriteLine(_json.Row(source, frame, ptsMs, prediction, _top));
        }
        else
        {
            _csv.Clear();
            Field(source);
            _csv.Append(CultureInfo.InvariantCulture, $",{frame},{Math.Round(ptsMs, 3):R}");
            for (var k = 0; k < _top; k++)
            {
                var entry = prediction[k];
                _csv.Append(',');
                Field(entry.Label);
                _csv.Append(CultureInfo.InvariantCulture, $",{Math.Round(entry.Probability, 6):R}");
            }

            _csv.Append(",\n");
            WriteCsv();
        }

        Rows++;
    }

    public void WriteError(string source, string error)
    {
        if (_format == LabelFormat.Jsonl)
        {
            WriteLine(_json.ErrorRow(source, -1, error));
        }
        else
        {
            _csv.Clear();
            Field(source);
            _csv.Append(",-1,");
            for (var k = 0; k < _top; k++)
            {
                _csv.Append(",,");
            }

            _csv.Append(',');
            Field(error);
            _csv.Append('\n');
            WriteText(_csv.ToString());
        }

        Flush();
    }

    public void Flush() => _file.Flush(flushToDisk: false);

    public void Dispose()
    {
        _file.Flush();
        _file.Dispose();
        _json.Dispose();
    }

    private void WriteLine(ReadOnlySpan<byte> row)
    {
        var length = row.Length + 1;
        if (_bytes.Length < length)
        {
            _bytes = new byte[Math.Max(length, _bytes.Length * 2)];
        }

        row.CopyTo(_bytes);
        _bytes[row.Length] = (byte)'\n';
        _file.Write(_bytes, 0, length);
    }

    /// <summary>Writes the CSV builder's row without making a string of it first.</summary>
    private void WriteCsv()
    {
        var count = 0;
        foreach (var chunk in _csv.GetChunks())
        {
            count += Encoding.UTF8.GetByteCount(chunk.Span);
        }

        if (_bytes.Length < count)
        {
            _bytes = new byte[Math.Max(count, _bytes.Length * 2)];
        }

        var at = 0;
        foreach (var chunk in _csv.GetChunks())
        {
            at += Encoding.UTF8.GetBytes(chunk.Span, _bytes.AsSpan(at));
        }

        _file.Write(_bytes, 0, at);
    }

    private void WriteText(string text)
    {
        var count = Encoding.UTF8.GetByteCount(text);
        if (_bytes.Length < count)
        {
            _bytes = new byte[Math.Max(count, _bytes.Length * 2)];
        }

        Encoding.UTF8.GetBytes(text, _bytes);
        _file.Write(_bytes, 0, count);
    }

    /// <summary>An RFC 4180 field: quoted when it holds a comma, quote or line break.</summary>
    private void Field(string value)
    {
        if (value.AsSpan().IndexOfAny(",\"\r\n") < 0)
        {
            _csv.Append(value);
            return;
        }

        _csv.Append('"').Append(value.Replace("\"", "\"\"", StringComparison.Ordinal)).Append('"');
    }
}
