using AlexNet.Realtime.Capture.Handoff;
using CsCheck;
using Xunit;

namespace AlexNet.Realtime.Capture.Tests;

public sealed class HandoffTests
{
    /// <summary>
    /// A fast producer and a slow consumer: the consumer never sees a frame older than one it
    /// already saw, never the same one twice, and every frame is either taken or counted dropped.
    /// </summary>
    [Fact]
    public void LatestFrameWins_NeverGoesBackAndCountsEveryDrop()
    {
        Gen.Select(Gen.Int[20, 400], Gen.Int[0, 3], Gen.Int[0, 40]).Sample(t =>
        {
            var (produced, producerPauseEvery, consumerWorkUs) = t;
            using var handoff = new LatestFrameHandoff();
            var producer = new Thread(() =>
            {
                for (var i = 0; i < produced; i++)
                {
                    var frame = handoff.Rent(CancellationToken.None)!;
                    frame.Sequence = i;
                    handoff.Publish(frame);
                    if (producerPauseEvery > 0 && i % (producerPauseEvery * 7) == 0)
                    {
                        Thread.Yield();
                    }
                }

                handoff.Complete();
            });
            producer.Start();

            var taken = new List<long>();
            while (handoff.TryTake(TimeSpan.FromSeconds(5), out var frame))
            {
                taken.Add(frame!.Sequence);
                System.Diagnostics.Stopwatch.StartNew().SpinUntil(consumerWorkUs);
                handoff.Return(frame);
            }

            producer.Join();
            for (var i = 1; i < taken.Count; i++)
            {
                if (taken[i] <= taken[i - 1])
                {
                    throw new InvalidOperationException($"frame {taken[i]} handed out after {taken[i - 1]}");
                }
            }

            if (taken.Count + handoff.Dropped != produced)
            {
                throw new InvalidOperationException($"{taken.Count} taken + {handoff.Dropped} dropped != {produced} produced");
            }

            if (taken.Count == 0 || taken[^1] != produced - 1)
            {
                throw new InvalidOperationException("the newest frame was not handed out");
            }
        }, iter: 60);
    }

    [Fact]
    public void LatestFrameWins_SlowConsumerDropsMostFrames()
    {
        using var handoff = new LatestFrameHandoff();
        for (var i = 0; i < 10; i++)
        {
            var frame = handoff.Rent(CancellationToken.None)!;
            frame.Sequence = i;
            handoff.Publish(frame);
        }

        Assert.True(handoff.TryTake(TimeSpan.Zero, out var newest));
        Assert.Equal(9, newest!.Sequence);
        Assert.Equal(9, handoff.Dropped);
        Assert.False(handoff.TryTake(TimeSpan.FromMilliseconds(10), out _));
    }

    [Fact]
    public void EveryFrame_KeepsOrderAndMakesTheProducerWait()
    {
        using var handoff = new QueueHandoff(3);
        var published = 0;
        var producer = new Thread(() =>
        {
            for (var i = 0; i < 50; i++)
            {
                var frame = handoff.Rent(CancellationToken.None)!;
                frame.Sequence = i;
                handoff.Publish(frame);
                Interlocked.Increment(ref published);
            }

            handoff.Complete();
        });
        producer.Start();
        Thread.Sleep(100);
        Assert.Equal(3, Volatile.Read(ref published));

        var taken = new List<long>();
        while (handoff.TryTake(TimeSpan.FromSeconds(5), out var frame))
        {
            taken.Add(frame!.Sequence);
            handoff.Return(frame);
        }

        producer.Join();
        Assert.Equal(Enumerable.Range(0, 50).Select(i => (long)i), taken);
        Assert.Equal(0, handoff.Dropped);
    }
}

internal static class StopwatchExtensions
{
    public static void SpinUntil(this System.Diagnostics.Stopwatch clock, int microseconds)
    {
        while (clock.Elapsed.TotalMicroseconds < microseconds)
        {
            Thread.SpinWait(20);
        }
    }
}
