using System.Globalization;
using System.Text;
using AlexNet.Realtime.App.Commands;
using AlexNet.Realtime.App.Output;
using AlexNet.Realtime.CommandLine;
using AlexNet.Realtime.Inference.Engine;

namespace AlexNet.Realtime.App.Labeling;

/// <summary>
/// Appends one row per labeled frame to the output, each row a whole line written in one call
/// and flushed with its batch: a run stopped at any point leaves a valid file up to its last row.
/// Owns the file stream, which holds an exclusive lock on the output for the run (a second run
/// writing the same file is refused, not interleaved; the lock goes with the process however it
/// ends). A failed write throws <see cref="OutputWriteException"/> with the rows before it kept.
/// </summary>
internal sealed class RowWriter : IDisposable
{
    private readonly FileStream _file;
    private readonly string _path;
    private readonly LabelFormat _format;
    private readonly int _top;
    private readonly PredictionJson _json = new();
    private readonly StringBuilder _csv = new(256);
    private byte[] _bytes = new byte[1024];
    private readonly bool _isFile;
    private bool _started;

    /// <summary>
    /// Opens the output, neither truncated nor moved yet (see <see cref="Start"/>), and checks
    /// that the file opened is none of the inputs, whatever name or link led to it.
    /// </summary>
    /// <param name="inputs">The inputs' identities: the file opened must be none of them.</param>
    /// <exception cref="AppException">Another run holds the output, or it is an input.</exception>
    public RowWriter(string path, LabelFormat format, int top, IReadOnlySet<FileIdentity> inputs)
    {
        _path = path;
        _format = format;
        _top = top;

        // A device or a pipe (/dev/stdout) is shared by design and not locked; a file is opened
        // without truncating it, so a refused run (locked, or an input) leaves it as it was.
        var stream = LabelOptions.IsStream(path);
        _isFile = !stream;
        try
        {
            // Unbuffered: each row reaches the file in one write, so a killed run never leaves half a row.
            // A stream is appended to, write-only: `-o - >> log.jsonl` keeps what the log held.
            _file = stream
                ? new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite, bufferSize: 0)
                : new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, bufferSize: 0);
        }
        catch (IOException e) when (!stream && File.Exists(path) && IsLocked(e))
        {
            // On Windows an input open for reading refuses the exclusive open just as another
            // run's lock does: an input reached through a hard link is said as such.
            if (FileIdentity.Of(path) is { } named && inputs.Contains(named))
            {
                throw new AppException($"--output {path}: that file is one of the inputs (through a link); choose another name");
            }

            throw new AppException($"--output {path}: another run is writing it; wait for that run to end, or choose another name");
        }

        if (FileIdentity.Of(_file.SafeFileHandle) is { } identity && inputs.Contains(identity))
        {
            _file.Dispose();
            throw new AppException($"--output {path}: that file is one of the inputs (through a link); choose another name");
        }
    }

    /// <summary>The open output, for <see cref="ResumeState.Load(FileStream, string, LabelFormat)"/> to read under the lock.</summary>
    public FileStream Stream => _file;

    /// <summary>Empties the output (a fresh run) or goes to its end (a resumed one), and writes the CSV header where the file has none.</summary>
    public void Start(bool append)
    {
        _started = true;
        try
        {
            // A device (/dev/null) may say it seeks, but can't be truncated or synced: left as it is.
            if (_isFile && _file.CanSeek)
            {
                if (append)
                {
                    _file.Seek(0, SeekOrigin.End);
                }
                else
                {
                    _file.SetLength(0);
                }
            }
        }
        catch (IOException e)
        {
            throw Failed(e);
        }

        if (_format == LabelFormat.Csv && (!append || !_isFile || _file.Length == 0))
        {
            var header = new StringBuilder("source,frame,pts_ms");
            for (var k = 1; k <= _top; k++)
            {
                header.Append(CultureInfo.InvariantCulture, $",top{k}_label,top{k}_p");
            }

            header.Append(",error\n");
            WriteText(header.ToString());
        }
    }

    /// <summary>Rows written since the output was opened.</summary>
    public long Rows { get; private set; }

    /// <summary>Rows whose probabilities are not all numbers (a model with NaN weights): written, with an error, and counted.</summary>
    public long NonFiniteRows { get; private set; }

    public void Write(string source, long frame, double ptsMs, Prediction prediction)
    {
        var nonFinite = PredictionJson.NonFinite(prediction, _top);
        if (nonFinite is not null)
        {
            NonFiniteRows++;
        }

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
                _csv.Append(',');

                // A probability that is no number (a model with NaN weights) is an empty cell,
                // said in the row's error column, as in a JSON row.
                if (float.IsFinite(entry.Probability))
                {
                    _csv.Append(CultureInfo.InvariantCulture, $"{Math.Round(entry.Probability, 6):R}");
                }
            }

            _csv.Append(',');
            if (nonFinite is not null)
            {
                Field(nonFinite);
            }

            _csv.Append('\n');
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
            WriteCsv();
        }

        Flush();
    }

    /// <exception cref="OutputWriteException">The disk took no more (the rows before are kept).</exception>
    public void Flush()
    {
        try
        {
            _file.Flush(flushToDisk: false);
        }
        catch (IOException e)
        {
            throw Failed(e);
        }
    }

    /// <summary>
    /// The run is over: the rows are pushed to the disk, where a file system that defers its
    /// errors (NFS, a full disk with delayed allocation) reports them, so they are not lost silently.
    /// </summary>
    /// <exception cref="OutputWriteException">They could not be.</exception>
    public void Complete()
    {
        try
        {
            if (_isFile)
            {
                _file.Flush(flushToDisk: true);
            }
        }
        catch (IOException e)
        {
            throw Failed(e);
        }
    }

    public void Dispose()
    {
        try
        {
            _file.Dispose();
        }
        catch (IOException)
        {
            // Nothing is buffered (each row is written through); Complete reports a failed flush.
        }

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
        Put(length);
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

        Put(at);
    }

    private void WriteText(string text)
    {
        var count = Encoding.UTF8.GetByteCount(text);
        if (_bytes.Length < count)
        {
            _bytes = new byte[Math.Max(count, _bytes.Length * 2)];
        }

        Encoding.UTF8.GetBytes(text, _bytes);
        Put(count);
    }

    /// <summary>
    /// Writes the first <paramref name="count"/> bytes of the buffer as one row. A write that
    /// fails part-way (the disk full) is cut back off, so the file ends with its last whole row.
    /// </summary>
    private void Put(int count)
    {
        if (!_started)
        {
            throw new InvalidOperationException("Start the output before writing rows");
        }

        var before = _isFile && _file.CanSeek ? _file.Position : -1;
        try
        {
            _file.Write(_bytes, 0, count);
        }
        catch (IOException e)
        {
            if (before >= 0)
            {
                try
                {
                    _file.SetLength(before);
                }
                catch (IOException)
                {
                    // --resume cuts a partial last row off in any case.
                }
            }

            throw Failed(e);
        }
    }

    private OutputWriteException Failed(IOException e) =>
        new($"--output {_path}: cannot write ({OutputWriteException.Reason(e)}) after {Rows} rows; the rows before are kept{(_isFile ? ": make room and run again with --resume" : "")}", e);

    /// <summary>
    /// Another process holds the lock: a sharing or lock violation on Windows, EWOULDBLOCK from
    /// flock on Unix, which .NET gives as an IOException whose HResult is the errno (11 on Linux,
    /// 35 on macOS and the BSDs). Told by the code, never by .NET's message, which is localized text.
    /// </summary>
    private static bool IsLocked(IOException e) =>
        OperatingSystem.IsWindows() ? (e.HResult & 0xFFFF) is 32 or 33 : e.HResult == (OperatingSystem.IsLinux() ? 11 : 35);

    /// <summary>
    /// An RFC 4180 field, made safe for a spreadsheet (OWASP's rule for CSV injection): text that
    /// begins with <c>=</c>, <c>+</c>, <c>-</c>, <c>@</c>, a tab or a carriage return would be
    /// read as a formula, so it gets a leading single quote, as does text that begins with one
    /// (so the quote is always the writer's, and taken off when read back: <see cref="Csv.Unneutralize"/>).
    /// Quoted when it holds a comma, quote or line break. Numbers (frame -1 of an error row) are
    /// written as numbers, never through here.
    /// </summary>
    private void Field(string value)
    {
        var neutral = Csv.Neutralize(value);
        if (neutral.AsSpan().IndexOfAny(",\"\r\n") < 0)
        {
            _csv.Append(neutral);
            return;
        }

        _csv.Append('"').Append(neutral.Replace("\"", "\"\"", StringComparison.Ordinal)).Append('"');
    }
}
