using AlexNet.Realtime.Overlay.Profiling;
using ScottPlot;

namespace AlexNet.Realtime.App.Profiling;

/// <summary>A PNG with the latency histogram of each stage and the per-frame timeline (ScottPlot).</summary>
internal static class LatencyPlot
{
    private static readonly Stage[] Plotted = [Stage.CaptureWait, Stage.Inference, Stage.Overlay, Stage.Present, Stage.EndToEnd];

    public static void Write(string path, FrameProfiler profiler, string title)
    {
        var multiplot = new Multiplot();
        multiplot.AddPlots(2);
        var histogram = multiplot.GetPlot(0);
        var timeline = multiplot.GetPlot(1);
        var palette = new ScottPlot.Palettes.Category10();
        for (var i = 0; i < Plotted.Length; i++)
        {
            var stage = Plotted[i];
            var values = profiler.Recorded(stage).ToArray();
            if (values.Length == 0)
            {
                continue;
            }

            var color = palette.GetColor(i);
            var max = Math.Max(values.Max(), 0.01);
            var hist = ScottPlot.Statistics.Histogram.WithBinCount(60, 0, max * 1.001);
            hist.AddRange(values);
            var bars = histogram.Add.Bars(hist.Bins, hist.Counts);
            bars.Color = color.WithAlpha(0.6);
            bars.LegendText = stage.Name();
            foreach (var bar in bars.Bars)
            {
                bar.Size = hist.FirstBinSize;
                bar.LineWidth = 0;
                bar.FillStyle.AntiAlias = false;
            }

            var xs = Enumerable.Range(0, values.Length).Select(x => (double)x).ToArray();
            var line = timeline.Add.ScatterLine(xs, values);
            line.Color = color;
            line.LineWidth = 1;
            line.LegendText = stage.Name();
        }

        histogram.Title($"{title}: latency per stage");
        histogram.XLabel("ms");
        histogram.YLabel("frames");
        histogram.ShowLegend(Alignment.UpperRight);
        timeline.Title("per-frame timeline");
        timeline.XLabel("frame");
        timeline.YLabel("ms");
        timeline.ShowLegend(Alignment.UpperRight);
        // A new name of its own (never a link someone left at a fixed one), renamed when complete.
        var temp = Output.OutputFile.TemporaryName(Path.GetFullPath(path)) + ".png";
        try
        {
            multiplot.SavePng(temp, 1200, 900);
            File.Move(temp, path, overwrite: true);
        }
        finally
        {
            Output.OutputFile.TryDelete(temp);
        }
    }
}
