using System.CommandLine;
using System.Globalization;
using AlexNet.Realtime.App.Evaluation;
using AlexNet.Realtime.App.Labeling;
using AlexNet.Realtime.App.Output;
using AlexNet.Realtime.CommandLine;
using AlexNet.Realtime.Inference;
using Spectre.Console;

namespace AlexNet.Realtime.App.Commands;

/// <summary><c>alexnet-rt eval &lt;dataset&gt; --model m [--model m2 ...]</c>: accuracy against ground truth, and models compared.</summary>
internal static class EvalCommand
{
    public static Command Create()
    {
        var dataset = new Argument<string>("dataset")
        {
            Description = "A folder with one sub-folder per class (named by class name, ImageNet WordNet id like n02123045, or class index), or a list of labeled images: CSV/TSV of path,label, ImageNet's LOC_val_solution.csv, or val.txt-style 'file index' lines.",
        };
        var models = new Option<FileInfo[]>("--model", "-m")
        {
            Description = $"The ONNX model(s) written by alexnet-convert; repeat to compare models on the same images (default {ModelLocator.DefaultPath}).",
        };
        var images = new Option<DirectoryInfo?>("--images") { Description = "Where a list's relative paths lie (default: the list's own folder)." };
        var json = new Option<string?>("--json")
        {
            Description = "Write the results as JSON: to a file (written whole, then renamed into place), or alone or as '-' to stdout instead of the table.",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var batch = new Option<int>("--batch", "-b") { Description = "Images per inference call (as label's).", DefaultValueFactory = _ => 8 };
        var lanes = new Option<int?>("--lanes") { Description = "CPU: batches classified side by side, each on its own share of --threads (as label's; default: one lane a thread, shared among the models)." };
        var engineOptions = new EngineOptionsBinder();
        var command = new Command("eval", "Measure top-1 and top-5 accuracy against labeled images (with 95% intervals, per class, most confused pairs), and compare models image by image.")
        {
            dataset, models, images, json, batch, lanes,
        };

        // Every engine option but the single --model, which eval takes one or more of.
        command.Options.Add(engineOptions.CudaGraph);
        command.Options.Add(engineOptions.Tf32);
        command.Options.Add(engineOptions.Offline);
        command.Options.Add(engineOptions.Device);
        command.Options.Add(engineOptions.Threads);
        command.Options.Add(engineOptions.Spin);
        command.Options.Add(engineOptions.Preprocess);
        command.SetAction(parse => AppErrors.Guard(() =>
        {
            void Say(string line) => Console.Error.WriteLine($"alexnet-rt: {ErrorText.OneLine(line)}");
            var wall = System.Diagnostics.Stopwatch.StartNew();
            var data = OpenDataset(parse.GetValue(dataset)!, parse.GetValue(images)?.FullName);
            var jsonTarget = JsonTarget(parse.GetResult(json) is not null, parse.GetValue(json));
            var modelFiles = parse.GetValue(models) is { Length: > 0 } given ? given.Cast<FileInfo?>().ToArray() : new FileInfo?[] { null };
            var inputs = new RunInputs().Add("the dataset's list", data.Source);
            foreach (var model in modelFiles)
            {
                inputs.Add("a model being run", ModelLocator.PathOf(model));
            }

            inputs.AddMany(image => $"the dataset's image {image}", () => data.Entries().Select(entry => entry.Path));
            OutputPath.CheckNotAnInput(inputs, "--json", jsonTarget);
            var threads = parse.GetValue(engineOptions.Threads);
            var device = engineOptions.DeviceOf(parse);
            var options = new EvalOptions
            {
                Batch = parse.GetValue(batch),
                Lanes = LabelCommand.LanesFor(parse.GetValue(lanes), Math.Max(1, threads / modelFiles.Length), parse.GetValue(batch), device),
            };
            if (parse.GetValue(lanes) is > 1 && options.Lanes == 1)
            {
                Say($"--lanes: lanes share a CPU session; --device {parse.GetValue(engineOptions.Device)} may run on a GPU, so one batch runs at a time");
            }

            using var cancel = new Cancellation();
            using var engines = new EvalEngines();

            // Each model's engine says how it opens; what they all say (the device chosen) is said once.
            var said = new HashSet<string>(StringComparer.Ordinal);
            void SayOnce(string line)
            {
                if (said.Add(line))
                {
                    Say(line);
                }
            }

            foreach (var model in modelFiles)
            {
                var path = ModelLocator.Resolve(model, parse.GetValue(engineOptions.Offline), SayOnce, cancel.Token);
                var bound = engineOptions.Bind(parse, options.Batch, fullBatches: true, threads: Math.Max(1, threads / (options.Lanes * modelFiles.Length)));
                engines.Open(path, bound, options.Lanes, SayOnce);
            }

            var labels = engines.Labels();
            var classes = new ClassMap(labels, WeightConverter.Graph.Labels.ImageNet);
            if (data is FolderDataset folder)
            {
                CheckClassFolders(folder, classes);
            }

            foreach (var engine in engines.First.Where(e => e.Contract.Weights == Inference.Contract.WeightsKind.Synthetic))
            {
                Say($"note: {engine.ModelName} has synthetic weights: its answers mean nothing");
            }

            var runner = new EvalRunner(engines.ByModel, options, Say);
            var counts = Run(runner, data, classes, interactive: jsonTarget is not "-" && !Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Interactive, cancel.Token);
            var report = new EvalReport
            {
                Dataset = data.Source,
                DatasetKind = data.Kind,
                Labels = labels,
                WordNetIds = classes.ImageNetOrder ? ImageNetIds.All : null,
                Models = [.. engines.First.Select((e, i) => new EvaluatedModel(engines.Names[i], engines.Paths[i], e.Device, counts.Tallies[i],
                    Output.ModelPrecision.Of(e.Contract), Output.ModelPrecision.Top1Agreement(e.Contract), Output.ModelPrecision.Forced(e.Contract)))],
                Agreement = counts.Agreement,
                Entries = counts.Entries,
                Classified = counts.Classified,
                Failures = counts.Failures,
                Elapsed = counts.Elapsed,
                Cancelled = counts.Cancelled,
                ImagesOutsideClasses = (data as FolderDataset)?.ImagesOutsideClasses ?? 0,
            };

            if (counts.Entries == 0 && counts.Cancelled)
            {
                Console.Error.WriteLine("alexnet-rt: cancelled");
                return AppErrors.Cancelled;
            }

            if (counts.Entries == 0)
            {
                throw new AppException($"{data.Source}: no labeled images in it");
            }

            if (jsonTarget == "-")
            {
                Console.Out.Write(System.Text.Encoding.UTF8.GetString(EvalJson.Write(report)));
            }
            else
            {
                EvalTable.Write(report, Console.Out);
                if (jsonTarget is not null)
                {
                    OutputFile.Write(jsonTarget, EvalJson.Write(report), "--json");
                }
            }

            Say(string.Create(CultureInfo.InvariantCulture,
                $"{counts.Entries} images, {counts.Classified} evaluated, {counts.Failures.Count} failed, {counts.Classified / Math.Max(counts.Elapsed.TotalSeconds, 1e-3):0.0} images/s ({wall.Elapsed.TotalSeconds:0.0} s in all, loading the models included){(counts.Cancelled ? " (stopped part-way)" : "")}"));
            if (counts.Classified == 0)
            {
                Say($"no image could be evaluated{(data is ListDataset ? " (are the paths right? relative ones are under --images, else the list's folder)" : "")}");
            }

            return counts.Cancelled ? AppErrors.Cancelled
                : counts.Failures.Count > 0 || counts.Classified == 0 || counts.Tallies.Any(t => t.NonFinite > 0) ? AppErrors.Failed
                : AppErrors.Ok;
        }));
        return command;
    }

    private static IDataset OpenDataset(string path, string? images)
    {
        if (Directory.Exists(path))
        {
            if (images is not null)
            {
                throw new AppException($"--images: {path} is a folder of class folders; --images is where a list's images lie");
            }

            var folder = new FolderDataset(path);
            return folder.ClassFolders.Count > 0
                ? folder
                : throw new AppException($"{path}: no class folders in it (eval wants one sub-folder per class, named by class name, WordNet id or index, or a CSV/TSV list of path,label)");
        }

        if (images is not null && !Directory.Exists(images))
        {
            throw new AppException($"--images {images}: no such folder");
        }

        if (!File.Exists(path))
        {
            throw new AppException($"{path}: no such folder or list file");
        }

        var extension = Path.GetExtension(path);
        return !LabelInputs.IsImage(extension) && !LabelInputs.IsVideo(extension)
            ? new ListDataset(path, images)
            : throw new AppException($"{path}: an image or video, not a dataset (eval wants a folder of class folders, or a CSV/TSV list of path,label; 'classify' prints one image's classes)");
    }

    /// <summary>Where the JSON goes: null (none), "-" (stdout) or a file checked writable.</summary>
    private static string? JsonTarget(bool asked, string? value)
    {
        if (!asked)
        {
            return null;
        }

        if (value is null or "-")
        {
            return "-";
        }

        if (Directory.Exists(value))
        {
            throw new AppException($"--json {value}: that is a folder; give a file name (or '-' for stdout, or put --json after the dataset)");
        }

        OutputPath.CheckFile("--json", value);
        return Path.GetFullPath(value);
    }

    /// <summary>Every class folder must name a class: a typo would otherwise drop a class from the figures.</summary>
    private static void CheckClassFolders(FolderDataset folder, ClassMap classes)
    {
        var unmapped = folder.ClassFolders.Select(name => (name, classes.Map(name).Problem)).Where(p => p.Problem is not null).ToList();
        if (unmapped.Count > 0)
        {
            var first = unmapped[0];
            throw new AppException(string.Create(CultureInfo.InvariantCulture,
                $"{folder.Source}: {unmapped.Count} of its {folder.ClassFolders.Count} class folders name no class of the model; the first, {first.name}: {first.Problem}"));
        }
    }

    private static EvalCounts Run(EvalRunner runner, IDataset data, ClassMap classes, bool interactive, CancellationToken cancel)
    {
        if (!interactive)
        {
            var plain = new PlainEvalProgress(Console.Error);
            _ = CountInBackground(data, plain, cancel);
            return runner.Run(data, classes, plain, cancel);
        }

        EvalCounts? counts = null;
        AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .Start(context =>
            {
                var bar = new SpectreEvalProgress(context);
                _ = CountInBackground(data, bar, cancel);
                counts = runner.Run(data, classes, bar, cancel);
            });
        return counts!;
    }

    /// <summary>The dataset's size for the ETA, counted while the run goes (a list's lines, a folder's images).</summary>
    private static Task CountInBackground(IDataset data, IEvalProgress progress, CancellationToken cancel) => Task.Run(
        () =>
    {
        try
        {
            progress.SetTotal(data.Count(cancel));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or OperationCanceledException)
        {
            // Only the ETA needs it: the run itself says what is wrong with the dataset.
        }
    }, CancellationToken.None);
}
