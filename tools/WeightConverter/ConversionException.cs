using AlexNet.Realtime.CommandLine;

namespace AlexNet.Realtime.WeightConverter;

/// <summary>
/// A problem with the user's input that the converter reports as one line and a non-zero exit.
/// Its message is written for the user: it names the file, tensor or global at fault. (Names read
/// from a file may hold control characters; the tools' <see cref="ErrorGuard"/> makes it one line.)
/// </summary>
public sealed class ConversionException : ToolException
{
    public ConversionException(string message) : base(message) { }

    public ConversionException(string message, Exception inner) : base(message, inner) { }

    public ConversionException() { }
}
