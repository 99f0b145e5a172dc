using System.Text;
using System.Text.Json;
using AlexNet.Realtime.App.Output;

namespace AlexNet.Realtime.App.Labeling;

/// <summary>
/// What an interrupted run already wrote: the sources it finished, and how far it got in the one
/// it was working on. Rows come in input order and frame order, so the last source in the file
/// is the only one that may be incomplete. A trailing partial row (a killed write) is cut off,
/// once every complete row has been read as one this tool writes.
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

    // A row is a path and K labels: well under this, however long the path or the labels.
    private const long MaxRowBytes = 64 * 1024;

    /// <summary>Reads what the output holds, through the run's own (locked) stream; a trailing partial row is cut off.</summary>
    /// <param name="path">The output's name, for messages.</param>
    public static ResumeState Load(FileStream file, string path, LabelFormat format)
    {
        ArgumentNullException.ThrowIfNull(file);
        var length = file.CanSeek ? file.Length : 0;
        if (length == 0)
        {
            return Empty;
        }

        // Every complete row is read before anything is cut, so a file that is not this tool's
        // output is refused untouched.
        var complete = CompleteLength(file);
        if (length - complete > MaxRowBytes)
        {
            throw new Commands.AppException($"--resume: {path} ends with {length - complete} bytes without a newline, more than any row this tool writes; not resuming it");
        }

        var finished = new HashSet<string>(StringComparer.Ordinal);
        string? last = null;
        long lastFrame = -1;
        var lastError = false;
        var rows = 0;
        var lineNumber = 0;
        // The text after the last newline, when there is any, is a row cut off by the kill: it
        // is the last line read, and is left out.
        file.Position = 0;
        using var reader = new StreamReader(file, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, bufferSize: 64 * 1024, leaveOpen: true);
        var lines = Lines(reader);
        foreach (var line in Records(complete == length ? lines : lines.SkipLast(1), format))
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

        if (complete != length)
        {
            // The run writes the cut-off row again.
            file.SetLength(complete);
        }

        return new ResumeState(finished, last, lastFrame, lastError) { Rows = rows };
    }

    private static IEnumerable<string> Lines(StreamReader reader)
    {
        while (reader.ReadLine() is { } line)
        {
            yield return line;
        }
    }

    /// <summary>
    /// Rows from lines: a JSONL row is a line; a CSV row is a line unless a quoted field holds a
    /// line break (a source path may), which an odd count of quotes so far shows.
    /// </summary>
    private static IEnumerable<string> Records(IEnumerable<string> lines, LabelFormat format)
    {
        if (format == LabelFormat.Jsonl)
        {
            foreach (var line in lines)
            {
                yield return line;
            }

            yield break;
        }

        StringBuilder? open = null;
        foreach (var line in lines)
        {
            if (open is not null)
            {
                open.Append('\n').Append(line);
                if (line.Count(c => c == '"') % 2 == 1)
                {
                    yield return open.ToString();
                    open = null;
                }

                continue;
            }

            if (line.Count(c => c == '"') % 2 == 1)
            {
                open = new StringBuilder(line);
                continue;
            }

            yield return line;
        }

        if (open is not null)
        {
            yield return open.ToString();
        }
    }

    /// <summary>The length of the file up to and including its last newline: its complete rows.</summary>
    private static long CompleteLength(FileStream file)
    {
        var buffer = new byte[64 * 1024];
        var end = file.Length;
        while (end > 0)
        {
            var start = Math.Max(0, end - buffer.Length);
            var chunk = buffer.AsSpan(0, (int)(end - start));
            file.Position = start;
            file.ReadExactly(chunk);
            var newline = chunk.LastIndexOf((byte)'\n');
            if (newline >= 0)
            {
                return start + newline + 1;
            }

            end = start;
        }

        return 0;
    }

    private static (string Source, long Frame, bool IsError) ParseJson(string line, string path, int lineNumber)
    {
        try
        {
            using var row = JsonDocument.Parse(line);
            var source = row.RootElement.GetProperty("source").GetString() ?? throw new FormatException("no source");
            // An input's error row is frame -1; a frame's row may carry an error too (a probability that is no number).
            var frame = row.RootElement.GetProperty("frame").GetInt64();
            return (source, frame, frame < 0 && row.RootElement.TryGetProperty("error", out _));
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

        return (Csv.Unneutralize(fields[0]), frame, frame < 0 && fields[^1].Length > 0);
    }
}
