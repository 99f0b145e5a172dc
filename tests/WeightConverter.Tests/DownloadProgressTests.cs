using AlexNet.Realtime.TestSupport;
using AlexNet.Realtime.WeightConverter.Fetching;
using Xunit;

namespace AlexNet.Realtime.WeightConverter.Tests;

/// <summary>The download bar on a terminal: redrawn in place with plain characters, no escape sequences.</summary>
[Collection("Console")]
public sealed class DownloadProgressTests
{
    [Fact]
    public void TerminalBar_RedrawnAndCleared_WithoutEscapeSequences()
    {
        var (_, _, error) = ConsoleCapture.Run(() =>
        {
            var progress = new ConsoleDownloadProgress("x: ", terminal: true);
            progress.Started(0, 100_000_000);
            progress.Note("a note between redraws");
            progress.Started(99_000_000, 100_000_000);
            progress.Advanced(100_000_000);
            progress.Stopped();
            return 0;
        });

        Assert.DoesNotContain('\u001b', error);

        // Each redraw starts at the line's beginning; the note first blanks the bar it replaces.
        var redraws = error.Split('\r');
        var firstBar = redraws[1];
        Assert.StartsWith("x: [------------------------------]   0.0%", firstBar, StringComparison.Ordinal);
        Assert.Equal(new string(' ', firstBar.Length), redraws[2]);
        Assert.StartsWith("x: a note between redraws\n", redraws[3], StringComparison.Ordinal);
        Assert.EndsWith("\n", error, StringComparison.Ordinal);
        Assert.Contains("100.0%", redraws[^1], StringComparison.Ordinal);
    }
}
