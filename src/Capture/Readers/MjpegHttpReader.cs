using System.Text;
using OpenCvSharp;

namespace AlexNet.Realtime.Capture.Readers;

/// <summary>
/// Motion JPEG over HTTP (<c>multipart/x-mixed-replace</c>), what most IP cameras and webcam
/// servers send, read with HttpClient and decoded by OpenCV. Needs no ffmpeg. Each part's JPEG is
/// read into a buffer that grows once and is reused.
/// </summary>
public sealed class MjpegHttpReader : IFrameReader
{
    private readonly Uri _url;
    private readonly TimeSpan _timeout;
    private HttpClient? _client;
    private HttpResponseMessage? _response;
    private Stream? _stream;
    private byte[] _buffer = new byte[1 << 16];
    private int _start;
    private int _end;
    private byte[] _boundary = [];
    private long _index;
    private long _openedAt;

    public MjpegHttpReader(Uri url, TimeSpan timeout)
    {
        _url = url;
        _timeout = timeout;
    }

    public double FramesPerSecond => 0;

    public long FrameCount => -1;

    public void Open()
    {
        Close();
        _client = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        using var cancel = new CancellationTokenSource(_timeout);
        try
        {
            _response = _client.GetAsync(_url, HttpCompletionOption.ResponseHeadersRead, cancel.Token).GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or OperationCanceledException)
        {
            throw new CaptureException($"{_url}: no HTTP answer ({e.Message})", e);
        }

        if (!_response.IsSuccessStatusCode)
        {
            throw new CaptureException($"{_url}: HTTP {(int)_response.StatusCode} {_response.ReasonPhrase}");
        }

        var type = _response.Content.Headers.ContentType;
        var boundary = type?.Parameters.FirstOrDefault(p => p.Name.Equals("boundary", StringComparison.OrdinalIgnoreCase))?.Value?.Trim('"');
        _stream = _response.Content.ReadAsStream();
        _start = _end = 0;
        if (type?.MediaType?.StartsWith("multipart/", StringComparison.OrdinalIgnoreCase) != true || string.IsNullOrEmpty(boundary))
        {
            // Some servers (ffmpeg's own -listen among them) send multipart JPEG parts under a
            // generic type: take the boundary from the first line when the first part is a JPEG.
            boundary = SniffBoundary() ?? throw new CaptureException($"{_url}: not an MJPEG stream (Content-Type {type?.ToString() ?? "none"})");
        }

        _boundary = Encoding.ASCII.GetBytes(boundary.StartsWith("--", StringComparison.Ordinal) ? boundary : "--" + boundary);
        _index = 0;
        _openedAt = System.Diagnostics.Stopwatch.GetTimestamp();
    }

    public bool Read(CapturedFrame frame)
    {
        ArgumentNullException.ThrowIfNull(frame);
        var (offset, length) = NextPart();
        using (var decoded = Cv2.ImDecode(_buffer.AsSpan(offset, length), ImreadModes.Color))
        {
            if (decoded.Empty())
            {
                throw new CaptureException($"{_url}: a part of {length} bytes is not a JPEG");
            }

            decoded.CopyTo(frame.Image);
        }

        frame.Origin = _url.ToString();
        frame.FrameInOrigin = _index++;
        frame.SourceTimeMs = System.Diagnostics.Stopwatch.GetElapsedTime(_openedAt).TotalMilliseconds;
        return true;
    }

    public void Rewind()
    {
    }

    public void Dispose() => Close();

    /// <summary>Finds the next part's body: after the boundary and headers, up to the next boundary (or Content-Length bytes).</summary>
    private (int Offset, int Length) NextPart()
    {
        var boundaryAt = Find(_boundary, 0);
        var headersEnd = Find("\r\n\r\n"u8, boundaryAt + _boundary.Length);
        var headers = Encoding.ASCII.GetString(_buffer, _start + boundaryAt, headersEnd - boundaryAt);
        var bodyStart = headersEnd + 4;
        var length = ContentLength(headers);
        int bodyLength;
        if (length >= 0)
        {
            Fill(bodyStart + length);
            bodyLength = length;
        }
        else
        {
            var next = Find(_boundary, bodyStart);
            bodyLength = next - bodyStart;
            while (bodyLength > 0 && (_buffer[_start + bodyStart + bodyLength - 1] is (byte)'\r' or (byte)'\n'))
            {
                bodyLength--;
            }
        }

        var offset = _start + bodyStart;
        _start += bodyStart + bodyLength;
        return (offset, bodyLength);
    }

    private string? SniffBoundary()
    {
        try
        {
            Fill(64);
        }
        catch (CaptureException)
        {
            return null;
        }

        if (_buffer[_start] != (byte)'-' || _buffer[_start + 1] != (byte)'-')
        {
            return null;
        }

        var lineEnd = Find("\r\n"u8, 0);
        var headersEnd = Find("\r\n\r\n"u8, lineEnd);
        var headers = Encoding.ASCII.GetString(_buffer, _start + lineEnd, headersEnd - lineEnd);
        return headers.Contains("image/jpeg", StringComparison.OrdinalIgnoreCase)
            ? Encoding.ASCII.GetString(_buffer, _start, lineEnd)
            : null;
    }

    private static int ContentLength(string headers)
    {
        foreach (var line in headers.Split("\r\n"))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0 && line[..colon].Trim().Equals("Content-Length", StringComparison.OrdinalIgnoreCase)
                && int.TryParse(line[(colon + 1)..].Trim(), System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var value))
            {
                return value;
            }
        }

        return -1;
    }

    /// <summary>Position (relative to the unread data) of <paramref name="pattern"/> at or after <paramref name="from"/>, reading more as needed.</summary>
    private int Find(ReadOnlySpan<byte> pattern, int from)
    {
        while (true)
        {
            var index = _buffer.AsSpan(_start + from, _end - _start - from).IndexOf(pattern);
            if (index >= 0)
            {
                return from + index;
            }

            from = Math.Max(from, _end - _start - pattern.Length);
            Fill(_end - _start + 4096);
        }
    }

    /// <summary>Makes at least <paramref name="count"/> unread bytes available.</summary>
    private void Fill(int count)
    {
        var stream = _stream ?? throw new InvalidOperationException("the reader is not open");
        if (_start > 0 && _start + count > _buffer.Length)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }

        if (count > _buffer.Length)
        {
            if (count > 64 << 20)
            {
                throw new CaptureException($"{_url}: a part larger than 64 MB; not an MJPEG stream");
            }

            Array.Resize(ref _buffer, Math.Max(count, _buffer.Length * 2));
        }

        while (_end - _start < count)
        {
            int read;
            using var cancel = new CancellationTokenSource(_timeout);
            try
            {
                read = stream.ReadAsync(_buffer.AsMemory(_end), cancel.Token).AsTask().GetAwaiter().GetResult();
            }
            catch (Exception e) when (e is IOException or OperationCanceledException or HttpRequestException)
            {
                throw new CaptureException($"{_url}: the stream stopped ({e.Message})", e);
            }

            if (read == 0)
            {
                throw new CaptureException($"{_url}: the stream ended");
            }

            _end += read;
        }
    }

    private void Close()
    {
        _stream?.Dispose();
        _response?.Dispose();
        _client?.Dispose();
        _stream = null;
        _response = null;
        _client = null;
    }
}
