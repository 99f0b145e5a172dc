using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;

namespace AlexNet.Realtime.Bench;

/// <summary>
/// Short, fixed jobs (the 2-core machine is shared; ratios within a run are what count) with p95.
/// Three processes a benchmark: one process's figure for the engine moved from 7.8 to 9.4 ms
/// between runs minutes apart while the baseline's stayed at 8.2-8.3 (27 November, 01:43-01:46 UTC),
/// so one launch decided a 10% ratio by chance.
/// </summary>
internal sealed class BenchConfig : ManualConfig
{
    public BenchConfig()
    {
        AddJob(Job.Default.WithLaunchCount(3).WithWarmupCount(10).WithIterationCount(20).WithInvocationCount(16).WithUnrollFactor(1));
        AddColumn(StatisticColumn.P95, StatisticColumn.Median, BaselineRatioColumn.RatioMean);
    }
}
