namespace AlexNet.Realtime.App.Commands;

/// <summary>
/// <c>--top K</c>: what can be checked before the model loads (seconds, for the full model). Its
/// upper bound is the model's own K, known only once it is open.
/// </summary>
internal static class TopOption
{
    /// <exception cref="AppException">K is under 1.</exception>
    public static void CheckBeforeTheModel(int? top)
    {
        if (top is < 1)
        {
            throw new AppException($"--top {top}: give 1 or more (at most the model's K)");
        }
    }
}
