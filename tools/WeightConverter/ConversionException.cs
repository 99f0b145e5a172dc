using AlexNet.Realtime.Inference;

namespace AlexNet.Realtime.WeightConverter;

/// <summary>
/// A problem with the user's input that the converter reports as one line and a non-zero exit.
/// Its message is written for the user: it names the file, tensor or global at fault, with any
/// control character in those names escaped (<see cref="ErrorText.OneLine"/>).
/// </summary>
public sealed class ConversionException : Exception
{
    public ConversionException(string message) : base(ErrorText.OneLine(message)) { }

    public ConversionException(string message, Exception inner) : base(ErrorText.OneLine(message), inner) { }

    public ConversionException() { }
}
