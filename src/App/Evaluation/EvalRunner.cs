using System.Diagnostics;
using System.Runtime.ExceptionServices;
using AlexNet.Realtime.App.Labeling;
using AlexNet.Realtime.Capture;
using AlexNet.Realtime.Inference.Engine;
using OpenCvSharp;
using FrameSource = AlexNet.Realtime.Capture.FrameSource;

namespace AlexNet.Realtime.App.Evaluation;

/// <summary>What an evaluation counted.</summary>
internal sealed record EvalCounts(IReadOnlyList<AccuracyTally> Tallies, AgreementTally Agreement, FailureLog Failures, long Classified, TimeSpan Elapsed, bool Cancelled)
{
    public long Entries => Classified + Failures.Count;
}

/// <summary>
/// Classifies a dataset's images with one or more models and counts the answers against the
/// ground truth. The dataset is read a chunk at a time (<see cref="EvalChunk"/>), each chunk
/// decoded on a capture thread while the next is read; batches go round the lanes as in
/// labeling (<see cref="BatchLane"/>), and every model classifies every batch, side by side, so
/// the models are compared on the very same frames. An image that can't be read is counted and
/// named, and the run goes on; only counts are kept.
/// </summary>
internal sealed class EvalRunner
{
    private readonly IReadOnlyList<IReadOnlyList<ClassifierEngine>> _engines;
    private readonly EvalOptions _options;
    private readonly Action<string> _say;

    /// <param name="engines">For each model, its engines, one a lane (the first opened, the others its lanes); all have the same classes.</param>
    public EvalRunner(IReadOnlyList<IReadOnlyList<ClassifierEngine>> engines, EvalOptions options, Action<string> say)
    {
        if (engines.Count == 0 || engines.Any(e => e.Count != options.Lanes))
        {
            throw new ArgumentException($"{options.Lanes} lanes a model asked for; the engines given differ", nameof(engines));
        }

        _engines = engines;
        _options = options;
        _say = say;
    }

    /// <summary>The K of top-K for these models: 5, or fewer when a model returns fewer.</summary>
    public int K => _engines.Min(e => Math.Min(5, e[0].Contract.TopK));

