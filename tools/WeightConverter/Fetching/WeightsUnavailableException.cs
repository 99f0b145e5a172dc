namespace AlexNet.Realtime.WeightConverter.Fetching;

/// <summary>
/// The weights could not be had here and now: offline, no network, no answer in time, a server
/// error. Not a fault of any file (a wrong hash or size is a <see cref="ConversionException"/>):
/// alexnet-rt falls back to a synthetic model, <c>alexnet-convert fetch</c> says how to get them.
/// The message is one line without the advice.
/// </summary>
public sealed class WeightsUnavailableException : Exception
{
    public WeightsUnavailableException(string message) : base(message) { }

    public WeightsUnavailableException(string message, Exception inner) : base(message, inner) { }

    public WeightsUnavailableException() { }
}
