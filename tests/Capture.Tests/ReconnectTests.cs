using Xunit;

namespace AlexNet.Realtime.Capture.Tests;

/// <summary>Live sources that fail, stall or freeze are noticed and opened again.</summary>
public sealed class ReconnectTests
{
    private static readonly CaptureOptions Fast = new()
    {
        BackoffInitial = TimeSpan.FromMilliseconds(20),
        BackoffMax = TimeSpan.FromMilliseconds(80),
        // Long enough that two busy cores (CI runs five test projects at once) never make a 2 ms
        // scripted read look stalled; the stall test blocks for three times this.
        ReadTimeout = TimeSpan.FromMilliseconds(600),
        FreezeFrames = 30,
    };

    [Fact]
    public void FailingThenRecovering_IsReconnectedWithBackoff()
    {
        var reader = new ScriptedReader { FailOpens = 3 };
        var (states, source) = Run(reader, Fast);
        using (source)
        {
            Assert.True(TakeSome(source, 10));
            Assert.Equal(4, reader.Opens);
            Assert.Equal(3, source.Reconnects);
            Assert.Equal(SourceState.Running, source.State);
            lock (states)
            {
                Assert.Equal((SourceState.Reconnecting, "fake camera: open 1 refused; retrying in 0.02 s"), states[0]);
                Assert.Contains(states, s => s.State == SourceState.Reconnecting && s.Problem!.Contains("open 3 refused", StringComparison.Ordinal));
                Assert.Equal(SourceState.Running, states[^1].State);
            }
        }
    }

    [Fact]
    public void DisconnectedMidStream_IsReconnected()
    {
        var reader = new ScriptedReader { DisconnectAt = 5 };
        var (states, source) = Run(reader, Fast);
        using (source)
        {
            Assert.True(TakeSome(source, 20));
            Assert.Equal(2, reader.Opens);
            lock (states)
            {
                Assert.Contains(states, s => s.State == SourceState.Reconnecting && s.Problem!.Contains("unplugged", StringComparison.Ordinal));
            }
        }
    }

    [Fact]
    public void GivingUp_AfterTheLimit_IsFailed()
    {
        var reader = new ScriptedReader { FailOpens = 100 };
        var options = new CaptureOptions { BackoffInitial = TimeSpan.FromMilliseconds(5), BackoffMax = TimeSpan.FromMilliseconds(10), MaxReconnects = 3 };
        var (_, source) = Run(reader, options);
        using (source)
        {
            Assert.False(source.TryTake(TimeSpan.FromSeconds(10), out _));
            Assert.Equal(SourceState.Failed, source.State);
            Assert.Contains("gave up after 3 reconnects", source.Problem, StringComparison.Ordinal);
            Assert.Equal(4, reader.Opens);
        }
    }

    [Fact]
    public void Stalling_IsDetectedByTimeoutAndReconnected()
    {
        var reader = new ScriptedReader { StallAt = 5, StallFor = TimeSpan.FromMilliseconds(1800) };
        var (states, source) = Run(reader, Fast);
        using (source)
        {
            Assert.True(TakeSome(source, 30));
            lock (states)
            {
                var stall = states.FindIndex(s => s.State == SourceState.Reconnecting && s.Problem!.Contains("stalled", StringComparison.Ordinal));
                Assert.True(stall >= 0, "no stall reported: " + string.Join(", ", states));
                Assert.Contains(states.Skip(stall), s => s.State == SourceState.Running);
            }

            Assert.Equal(2, reader.Opens);
        }
    }

    [Fact]
    public void FrozenPicture_IsDetectedAndReconnected()
    {
        var reader = new ScriptedReader { FreezeFrom = 10 };
        var (states, source) = Run(reader, Fast);
        using (source)
        {
            Assert.True(TakeSome(source, 60));
            Assert.Equal(2, reader.Opens);
            lock (states)
            {
                Assert.Contains(states, s => s.State == SourceState.Reconnecting && s.Problem!.Contains("frozen", StringComparison.Ordinal));
            }
        }
    }

    private static (List<(SourceState State, string? Problem)> States, FrameSource Source) Run(ScriptedReader reader, CaptureOptions options)
    {
        var states = new List<(SourceState, string?)>();
        var source = new FrameSource(new SourceSpec(SourceKind.Camera, "fake"), options, reader);
        source.StateChanged += (state, problem) =>
        {
            lock (states)
            {
                states.Add((state, problem));
            }
        };
        source.Start();
        return (states, source);
    }

    private static bool TakeSome(FrameSource source, int count)
    {
        for (var i = 0; i < count; i++)
        {
            if (!source.TryTake(TimeSpan.FromSeconds(10), out var frame))
            {
                return false;
            }

            source.Return(frame!);
        }

        return true;
    }
}
