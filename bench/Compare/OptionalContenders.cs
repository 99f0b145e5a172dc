namespace AlexNet.Realtime.Bench.Compare;

/// <summary>Contenders that need an opt-in build (TorchSharp's libtorch is 600 MB: <c>-p:TorchSharp=true</c>).</summary>
internal static partial class OptionalContenders
{
    public static IEnumerable<Func<IContender>> Create(string clip, int threads)
    {
#if WITH_TORCHSHARP
        yield return () => new TorchSharpContender(BenchModels.SyntheticWeights(), clip, threads);
#else
        _ = clip;
        _ = threads;
        Console.Error.WriteLine("TorchSharp: not in this build; add -p:TorchSharp=true to measure it");
        yield break;
#endif
    }
}
