using System.Collections.Concurrent;
using AlexNet.Realtime.Capture;

namespace AlexNet.Realtime.App.Evaluation;

/// <summary>
/// Decodes a chunk's images, from a given one on, on a capture thread of its own (the image-list
/// source that labeling uses), and tells which entry each frame is: the source skips an image
/// it can't read and says why, in order, so the entries between two frames are those it skipped.
/// </summary>
/// <remarks>Owns its source; its frames must all be given back before it is disposed.</remarks>
internal sealed class ChunkDecoder : IDisposable
{
    private readonly EvalChunk _chunk;
    private readonly ConcurrentQueue<(string File, string Why)> _unreadable = new();
    private int _next;

    /// <param name="from">The first entry of the chunk to decode.</param>
    public ChunkDecoder(EvalChunk chunk, int from, int queueCapacity, string displayName)
    {
        _chunk = chunk;
        _next = from;
        Source = new FrameSource(
            new SourceSpec(SourceKind.ImageFile, displayName, Files: chunk.PathsFrom(from)),
            new CaptureOptions { Policy = HandoffPolicy.Every, QueueCapacity = queueCapacity },
            onUnreadable: (file, why) => _unreadable.Enqueue((file, why)));
        Source.Start();
    }

    public EvalChunk Chunk => _chunk;

    public FrameSource Source { get; }

    /// <summary>The entry of the chunk that is to come next.</summary>
    public int Next => _next;

    /// <summary>
    /// The chunk's entry the frame is; the entries skipped before it are told to
    /// <paramref name="failed"/> (index, why). -1 when it is none of those to come (never expected).
    /// </summary>
    public int Match(CapturedFrame frame, Action<int, string> failed)
    {
        for (var j = _next; j < _chunk.Count; j++)
        {
            if (string.Equals(_chunk.PathOf(j), frame.Origin, StringComparison.Ordinal))
            {
                for (var skipped = _next; skipped < j; skipped++)
                {
                    failed(skipped, Reason());
                }

                _next = j + 1;
                return j;
            }
        }

        return -1;
    }

    /// <summary>Once the source is finished: the entries it never delivered, each told to <paramref name="failed"/>.</summary>
    /// <returns>Where to start a new source, when this one failed part-way and entries are left after the one it failed on; else -1.</returns>
    public int EndOfSource(Action<int, string> failed)
    {
        if (Source.State == SourceState.Failed && _next < _chunk.Count)
        {
            // The source gave up on one image (a decoder error it did not catch): that image
            // fails, and the rest are decoded again by a new source.
            failed(_next, Source.Problem ?? "cannot be read");
            _next++;
            return _next < _chunk.Count ? _next : -1;
        }

        for (; _next < _chunk.Count; _next++)
        {
            failed(_next, Reason());
        }

        return -1;
    }

    public void Dispose() => Source.Dispose();

    private string Reason() => _unreadable.TryDequeue(out var item) ? item.Why : "cannot be decoded as an image";
}
