using System.Globalization;
using AlexNet.Realtime.Inference;

namespace AlexNet.Realtime.App.Evaluation;

/// <summary>
/// An evaluation as text for a person: each model's top-1 and top-K with their 95% intervals, the
/// classes (all of a few, else the weakest), the most confused pairs, the models' agreement and
/// the failures. Class names and paths are text from outside: control characters are escaped.
/// </summary>
internal static class EvalTable
{
    /// <summary>Up to this many classes, all are listed; past it, the weakest.</summary>
    public const int AllClassesUpTo = 25;

    public const int WeakestClasses = 10;

    public const int ConfusedPairs = 10;

    public static void Write(EvalReport report, TextWriter output)
    {
        var models = report.Models;
        var k = models[0].Tally.K;
        output.WriteLine(Invariant($"{Clean(report.Dataset)} ({report.DatasetKind}): {Images(report.Classified)} evaluated in {report.ClassesSeen.Count()} class{(report.ClassesSeen.Count() == 1 ? "" : "es")}, {report.Failures.Count} failed{(report.Cancelled ? "; stopped part-way, so over the images done" : "")}"));
        if (report.ImagesOutsideClasses > 0)
        {
            output.WriteLine($"  ({Images(report.ImagesOutsideClasses)} in the top folder itself, in no class folder, left out)");
        }

        output.WriteLine();
        var nameWidth = Math.Max(5, models.Max(m => Clean(m.Name).Length));
        var precisionWidth = Math.Max(9, models.Max(m => m.Precision.Length));
        output.WriteLine($"{"model".PadRight(nameWidth)}  {"precision".PadRight(precisionWidth)}  {"images",7}  {"top-1 [95% CI]",-31}  top-{k} [95% CI]");
        foreach (var model in models)
        {
            var tally = model.Tally;
            output.WriteLine(Invariant($"{Clean(model.Name).PadRight(nameWidth)}  {model.Precision.PadRight(precisionWidth)}  {tally.Top1.Of,7}  {WithInterval(tally.Top1),-31}  {WithInterval(tally.TopK)}"));
        }

        output.WriteLine("(share right; in brackets its 95% confidence interval in percent, Wilson score)");
        foreach (var model in models.Where(m => m.Forced))
        {
            output.WriteLine(Invariant($"note: {Clean(model.Name)} was written below the converter's agreement threshold (--force): top-1 agreement with fp32 {model.ConverterTop1Agreement:0.0000} on its held-out frames"));
        }

        foreach (var model in models.Where(m => m.Tally.NonFinite > 0))
        {
            output.WriteLine(Invariant($"note: {Clean(model.Name)}: {model.Tally.NonFinite} answers had probabilities that are not numbers (NaN or Inf weights?); counted as answered"));
        }

        WriteClasses(report, output, nameWidth);
        WriteConfused(report, output);
        WriteAgreement(report, output);
        WriteFailures(report, output);
    }

    private static void WriteClasses(EvalReport report, TextWriter output, int nameWidth)
    {
        var first = report.Models[0].Tally;
        var seen = report.ClassesSeen.ToList();
        if (seen.Count == 0)
        {
            return;
        }

        var shown = seen.Count <= AllClassesUpTo
            ? seen
            : [.. seen.OrderBy(c => first.Top1Of(c).Rate).ThenBy(c => first.TopKOf(c).Rate).ThenBy(c => c).Take(WeakestClasses)];
        var classWidth = Math.Min(40, Math.Max(5, shown.Max(c => ClassName(report, c).Length)));
        output.WriteLine();
        output.WriteLine(seen.Count <= AllClassesUpTo
            ? $"per class (top-1 / top-{first.K}):"
            : Invariant($"per class, the {shown.Count} of {seen.Count} classes with the lowest top-1, then top-{first.K}{(report.Models.Count > 1 ? $" for {Clean(report.Models[0].Name)}" : "")} (all are in --json):"));
        output.WriteLine($"{"class".PadRight(classWidth)}  {"images",6}  {string.Join("  ", report.Models.Select(m => Clean(m.Name).PadRight(Math.Max(17, nameWidth))))}".TrimEnd());
        foreach (var cls in shown)
        {
            var cells = report.Models.Select(m => $"{Percent(m.Tally.Top1Of(cls).Rate)} / {Percent(m.Tally.TopKOf(cls).Rate)}".PadRight(Math.Max(17, nameWidth)));
            output.WriteLine(Invariant($"{Fit(ClassName(report, cls), classWidth)}  {first.ImagesOf(cls),6}  {string.Join("  ", cells)}").TrimEnd());
        }
    }

    private static void WriteConfused(EvalReport report, TextWriter output)
    {
        foreach (var model in report.Models)
        {
            var pairs = model.Tally.Confusions.Top(ConfusedPairs);
            output.WriteLine();
            output.WriteLine(pairs.Count == 0
                ? $"most confused{ForModel(report, model)}: none (every top-1 answer was right)"
                : $"most confused (true class -> answered as: images){ForModel(report, model)}:");
            foreach (var pair in pairs)
            {
                output.WriteLine(Invariant($"  {ClassName(report, pair.True)} -> {ClassName(report, pair.Predicted)}: {pair.Count}"));
            }
        }
    }

    private static void WriteAgreement(EvalReport report, TextWriter output)
    {
        var pairs = report.Agreement.Pairs();
        if (pairs.Count == 0)
        {
            return;
        }

        output.WriteLine();
        output.WriteLine("agreement, image by image (same top-1 class):");
        foreach (var pair in pairs)
        {
            var a = Clean(report.Models[pair.A].Name);
            var b = Clean(report.Models[pair.B].Name);
            output.WriteLine(Invariant($"  {a} and {b}: {WithInterval(pair.Top1)} agree; right: both {pair.BothRight}, only {a} {pair.OnlyARight}, only {b} {pair.OnlyBRight}, neither {pair.BothWrong}"));
        }
    }

    private static void WriteFailures(EvalReport report, TextWriter output)
    {
        if (report.Failures.Count == 0)
        {
            return;
        }

        output.WriteLine();
        var named = report.Failures.First;
        output.WriteLine(Invariant($"failed, not counted above: {Images(report.Failures.Count)}{(named.Count < report.Failures.Count ? $" (the first {named.Count}:)" : ":")}"));
        foreach (var (name, why) in named.Take(10))
        {
            output.WriteLine($"  {Clean(name)}: {Clean(why)}");
        }

        if (named.Count > 10)
        {
            output.WriteLine(Invariant($"  ... ({named.Count - 10} more named in --json)"));
        }
    }

    private static string Images(long count) => Invariant($"{count} image{(count == 1 ? "" : "s")}");

    private static string ForModel(EvalReport report, EvaluatedModel model) => report.Models.Count > 1 ? $", {Clean(model.Name)}" : "";

    private static string ClassName(EvalReport report, int cls) =>
        report.WordNetIds is { } ids ? $"{Clean(report.Labels[cls])} ({ids[cls]})" : Clean(report.Labels[cls]);

    private static string WithInterval(Proportion p)
    {
        if (p.Of == 0)
        {
            return "n/a (no images)";
        }

        var interval = p.Interval;
        return Invariant($"{Percent(p.Rate)} [{interval.Low * 100:0.00}, {interval.High * 100:0.00}]");
    }

    private static string Percent(double share) => double.IsNaN(share) ? "n/a" : Invariant($"{share * 100:0.00}%");

    private static string Fit(string text, int width) => text.Length <= width ? text.PadRight(width) : string.Concat(text.AsSpan(0, width - 3), "...");

    private static string Clean(string text) => ErrorText.OneLine(text);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
