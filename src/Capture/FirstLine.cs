namespace AlexNet.Realtime.Capture;

/// <summary>
/// The first line of a native library's or a tool's message, for a one-line error. (The other
/// assemblies use <c>ErrorText.FirstLine</c> in Inference, which Capture does not reference.)
/// </summary>
internal static class FirstLine
{
    public static string Of(string text) => text.Split('\n')[0].Trim();
}
