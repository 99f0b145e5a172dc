using System.CommandLine;
using AlexNet.Realtime.App.Output;
using AlexNet.Realtime.Inference.Contract;
using AlexNet.Realtime.Inference;
using OpenCvSharp;

namespace AlexNet.Realtime.App.Commands;

/// <summary><c>alexnet-rt classify &lt;image&gt;...</c>: the top-K of still images.</summary>
internal static class ClassifyCommand
{
    public static Command Create()
    {
        var images = new Argument<string[]>("images") { Description = "Image files (PNG, JPEG, ...).", Arity = ArgumentArity.OneOrMore };
        var top = new Option<int?>("--top", "-k") { Description = "How many classes to print (at most the model's K)." };
        var json = new Option<bool>("--json") { Description = "One JSON line per image: {\"source\", \"frame\", \"top\": [{\"index\", \"label\", \"p\"}]}." };
        var engineOptions = new EngineOptionsBinder(Inference.Engine.ThreadSpinning.WithinRun);
        var command = new Command("classify", "Print the top-K classes of still images.") { images, top, json };
        engineOptions.AddTo(command);
        command.SetAction(parse => AppErrors.Guard(() =>
        {
            // Loading the model takes seconds: when none of the paths given is an image file, say so first.
            TopOption.CheckBeforeTheModel(parse.GetValue(top));
            var paths = parse.GetValue(images)!;
            if (paths.All(p => NotAFile(p) is not null))
            {
                foreach (var path in paths)
                {
                    SayFailed(path, NotAFile(path)!);
                }

                return AppErrors.Failed;
            }

            using var engine = engineOptions.Open(parse, line => Console.Error.WriteLine($"alexnet-rt: {ErrorText.OneLine(line)}"));
            var k = parse.GetValue(top) ?? engine.Contract.TopK;
            if (k < 1 || k > engine.Contract.TopK)
            {
                throw new AppException($"--top {k}: the model returns its top {engine.Contract.TopK}; use 1..{engine.Contract.TopK} (or convert with a larger --top)");
            }

            if (engine.Contract.Weights == WeightsKind.Synthetic)
            {
                Console.Error.WriteLine("alexnet-rt: note: the model's weights are synthetic: its labels mean nothing");
            }

            var asJson = parse.GetValue(json);
            using var writer = new PredictionJson();
            var failures = 0;
            foreach (var path in paths)
            {
                using var image = ReadImage(path, out var problem);
                if (image is null)
                {
                    SayFailed(path, problem);
                    failures++;
                    continue;
                }

                var prediction = engine.Classify(image);
                if (PredictionJson.NonFinite(prediction, k) is { } why)
                {
                    // Written as null with an error (JSON), "n/a" (text): never a number that isn't one.
                    SayFailed(path, why);
                    failures++;
                }

                if (asJson)
                {
                    Console.Out.WriteLine(System.Text.Encoding.UTF8.GetString(writer.Row(path, 0, null, prediction, k)));
                    continue;
                }

                // Paths and the model's labels are text from outside: control characters are
                // escaped, so a label can't drive the terminal (JSON escapes them itself).
                Console.Out.WriteLine(ErrorText.OneLine(path));
                for (var i = 0; i < k; i++)
                {
                    var entry = prediction[i];
                    var percent = float.IsFinite(entry.Probability) ? $"{entry.Probability * 100,7:0.00}%" : "    n/a ";
                    Console.Out.WriteLine($"  {i + 1}. {ErrorText.OneLine(entry.Label),-32} {percent}  (class {entry.Index})");
                }
            }

            return failures == 0 ? AppErrors.Ok : AppErrors.Failed;
        }));
        return command;
    }

    private static Mat? ReadImage(string path, out string problem)
    {
        if (NotAFile(path) is { } notAFile)
        {
            problem = notAFile;
            return null;
        }

        problem = "";

        Mat image;
        try
        {
            image = Cv2.ImRead(path, ImreadModes.Color);
        }
        catch (Exception e) when (e is OpenCVException or OutOfMemoryException)
        {
            // One image over OpenCV's limits (a header declaring 60000 x 60000) is that image's failure.
            problem = e is OpenCVException ? $"cannot be decoded as an image (OpenCV: {ErrorText.FirstLine(e.Message)})" : "too large to decode in the memory there is";
            return null;
        }

        if (image.Empty())
        {
            image.Dispose();
            problem = "cannot be decoded as an image";
            return null;
        }

        return image;
    }

    /// <summary>Why <paramref name="path"/> is no image file to read (a directory, nothing, no regular file, too many pixels in its header), or null.</summary>
    private static string? NotAFile(string path) =>
        Directory.Exists(path) ? "a directory, not an image (label mode reads folders)"
        : Capture.ImageFiles.Problem(path);

    private static void SayFailed(string path, string problem) =>
        Console.Error.WriteLine($"alexnet-rt: error: {ErrorText.OneLine($"{path}: {problem}")}");
}
