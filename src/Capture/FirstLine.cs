namespace AlexNet.Realtime.Capture;

/// <summary>
/// The first line of a native library's or a tool's message, for a one-line error. (Inference has
/// its own <c>SessionFactory.FirstLine</c>; the two assemblies share no lower one to hold it.)
/// </summary>
internal static class FirstLine
{
    public static string Of(string text) => text.Split('\n')[0].Trim();
}
