namespace AlexNet.Realtime.Bench.Compare;

/// <summary>
/// Contenders that need an opt-in build: TorchSharp's libtorch is 600 MB, so it is built only with
/// <c>-p:TorchSharp=true</c>. Measured on Debian 12 its native library does not load: it needs
/// GLIBCXX_3.4.32 (GCC 13's libstdc++) and Debian 12 ships 3.4.30; the run then says so and goes on.
/// </summary>
internal static class OptionalContenders
{
    public static IEnumerable<Func<IContender>> Create(string clip, int threads)
    {
#if WITH_TORCHSHARP
        IContender? probe = null;
        try
        {
            probe = new TorchSharpContender(BenchModels.Weights(), clip, threads);
        }
        catch (TypeInitializationException e)
        {
            Console.Error.WriteLine($"TorchSharp: its native library does not load here ({AlexNet.Realtime.Inference.ErrorText.FirstLine(e.InnerException?.Message ?? e.Message)}; on Debian 12, ldd shows libLibTorchSharp.so needs GLIBCXX_3.4.32 and the system libstdc++ has 3.4.30); left out");
        }

        if (probe is not null)
        {
            yield return () => probe;
        }
#else
        _ = clip;
        _ = threads;
        Console.Error.WriteLine("TorchSharp: not in this build; add -p:TorchSharp=true to measure it");
        yield break;
#endif
    }
}
