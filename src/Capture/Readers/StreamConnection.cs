using System.Net.Http;
using System.Net.Sockets;

namespace AlexNet.Realtime.Capture.Readers;

/// <summary>
/// Why a stream's server could not be reached, said the same way by every reader of a stream
/// (OpenCV's, the ffmpeg pipe's, the MJPEG reader's), so the reasons of readers tried in turn
/// fold into one (<see cref="FallbackReader"/>) and a refusal is not mistaken for a timeout.
/// </summary>
internal static class StreamConnection
{
    // The longest a check after a failed open may take: a refusal or an unknown name answers in
    // milliseconds, and a server that is slow to accept is a timeout, which is said as one anyway.
    private static readonly TimeSpan MaxCheck = TimeSpan.FromSeconds(2);

    /// <summary>"url: connection refused by host:port" and its kin, for a socket error that means the server can't be reached; null for other errors.</summary>
    public static string? Said(string url, SocketError error, string host, int port) => error switch
    {
        SocketError.ConnectionRefused => $"{url}: connection refused by {host}:{port} (no server listens there)",
        SocketError.HostNotFound or SocketError.NoData => $"{url}: host {host} not found",
        SocketError.TryAgain => $"{url}: the name {host} could not be looked up now (no answer from DNS)",
        SocketError.NetworkUnreachable or SocketError.HostUnreachable => $"{url}: {host} cannot be reached (no route to it)",
        _ => null,
    };

    /// <summary>
    /// Tries a TCP connection to the stream's server, for a reader whose own open failed without
    /// saying why (OpenCV): the reason when the server refuses or its name is unknown, null when
    /// a connection is made, the scheme is not over TCP or the check runs out of time.
    /// </summary>
    public static string? Problem(string url, TimeSpan timeout)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || string.IsNullOrEmpty(uri.Host) || PortOf(uri) is not { } port)
        {
            return null;
        }

        using var client = new TcpClient();
        using var cancel = new CancellationTokenSource(timeout < MaxCheck ? timeout : MaxCheck);
        try
        {
            client.ConnectAsync(uri.IdnHost, port, cancel.Token).AsTask().GetAwaiter().GetResult();
            return null;
        }
        catch (SocketException e)
        {
            return Said(url, e.SocketErrorCode, uri.Host, port);
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    /// <summary>The reason in an HTTP client's failure to connect, or null when it is another failure.</summary>
    public static string? FromHttp(string url, Uri target, HttpRequestException e)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(e);
        return e.InnerException is SocketException socket ? Said(url, socket.SocketErrorCode, target.Host, target.Port) : null;
    }

    /// <summary>
    /// The reason in ffmpeg's or ffprobe's first error line (<c>[tcp @ 0x...] Connection to
    /// tcp://127.0.0.1:9?timeout=0 failed: Connection refused</c>), or null when it says another thing.
    /// </summary>
    public static string? FromFfmpeg(string url, string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || PortOf(uri) is not { } port)
        {
            return null;
        }

        return line.Contains("Connection refused", StringComparison.Ordinal) ? Said(url, SocketError.ConnectionRefused, uri.Host, port)
            : line.Contains("Failed to resolve hostname", StringComparison.Ordinal) || line.Contains("Name or service not known", StringComparison.Ordinal)
                ? Said(url, SocketError.HostNotFound, uri.Host, port)
            : line.Contains("No route to host", StringComparison.Ordinal) || line.Contains("Network is unreachable", StringComparison.Ordinal)
                ? Said(url, SocketError.HostUnreachable, uri.Host, port)
            : null;
    }

    /// <summary>The TCP port of a stream's URL (its own, or its scheme's), or null for a scheme not over TCP.</summary>
    private static int? PortOf(Uri uri)
    {
        if (!uri.IsDefaultPort && uri.Port > 0)
        {
            return uri.Scheme.ToLowerInvariant() is "udp" or "rtp" or "srt" ? null : uri.Port;
        }

        return uri.Scheme.ToLowerInvariant() switch
        {
            "http" => 80,
            "https" => 443,
            "rtsp" => 554,
            "rtsps" => 322,
            "rtmp" => 1935,
            "rtmps" => 443,
            _ => null,
        };
    }
}
