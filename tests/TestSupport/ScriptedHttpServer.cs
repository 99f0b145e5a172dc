using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace AlexNet.Realtime.TestSupport;

/// <summary>
/// An HTTP/1.1 server on 127.0.0.1 that answers each request as a test scripts it: a file with or
/// without Range, a connection cut mid-body, silence, a body without end, a redirect. One request
/// per connection. It records every request it sees. (Loopback only; every wait ends on dispose.)
/// </summary>
public sealed class ScriptedHttpServer : IDisposable
{
    private const int EndlessCap = 64 << 20;

    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentQueue<Request> _requests = new();
    private readonly Func<Request, Reply> _script;
    private readonly Task _accepting;
    private int _count;

    public ScriptedHttpServer(Func<Request, Reply> script)
    {
        _script = script;
        _listener.Start();
        _accepting = Task.Run(AcceptAsync);
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public Uri Url(string path = "/weights.pth") => new($"http://127.0.0.1:{Port}{path}");

    public IReadOnlyList<Request> Requests => [.. _requests];

    /// <summary>A request as the server saw it: its number (from 0), path and Range header.</summary>
    public sealed record Request(int Index, string Path, string? Range);

    /// <summary>What to answer.</summary>
    public sealed record Reply
    {
        public int Status { get; init; } = 200;

        public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();

        public byte[] Body { get; init; } = [];

        /// <summary>Send Content-Length (else the body ends when the connection closes).</summary>
        public bool SendLength { get; init; } = true;

        /// <summary>Close the connection after this many body bytes.</summary>
        public int? CutAfter { get; init; }

        /// <summary>After the body (or its cut), send nothing more and keep the connection open until the server is disposed.</summary>
        public bool HoldOpen { get; init; }

        /// <summary>Answer nothing; hold the connection open until the server is disposed.</summary>
        public bool Silent { get; init; }

        /// <summary>Send bytes without a length until the client goes (or a 64 MB cap).</summary>
        public bool Endless { get; init; }

        /// <summary>
        /// Serves <paramref name="content"/> for <paramref name="request"/>: 206 from its Range's start
        /// when <paramref name="honorRange"/>, else 200 with the whole file.
        /// </summary>
        public static Reply File(byte[] content, Request request, bool honorRange = true, int? cutAfter = null)
        {
            ArgumentNullException.ThrowIfNull(content);
            ArgumentNullException.ThrowIfNull(request);
            if (honorRange && request.Range is { } range && range.StartsWith("bytes=", StringComparison.Ordinal) && range.EndsWith('-'))
            {
                var from = int.Parse(range["bytes=".Length..^1], CultureInfo.InvariantCulture);
                if (from >= content.Length)
                {
                    return new Reply { Status = 416, Headers = new Dictionary<string, string> { ["Content-Range"] = $"bytes */{content.Length}" } };
                }

                return new Reply
                {
                    Status = 206,
                    Headers = new Dictionary<string, string> { ["Content-Range"] = $"bytes {from}-{content.Length - 1}/{content.Length}" },
                    Body = content[from..],
                    CutAfter = cutAfter,
                };
            }

            return new Reply { Body = content, CutAfter = cutAfter };
        }

        public static Reply Redirect(string location) => new() { Status = 302, Headers = new Dictionary<string, string> { ["Location"] = location } };
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        try
        {
            _accepting.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
            // stopped mid-accept
        }

        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                var stream = client.GetStream();
                var head = await ReadHeadAsync(stream);
                if (head is null)
                {
                    return;
                }

                var lines = head.Split("\r\n");
                var path = lines[0].Split(' ')[1];
                var range = lines.Skip(1).Select(l => l.Split(':', 2)).Where(p => p.Length == 2 && p[0].Trim().Equals("Range", StringComparison.OrdinalIgnoreCase)).Select(p => p[1].Trim()).FirstOrDefault();
                var request = new Request(Interlocked.Increment(ref _count) - 1, path, range);
                _requests.Enqueue(request);
                var reply = _script(request);
                if (reply.Silent)
                {
                    await Task.Delay(Timeout.Infinite, _stop.Token);
                    return;
                }

                var response = new StringBuilder().Append(CultureInfo.InvariantCulture, $"HTTP/1.1 {reply.Status} {(HttpStatusCode)reply.Status}\r\nConnection: close\r\n");
                foreach (var (name, value) in reply.Headers)
                {
                    response.Append(CultureInfo.InvariantCulture, $"{name}: {value}\r\n");
                }

                if (reply.SendLength && !reply.Endless)
                {
                    response.Append(CultureInfo.InvariantCulture, $"Content-Length: {reply.Body.Length}\r\n");
                }

                response.Append("\r\n");
                await stream.WriteAsync(Encoding.ASCII.GetBytes(response.ToString()), _stop.Token);
                if (reply.Endless)
                {
                    var chunk = new byte[1 << 16];
                    for (var sent = 0; sent < EndlessCap; sent += chunk.Length)
                    {
                        await stream.WriteAsync(chunk, _stop.Token);
                    }

                    return;
                }

                var body = reply.CutAfter is { } cut ? reply.Body.AsMemory(0, Math.Min(cut, reply.Body.Length)) : reply.Body;
                await stream.WriteAsync(body, _stop.Token);
                await stream.FlushAsync(_stop.Token);
                if (reply.HoldOpen)
                {
                    await Task.Delay(Timeout.Infinite, _stop.Token);
                }
            }
            catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
            {
                // the client went away, or the server stopped
            }
        }
    }

    private async Task<string?> ReadHeadAsync(NetworkStream stream)
    {
        var buffer = new byte[8192];
        var length = 0;
        while (length < buffer.Length)
        {
            var read = await stream.ReadAsync(buffer.AsMemory(length), _stop.Token);
            if (read == 0)
            {
                return null;
            }

            length += read;
            var text = Encoding.ASCII.GetString(buffer, 0, length);
            var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            if (end >= 0)
            {
                return text[..end];
            }
        }

        return null;
    }
}
