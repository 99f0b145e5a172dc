namespace AlexNet.Realtime.Capture;

/// <summary>A source that can't be parsed, opened or read, said in one line.</summary>
public sealed class CaptureException : Exception
{
    public CaptureException(string message) : base(message) { }

    public CaptureException(string message, Exception inner) : base(message, inner) { }

    public CaptureException() { }
}