    public EvalCounts Run(IDataset dataset, ClassMap classes, IEvalProgress progress, CancellationToken cancel)
    {
        var clock = Stopwatch.StartNew();
        var models = _engines.Count;
        var numClasses = _engines[0][0].Contract.NumClasses;
        var tallies = _engines.Select(_ => new AccuracyTally(numClasses, K)).ToArray();
        var agreement = new AgreementTally(models);
        var failures = new FailureLog(_options.NamedFailures);
        var top1 = new int[models];
        long classified = 0;

        var ownThreads = _options.Lanes > 1 || models > 1;
        var slots = Enumerable.Range(0, _options.Lanes)
            .Select(lane => new Slot(_engines.Select(model => new BatchLane(model[lane], ownThreads)).ToArray(), _options.Batch))
            .ToArray();
        using var entries = dataset.Entries().GetEnumerator();
        var moreChunks = true;
        ChunkDecoder? current = null;
        ChunkDecoder? ahead = null;
        try
        {
            current = NextDecoder();
            var filling = 0;
            while (current is { } decoder && !cancel.IsCancellationRequested)
            {
                // Made once a source, not a frame: the loop below allocates nothing per frame.
                Action<int, string> failedHere = (index, why) => Failed(decoder.Chunk.NameOf(index), why);
                while (!cancel.IsCancellationRequested)
                {
                    if (!decoder.Source.TryTake(TimeSpan.FromMilliseconds(250), out var frame))
                    {
                        if (decoder.Source.IsFinished)
                        {
                            break;
                        }

                        continue;
                    }

                    var index = decoder.Match(frame!, failedHere);
                    if (index < 0)
                    {
                        decoder.Source.Return(frame!);
                        continue;
                    }

                    var slot = slots[filling];
                    slot.Add(frame!, decoder.Source, decoder.Chunk.TruthOf(index));
                    if (slot.Frames.Count == _options.Batch)
                    {
                        Start(slot);
                        filling = (filling + 1) % slots.Length;

                        // Round robin: the lane to fill next holds the oldest batch in flight.
                        if (slots[filling].Busy)
                        {
                            Finish(slots[filling]);
                        }
                    }

                    if (decoder.Source.State == SourceState.Ended)
                    {
                        // This chunk is read to its end: the next one is decoded while it finishes.
                        ahead ??= NextDecoder();
                    }
                }

                // Every frame of this source is given back before it goes.
                if (slots[filling].Frames.Count > 0 && !cancel.IsCancellationRequested)
                {
                    Start(slots[filling]);
                    filling = (filling + 1) % slots.Length;
                }

                for (var k = 0; k < slots.Length; k++)
                {
                    var oldest = slots[(filling + k) % slots.Length];
                    if (oldest.Busy)
                    {
                        Finish(oldest);
                    }
                }

                if (cancel.IsCancellationRequested)
                {
                    break;
                }

                var restartAt = decoder.EndOfSource(failedHere);
                decoder.Dispose();
                current = null;
                if (restartAt >= 0)
                {
                    current = new ChunkDecoder(decoder.Chunk, restartAt, _options.QueueCapacity, dataset.Source);
                }
                else
                {
                    current = ahead ?? NextDecoder();
                    ahead = null;
                }
            }
        }
        finally
        {
            foreach (var slot in slots)
            {
                slot.Abandon();
            }

            current?.Dispose();
            ahead?.Dispose();
        }

        return new EvalCounts(tallies, agreement, failures, classified, clock.Elapsed, cancel.IsCancellationRequested);

        ChunkDecoder? NextDecoder()
        {
            if (!moreChunks)
            {
                return null;
            }

            var chunk = EvalChunk.Next(entries, _options.ChunkSize, classes, Failed, cancel);
            moreChunks = chunk is not null;
            return chunk is null ? null : new ChunkDecoder(chunk, 0, _options.QueueCapacity, dataset.Source);
        }

        void Failed(string name, string why)
        {
            failures.Add(name, why);
            if (failures.Count <= _options.SaidFailures)
            {
                _say($"{name}: {why}");
            }
            else if (failures.Count == _options.SaidFailures + 1)
            {
                _say($"more images fail: counted, and the first {_options.NamedFailures} named in the report");
            }

            progress.Advance(1);
        }

        void Start(Slot slot)
        {
            foreach (var lane in slot.Lanes)
            {
                lane.Start(slot.Images);
            }
        }

        void Finish(Slot slot)
        {
            // Every model's batch is waited for before any frame goes back: another may still read them.
            ExceptionDispatchInfo? error = null;
            for (var m = 0; m < slot.Lanes.Length; m++)
            {
                try
                {
                    slot.Answers[m] = slot.Lanes[m].Wait();
                }
                catch (Exception e)
                {
                    error ??= ExceptionDispatchInfo.Capture(e);
                }
            }

            if (error is null)
            {
                for (var i = 0; i < slot.Frames.Count; i++)
                {
                    var truth = slot.Truths[i];
                    for (var m = 0; m < slot.Lanes.Length; m++)
                    {
                        var answer = slot.Answers[m]![i];
                        tallies[m].Add(truth, answer);
                        top1[m] = answer.Indices[0];
                    }

                    agreement.Add(truth, top1);
                }

                classified += slot.Frames.Count;
                progress.Advance(slot.Frames.Count);
            }

            slot.GiveBack();
            error?.Throw();
        }
    }

    /// <summary>A batch being filled or classified, where its frames came from, and the lane of each model that classifies it.</summary>
    private sealed class Slot(BatchLane[] lanes, int batch)
    {
        public BatchLane[] Lanes { get; } = lanes;

        public List<CapturedFrame> Frames { get; } = new(batch);

        public List<Mat> Images { get; } = new(batch);

        public List<int> Truths { get; } = new(batch);

        public IReadOnlyList<Prediction>?[] Answers { get; } = new IReadOnlyList<Prediction>?[lanes.Length];

        public bool Busy => Lanes[0].Busy;

        private readonly List<FrameSource> _sources = new(batch);

        public void Add(CapturedFrame frame, FrameSource source, int truth)
        {
            Frames.Add(frame);
            Images.Add(frame.Image);
            Truths.Add(truth);
            _sources.Add(source);
        }

        /// <summary>Gives the frames back to their sources and empties the batch.</summary>
        public void GiveBack()
        {
            for (var i = 0; i < Frames.Count; i++)
            {
                _sources[i].Return(Frames[i]);
            }

            Frames.Clear();
            Images.Clear();
            Truths.Clear();
            _sources.Clear();
            Array.Clear(Answers);
        }

        /// <summary>Waits out a batch in flight, forgets it, gives its frames back and ends the lanes' threads.</summary>
        public void Abandon()
        {
            foreach (var lane in Lanes)
            {
                lane.Drain();
            }

            GiveBack();
            foreach (var lane in Lanes)
            {
                lane.Dispose();
            }
        }
    }
}
