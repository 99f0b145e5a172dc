using System.Diagnostics;

namespace AlexNet.Realtime.Bench.Compare;

/// <summary>Times a per-frame step: warm-up runs first, then each measured frame's time and top-1.</summary>
internal static class TimedLoop
{
    public static (double[] Milliseconds, int[] Top1) Run(int frames, int warmup, Func<int> step)
    {
        var times = new double[frames];
        var top1 = new int[frames];
        for (var i = -warmup; i < frames; i++)
        {
            var start = Stopwatch.GetTimestamp();
            var index = step();
            if (i >= 0)
            {
                times[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                top1[i] = index;
            }
        }

        return (times, top1);
    }
}
