namespace AlexNet.Realtime.Bench.Compare;

/// <summary>
/// Contenders that need an opt-in build: TorchSharp's libtorch is 600 MB, so it is built only with
/// <c>-p:TorchSharp=true</c>. Its native glue needs GLIBCXX_3.4.32 (GCC 13's libstdc++) for one
/// symbol; on Debian 12 (3.4.30) the build runs <c>bench/scripts/torchsharp-on-gcc12.sh</c> on its
/// copy so it loads. Where it still does not load, the run says why and goes on without it.
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
            Console.Error.WriteLine($"TorchSharp: its native library does not load here ({AlexNet.Realtime.Inference.ErrorText.FirstLine(e.InnerException?.Message ?? e.Message)}; a libstdc++ older than GCC 13's needs bench/scripts/torchsharp-on-gcc12.sh, run by the build when g++, patchelf and python3 are there); left out");
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
