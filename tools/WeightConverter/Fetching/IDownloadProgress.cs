namespace AlexNet.Realtime.WeightConverter.Fetching;

/// <summary>Where a download tells how far it is and what it is doing (never stdout: that is the program's output).</summary>
public interface IDownloadProgress
{
    /// <summary>A one-line message (waiting for another process, resuming, a retry).</summary>
    void Note(string line);

    /// <summary>A transfer starts: <paramref name="have"/> of <paramref name="total"/> bytes are already here.</summary>
    void Started(long have, long total);

    void Advanced(long have);

    /// <summary>The transfer ended, complete or not (the bar is finished or cleared).</summary>
    void Stopped();
}

/// <summary>Says nothing.</summary>
public sealed class SilentProgress : IDownloadProgress
{
    public static SilentProgress Instance { get; } = new();

    public void Note(string line) { }

    public void Started(long have, long total) { }

    public void Advanced(long have) { }

    public void Stopped() { }
}
