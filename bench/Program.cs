using AlexNet.Realtime.Bench;
using BenchmarkDotNet.Running;

// engine: BenchmarkDotNet microbenchmark of one frame (bench/README.md).
if (args.Length > 0 && args[0] == "engine")
{
    BenchmarkRunner.Run<EngineBenchmarks>(args: args[1..]);
    return 0;
}

Console.Error.WriteLine("usage: dotnet run -c Release --project bench -- engine");
return 2;
