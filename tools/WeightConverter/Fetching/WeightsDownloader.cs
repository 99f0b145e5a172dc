using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;

namespace AlexNet.Realtime.WeightConverter.Fetching;

/// <summary>
/// Downloads a <see cref="PretrainedWeights"/> file into the cache folder: into
/// <c>&lt;name&gt;.partial</c>, resumed with an HTTP Range request after a cut connection (in this
/// run, or the next), hashed while it streams, and renamed to its name only when its SHA-256 is
/// right. A wrong hash, or a server that sends more than the declared size, deletes the partial
/// file and is a <see cref="ConversionException"/>; no network, no answer within the timeouts or
/// an HTTP error is a <see cref="WeightsUnavailableException"/>.
/// </summary>
public sealed class WeightsDownloader : IDisposable
{
    private const int BufferSize = 1 << 16;

    private readonly DownloadOptions _options;
    private readonly IDownloadProgress _progress;
    private readonly HttpClient _client;

    public WeightsDownloader(DownloadOptions options, IDownloadProgress progress)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(progress);
        _options = options;
        _progress = progress;
        _client = new HttpClient(new SocketsHttpHandler
        {
            ConnectTimeout = options.ConnectTimeout,
            AllowAutoRedirect = true,
            MaxAutomaticRedirections = 5,
            AutomaticDecompression = DecompressionMethods.None,
        })
        {
            // The stall timeout bounds every wait; a whole download may take as long as it takes.
            Timeout = Timeout.InfiniteTimeSpan,
        };
        _client.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("alexnet-convert", ConverterInfo.Version));
    }

    public void Dispose() => _client.Dispose();

    /// <summary>The file's path in the cache once it is there and its hash is right.</summary>
    public string Download(PretrainedWeights weights, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(weights);
        var folder = _options.CacheDirectory;
        var final = Path.Combine(folder, weights.FileName);
        var partial = final + ".partial";
        try
        {
            Directory.CreateDirectory(folder);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new WeightsUnavailableException($"{folder}: cannot keep the weights there ({e.Message}); set TORCH_HOME to a writable folder", e);
        }

        // Ctrl-C and SIGTERM stop the download where it is (the partial file stays, to be resumed)
        // instead of ending the process between two writes.
        using var interrupted = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            e.Cancel = true;
            interrupted.Cancel();
        };
        Console.CancelKeyPress += onCancel;
        using var onTerminate = OperatingSystem.IsWindows() ? null : System.Runtime.InteropServices.PosixSignalRegistration.Create(
            System.Runtime.InteropServices.PosixSignal.SIGTERM, context =>
            {
                context.Cancel = true;
                interrupted.Cancel();
            });
        try
        {
            using var held = AcquireLock(final, partial, interrupted.Token);
            if (File.Exists(final))
            {
                // another process finished it while this one waited
                VerifiedCopy.Check(final, weights);
                return final;
            }

            _progress.Note($"downloading torchvision's {weights.Name} weights ({PretrainedWeights.Megabytes(weights.Size)}) from {weights.Url} into {folder}");
            ProcessLocked(weights, partial, final, interrupted.Token);
            return final;
        }
        catch (OperationCanceledException) when (interrupted.IsCancellationRequested)
        {
            _progress.Stopped();
            var kept = PartialLength(partial);
            if (kept > 0)
            {
                _progress.Note($"download stopped: {PretrainedWeights.Megabytes(kept)} kept in {partial}, resumed next time");
            }

            throw;
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
    }

    private ProcessLock AcquireLock(string final, string partial, CancellationToken cancel)
    {
        try
        {
            return ProcessLock.Acquire(final + ".lock", partial, _options.StallTimeout * 2, _progress, cancel);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new WeightsUnavailableException($"{Path.GetDirectoryName(final)}: cannot keep the weights there ({e.Message}); set TORCH_HOME to a writable folder", e);
        }
    }

    private void ProcessLocked(PretrainedWeights weights, string partial, string final, CancellationToken cancel)
    {
        for (var attempt = 1; ; attempt++)
        {
            var received = new Received();
            try
            {
                AttemptAsync(weights, partial, final, received, cancel).GetAwaiter().GetResult();
                return;
            }
            catch (Exception e) when (WhyTransient(e, cancel) is { } why)
            {
                _progress.Stopped();
                var kept = PartialLength(partial);
                if (received.Bytes > 0 && attempt < _options.MaxAttempts)
                {
                    _progress.Note($"{why}: resuming at {PretrainedWeights.Megabytes(kept)} (try {attempt + 1} of {_options.MaxAttempts})");
                    continue;
                }

                var keptNote = kept > 0 ? $"; {PretrainedWeights.Megabytes(kept)} kept in {partial}, resumed next time" : "";
                throw new WeightsUnavailableException($"{weights.Url.GetLeftPart(UriPartial.Authority)}: {why}{keptNote}", e);
            }
        }
    }

    /// <summary>One request: resumes the partial file when there is one; completes the file, or throws.</summary>
    private async Task AttemptAsync(PretrainedWeights weights, string partial, string final, Received received, CancellationToken cancel)
    {
        var have = PartialLength(partial);
        if (have > weights.Size)
        {
            File.Delete(partial);
            have = 0;
        }

        if (have == weights.Size)
        {
            // complete but not renamed (a run stopped between the two): its hash decides
            Finish(weights, partial, final, HashOf(partial, have));
            return;
        }

        using var request = new HttpRequestMessage(HttpMethod.Get, weights.Url);
        if (have > 0)
        {
            request.Headers.Range = new RangeHeaderValue(have, null);
        }

        using var stall = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        stall.CancelAfter(_options.StallTimeout);
        using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, stall.Token).ConfigureAwait(false);
        var offered = response.Content.Headers.ContentLength;
        switch (response.StatusCode)
        {
            case HttpStatusCode.PartialContent when have > 0:
                if (response.Content.Headers.ContentRange is not { From: { } from } range || from != have || (range.Length is { } total && total != weights.Size))
                {
                    File.Delete(partial);
                    throw new WeightsUnavailableException(
                        $"{weights.Url}: the server answered a resume from byte {have} with '{response.Content.Headers.ContentRange}'; the partial download is deleted, the next try starts afresh");
                }

                if (offered is { } rest && rest != weights.Size - have)
                {
                    throw OversizeOffer(weights, have + rest);
                }

                break;
            case HttpStatusCode.OK:
                if (have > 0)
                {
                    _progress.Note("the server does not resume downloads: starting again from the first byte");
                    have = 0;
                }

                if (offered is { } length && length != weights.Size)
                {
                    throw OversizeOffer(weights, length);
                }

                break;
            case HttpStatusCode.RequestedRangeNotSatisfiable when have > 0:
                // the partial file does not fit what the server has: start again, without a range
                File.Delete(partial);
                await AttemptAsync(weights, partial, final, received, cancel).ConfigureAwait(false);
                return;
            default:
                throw new WeightsUnavailableException($"{weights.Url}: HTTP {(int)response.StatusCode} {response.ReasonPhrase}");
        }

        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        await using (var file = new FileStream(partial, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, BufferSize, FileOptions.Asynchronous))
        {
            // The part already here is hashed on the disk's time, not the network's: the body's
            // own stall clock starts once it is done.
            await HashExistingAsync(file, have, hash, cancel).ConfigureAwait(false);
            file.SetLength(have);
            file.Position = have;
            _progress.Started(have, weights.Size);
            using var bodyStall = CancellationTokenSource.CreateLinkedTokenSource(cancel);
            bodyStall.CancelAfter(_options.StallTimeout);
            await using var body = await response.Content.ReadAsStreamAsync(bodyStall.Token).ConfigureAwait(false);
            var buffer = new byte[BufferSize];
            while (true)
            {
                bodyStall.CancelAfter(_options.StallTimeout);
                var read = await body.ReadAsync(buffer, bodyStall.Token).ConfigureAwait(false);
                if (read == 0)
                {
                    break;
                }

                if (have + read > weights.Size)
                {
                    await file.DisposeAsync().ConfigureAwait(false);
                    File.Delete(partial);
                    throw new ConversionException(
                        $"{weights.Url}: the server sent more than the {weights.Size} bytes of {weights.FileName}: refused, nothing kept");
                }

                await file.WriteAsync(buffer.AsMemory(0, read), cancel).ConfigureAwait(false);
                hash.AppendData(buffer, 0, read);
                have += read;
                received.Bytes += read;
                _progress.Advanced(have);
            }

            _progress.Stopped();
            if (have < weights.Size)
            {
                throw new HttpIOException(HttpRequestError.ResponseEnded, $"the connection ended after {PretrainedWeights.Megabytes(have)} of {PretrainedWeights.Megabytes(weights.Size)}");
            }

            file.Flush(flushToDisk: true);
        }

        Finish(weights, partial, final, Convert.ToHexStringLower(hash.GetHashAndReset()));
    }

    private static async Task HashExistingAsync(FileStream file, long length, IncrementalHash hash, CancellationToken cancel)
    {
        var buffer = new byte[BufferSize];
        file.Position = 0;
        for (long done = 0; done < length;)
        {
            var read = await file.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, length - done)), cancel).ConfigureAwait(false);
            if (read == 0)
            {
                throw new IOException($"{file.Name}: shorter than it was a moment ago");
            }

            hash.AppendData(buffer, 0, read);
            done += read;
        }
    }

    private static string HashOf(string path, long length)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, BufferSize);
        HashExistingAsync(file, length, hash, CancellationToken.None).GetAwaiter().GetResult();
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    private static void Finish(PretrainedWeights weights, string partial, string final, string sha256)
    {
        if (sha256 != weights.Sha256)
        {
            File.Delete(partial);
            throw new ConversionException(
                $"{weights.Url}: the downloaded file's SHA-256 is {sha256}, expected {weights.Sha256} (another file, or damaged on the way): deleted, nothing kept");
        }

        File.Move(partial, final, overwrite: true);
    }

    private static ConversionException OversizeOffer(PretrainedWeights weights, long offered) =>
        new($"{weights.Url}: the server offers {offered} bytes, but {weights.FileName} is {weights.Size} bytes: not the expected file, refused");

    private static long PartialLength(string partial) => File.Exists(partial) ? new FileInfo(partial).Length : 0;

    /// <summary>Why the attempt failed, in a few words, when the network is to blame (worth a retry or a fallback); null otherwise.</summary>
    private string? WhyTransient(Exception e, CancellationToken cancel)
    {
        if (e is OperationCanceledException && cancel.IsCancellationRequested)
        {
            return null;
        }

        for (var inner = e; inner is not null; inner = inner.InnerException)
        {
            if (inner is TimeoutException)
            {
                return $"no connection within {_options.ConnectTimeout.TotalSeconds:0.#} s";
            }
        }

        return e switch
        {
            OperationCanceledException => $"no data for {_options.StallTimeout.TotalSeconds:0.#} s",
            HttpRequestException http => http.Message,
            // The network's reading failures; a write to the disk (full, read-only) is no reason to
            // retry or to fall back to synthetic weights: it is said as the error it is.
            HttpIOException io => io.Message,
            IOException io when io.InnerException is System.Net.Sockets.SocketException => io.Message,
            _ => null,
        };
    }

    /// <summary>Bytes one attempt brought (the attempt may be awaited, so not a ref local).</summary>
    private sealed class Received
    {
        public long Bytes { get; set; }
    }
}
