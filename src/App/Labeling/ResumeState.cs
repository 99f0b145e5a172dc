using System.Text;
using System.Text.Json;

namespace AlexNet.Realtime.App.Labeling;

/// <summary>
/// What an interrupted run already wrote: the sources it finished, and how far it got in the one
/// it was working on. Rows come in input order and frame order, so the last source in the file
/// is the only one that may be incomplete. A trailing partial row (a killed write) is cut off.
/// </summary>
internal sealed class ResumeState
{
    private ResumeState(HashSet<string> finished, string? last, long lastFrame, bool lastHasError)
    {
        Finished = finished;
        Last = last;
        LastFrame = lastFrame;
        LastHasError = lastHasError;
    }

    public static ResumeState Empty { get; } = new([], null, -1, false);

    /// <summary>Sources whose rows are complete.</summary>
    public IReadOnlySet<string> Finished { get; }

    /// <summary>The source the run was in when it stopped.</summary>
    public string? Last { get; }

    /// <summary>The last frame of <see cref="Last"/> that has a row.</summary>
    public long LastFrame { get; }

    public bool LastHasError { get; }

    public int Rows { get; private init; }

    /// <summary>Frames of <paramref name="source"/> up to this one are already written (-1: none).</summary>
    public long DoneThrough(string source) =>
        Finished.Contains(source) || (source == Last && LastHasError) ? long.MaxValue
        : source == Last ? LastFrame
        : -1;

    public static ResumeState Load(string path, LabelFormat format)
    {
        if (!File.Exists(path) || new FileInfo(path).Length == 0)
        {
            return Empty;
        }

        TruncatePartialRow(path);
        var finished = new HashSet<string>(StringComparer.Ordinal);
        string? last = null;
        long lastFrame = -1;
        var lastError = false;
        var rows = 0;
        var lineNumber = 0;
        foreach (var line in File.ReadLines(path, Encoding.UTF8))
        {
            lineNumber++;
            if (line.Length == 0 || (format == LabelFormat.Csv && lineNumber == 1))
            {
                continue;
            }

            var (source, frame, isError) = format == LabelFormat.Jsonl ? ParseJson(line, path, lineNumber) : ParseCsv(line, path, lineNumber);
            if (source != last)
            {
                if (last is not null)
                {
                    finished.Add(last);
                }

                last = source;
                lastFrame = -1;
                lastError = false;
            }

            lastFrame = Math.Max(lastFrame, frame);
            lastError |= isError;
            rows++;
        }

        return new ResumeState(finished, last, lastFrame, lastError) { Rows = rows };
    }

    private static void TruncatePartialRow(string path)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.ReadWrite);
        var length = file.Length;
        var position = length;
        var one = new byte[1];
        while (position > 0)
        {
            file.Position = position - 1;
            file.ReadExactly(one);
            if (one[0] == (byte)'\n')
            {
                break;
            }

            position--;
        }

        if (position != length)
        {
            file.SetLength(position);
        }
    }

    private static (string Source, long Frame, bool IsError) ParseJson(string line, string path, int lineNumber)
    {
        try
        {
            using var row = JsonDocument.Parse(line);
            var source = row.RootElement.GetProperty("source").GetString() ?? throw new FormatException("no source");
            return (source, row.RootElement.GetProperty("frame").GetInt64(), row.RootElement.TryGetProperty("error", out _));
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or FormatException or InvalidOperationException)
        {
            throw new Commands.AppException($"--resume: {path} line {lineNumber} is not a row this tool wrote ({e.Message})");
        }
    }

    private static (string Source, long Frame, bool IsError) ParseCsv(string line, string path, int lineNumber)
    {
        var fields = Csv.Split(line);
        if (fields.Count < 3 || !long.TryParse(fields[1], System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var frame))
        {
            throw new Commands.AppException($"--resume: {path} line {lineNumber} is not a row this tool wrote");
        }

        return (fields[0], frame, fields[^1].Length > 0);
    }
}

/// <summary>Splits one RFC 4180 CSV line.</summary>
internal static class Csv
{
    public static List<string> Split(string line)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < line.Length && line[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    field.Append(c);
                }
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c == ',')
            {
                fields.Add(field.ToString());
                field.Clear();
            }
            else
            {
                field.Append(c);
            }
        }

        fields.Add(field.ToString());
        return fields;
    }
}
