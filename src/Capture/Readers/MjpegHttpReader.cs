using System.Buffers.Text;
using System.Net.Sockets;
using System.Text;
using OpenCvSharp;

namespace AlexNet.Realtime.Capture.Readers;

/// <summary>
/// Motion JPEG over HTTP (<c>multipart/x-mixed-replace</c>), what most IP cameras and webcam
/// servers send, read with HttpClient and decoded by OpenCV. Needs no ffmpeg. Each part's JPEG is
/// read into a buffer that grows once and is reused.
/// </summary>
/// <remarks>
/// A frame allocates nothing managed: the body is read synchronously, each read's timeout a
/// <c>poll</c> on the socket (a <c>CancellationTokenSource</c> and a <c>Task</c> per read would
/// allocate), part headers are parsed as bytes, and the JPEG is decoded by <see cref="NativeImage"/>.
/// </remarks>
public sealed class MjpegHttpReader : IFrameReader
{
    // No camera's JPEG comes near this; a larger part is a broken or hostile stream.
    private const int MaxPart = 64 << 20;

    // As many as a camera behind a login page or a load balancer needs; more is a loop.
    private const int MaxRedirects = 5;

    private readonly Uri _url;
    private readonly string _origin;
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
        _origin = url.ToString();
        _timeout = timeout;
    }

    public double FramesPerSecond => 0;

    public long FrameCount => -1;

    public void Open()
    {
        Close();
        // Redirects are followed here, not by the handler: only to http(s), at most MaxRedirects,
        // so a camera that redirects to file:// or loops is one clear error an attempt.
        _client = new HttpClient(new SocketsHttpHandler { ConnectCallback = ConnectWithReadTimeout, AllowAutoRedirect = false }) { Timeout = Timeout.InfiniteTimeSpan };
        using var cancel = new CancellationTokenSource(_timeout);
        var url = _url;
        for (var redirects = 0; ; redirects++)
        {
            try
            {
                _response = _client.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, cancel.Token).GetAwaiter().GetResult();
            }
            catch (HttpRequestException e) when (url == _url && StreamConnection.FromHttp(_origin, url, e) is { } unreachable)
            {
                // Said as the other stream readers say it, so their reasons fold into one.
                throw new CaptureException(unreachable, e);
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or OperationCanceledException or UriFormatException)
            {
                throw new CaptureException($"{_url}: no HTTP answer{(url == _url ? "" : $" from {url}")} ({e.Message})", e);
            }

            if ((int)_response.StatusCode is < 300 or >= 400 || _response.Headers.Location is not { } location)
            {
                break;
            }

            _response.Dispose();
            _response = null;
            var next = location.IsAbsoluteUri ? location : new Uri(url, location);
            if (next.Scheme != Uri.UriSchemeHttp && next.Scheme != Uri.UriSchemeHttps)
            {
                throw new CaptureException($"{_url}: redirected to a {next.Scheme}: address; only http and https redirects are followed");
            }

            if (redirects == MaxRedirects)
            {
                throw new CaptureException($"{_url}: more than {MaxRedirects} redirects");
            }

            url = next;
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
        if (!NativeImage.DecodeInto(_buffer.AsSpan(offset, length), frame.Image))
        {
            throw new CaptureException($"{_url}: a part of {length} bytes is not a JPEG");
        }

        frame.Origin = _origin;
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
        var bodyStart = headersEnd + 4;
        var length = ContentLength(_buffer.AsSpan(_start + boundaryAt, headersEnd - boundaryAt));
        int bodyLength;
        if (length > MaxPart)
        {
            throw new CaptureException($"{_url}: a part of {length} bytes, more than {MaxPart >> 20} MB; not an MJPEG stream");
        }

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

    /// <summary>The part's Content-Length header, or -1 when it has none (the body then ends at the next boundary).</summary>
    private static int ContentLength(ReadOnlySpan<byte> headers)
    {
        while (headers.Length > 0)
        {
            var lineEnd = headers.IndexOf("\r\n"u8);
            var line = lineEnd < 0 ? headers : headers[..lineEnd];
            headers = lineEnd < 0 ? default : headers[(lineEnd + 2)..];
            var colon = line.IndexOf((byte)':');
            if (colon <= 0 || !Ascii.EqualsIgnoreCase(line[..colon].Trim((byte)' '), "Content-Length"u8))
            {
                continue;
            }

            var digits = line[(colon + 1)..].Trim((byte)' ');
            if (Utf8Parser.TryParse(digits, out int value, out var used) && used == digits.Length)
            {
                return value;
            }
        }

        return -1;
    }

    /// <summary>A connection whose reads give up after the reader's timeout, so that a synchronous read can time out.</summary>
    private async ValueTask<Stream> ConnectWithReadTimeout(SocketsHttpConnectionContext context, CancellationToken cancel)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(context.DnsEndPoint, cancel).ConfigureAwait(false);
            return new TimedNetworkStream(socket, _timeout);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Waits for data with <c>poll</c> before each read. A socket's own receive timeout would do
    /// the same, but a socket once connected asynchronously is non-blocking underneath, and .NET
    /// then allocates an operation and an event for each synchronous read that has to wait; a read
    /// after a successful poll completes at once and allocates nothing.
    /// </summary>
    private sealed class TimedNetworkStream(Socket socket, TimeSpan timeout) : NetworkStream(socket, ownsSocket: true)
    {
        public override int Read(Span<byte> buffer)
        {
            if (buffer.Length > 0 && !Socket.Poll(timeout, SelectMode.SelectRead))
            {
                throw new IOException($"no data for {timeout.TotalSeconds:0.#} s");
            }

            // Not base.Read: NetworkStream hands a derived type's span reads to Read(byte[]), which
            // comes back here.
            try
            {
                return Socket.Receive(buffer);
            }
            catch (SocketException e)
            {
                throw new IOException(e.Message, e);
            }
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));
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
            if (count > MaxPart)
            {
                throw new CaptureException($"{_url}: a part larger than {MaxPart >> 20} MB; not an MJPEG stream");
            }

            Array.Resize(ref _buffer, Math.Max(count, _buffer.Length * 2));
        }

        while (_end - _start < count)
        {
            int read;
            try
            {
                read = stream.Read(_buffer.AsSpan(_end));
            }
            catch (Exception e) when (e is IOException or SocketException or HttpRequestException or ObjectDisposedException)
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
