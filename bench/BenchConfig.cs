using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;

namespace AlexNet.Realtime.Bench;

/// <summary>Short, fixed jobs (the 2-core machine is shared; ratios within a run are what count) with p95.</summary>
internal sealed class BenchConfig : ManualConfig
{
    public BenchConfig()
    {
        AddJob(Job.Default.WithLaunchCount(1).WithWarmupCount(10).WithIterationCount(30).WithInvocationCount(16).WithUnrollFactor(1));
        AddColumn(StatisticColumn.P95, StatisticColumn.Median, BaselineRatioColumn.RatioMean);
    }
}
