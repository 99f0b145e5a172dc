namespace AlexNet.Realtime.App.Output;

/// <summary>
/// An output could not be written (a full disk, a lost mount): the run ends with this one line
/// and a failure exit, never "0 failed". Told apart from an input's I/O error, which is that
/// input's error row.
/// </summary>
internal sealed class OutputWriteException : IOException
{
    public OutputWriteException(string message) : base(message) { }

    public OutputWriteException(string message, Exception inner) : base(message, inner) { }

    public OutputWriteException() { }

    /// <summary>An I/O error's own words without the path .NET appends (the message names the file already).</summary>
    public static string Reason(Exception e)
    {
        ArgumentNullException.ThrowIfNull(e);
        var text = Inference.ErrorText.FirstLine(e.Message);
        var path = text.IndexOf(" : '", StringComparison.Ordinal);
        return path > 0 ? text[..path] : text;
    }
}
