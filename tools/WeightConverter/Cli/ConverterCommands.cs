using System.CommandLine;
using System.Text.Json;
using AlexNet.Realtime.CommandLine;
using AlexNet.Realtime.Inference.Contract;
using AlexNet.Realtime.WeightConverter.Architecture;
using AlexNet.Realtime.WeightConverter.Fetching;
using AlexNet.Realtime.WeightConverter.Graph;
using AlexNet.Realtime.WeightConverter.Quantization;
using AlexNet.Realtime.WeightConverter.Weights;

namespace AlexNet.Realtime.WeightConverter.Cli;

/// <summary>The <c>alexnet-convert</c> command line.</summary>
public static class ConverterCommands
{
    public static RootCommand Create()
    {
        var root = new RootCommand("alexnet-convert: trained AlexNet weights in, one self-describing ONNX model out (preprocessing and top-K in the graph).");
        root.Subcommands.Add(Convert());
        root.Subcommands.Add(Fetch());
        root.Subcommands.Add(Synthetic());
        root.Subcommands.Add(ImportOnnx());
        root.Subcommands.Add(Inspect());
        return root;
    }

    private static Command Convert()
    {
        var weights = new Argument<FileInfo>("weights") { Description = "A PyTorch .pth/.pt (zip or legacy) or .safetensors file." };
        var output = CommonOptions.Output();
        var arch = new Option<string>("--arch") { Description = "auto, torchvision or paper.", DefaultValueFactory = _ => "auto" }
            .AcceptOnlyFromAmong("auto", "torchvision", "paper");
        var labels = CommonOptions.Labels();
        var top = CommonOptions.Top();
        var input = CommonOptions.Input();
        var quiet = CommonOptions.Quiet();
        var exact = CommonOptions.ExactResize();
        var fcOps = CommonOptions.FcOps();
        var allowNonfinite = new Option<bool>("--allow-nonfinite")
        {
            Description = "Convert weights that hold NaN or infinity (refused by default: the model would answer NaN), with a warning and nonfinite_weights in the contract.",
        };
        var precision = new PrecisionOptions();
        var command = new Command("convert", "Convert trained weights into an ONNX model with preprocessing, Softmax and TopK inside.")
        {
            weights, output, arch, labels, top, input, exact, fcOps, allowNonfinite, quiet,
        };
        precision.All.ToList().ForEach(command.Options.Add);
        command.SetAction(parse => CliErrors.Guard(() =>
        {
            CheckOutput(parse.GetValue(output)!, parse.GetValue(weights)!, parse.GetValue(labels), precision.CalibrationSources(parse));
            var steps = new Steps(parse.GetValue(quiet));
            var source = parse.GetValue(weights)!;
            var labelList = parse.GetValue(labels) is { } labelFile ? Graph.Labels.ReadFile(labelFile.FullName) : null;
            var options = CliErrors.Flags.Build(() => new ModelOptions
            {
                Input = CommonOptions.ParseLayout(parse.GetValue(input)),
                TopK = parse.GetValue(top),
                Labels = labelList,
                SourceFile = source.Name,
                Weights = WeightsKind.Pretrained,
                PilExactResize = parse.GetValue(exact),
                Dense = precision.Dense(parse, fcOps),
            });
            var forced = parse.GetValue(arch) switch
            {
                "torchvision" => AlexNetArch.Torchvision,
                "paper" => (AlexNetArch?)AlexNetArch.Paper,
                _ => null,
            };
            var request = precision.Read(parse);
            CheckpointConversion.Run(source.FullName, parse.GetValue(output)!.FullName, options, forced, steps, parse.GetValue(allowNonfinite),
                finish: model => PrecisionConversion.Apply(model, request, steps));
            return 0;
        }));
        return command;
    }

    private static Command Fetch()
    {
        var weights = new Option<string>("--weights")
        {
            Description = "Which of torchvision's AlexNet weights.",
            DefaultValueFactory = _ => PretrainedWeights.ImageNet1kV1.Name,
        }.AcceptOnlyFromAmong([.. PretrainedWeights.Catalog.Select(w => w.Name)]);
        var output = new Option<FileInfo>("--output", "-o")
        {
            Description = "The ONNX model to write (written to a temporary file, then renamed).",
            DefaultValueFactory = _ => new FileInfo(ModelPaths.Default),
        };
        var offline = new Option<bool>("--offline")
        {
            Description = $"Use only the weights already in PyTorch's cache; never the network (also {DownloadOptions.OfflineVariable}=1).",
        };
        var top = CommonOptions.Top();
        var exact = CommonOptions.ExactResize();
        var fcOps = CommonOptions.FcOps();
        var quiet = CommonOptions.Quiet();
        var precision = new PrecisionOptions();
        var command = new Command(
            "fetch",
            "Get torchvision's pretrained weights and convert them: from PyTorch's cache ($TORCH_HOME/hub/checkpoints, else ~/.cache/torch/hub/checkpoints) if there, else downloaded into it (resumable, SHA-256 checked).")
        {
            weights, output, offline, top, exact, fcOps, quiet,
        };
        precision.All.ToList().ForEach(command.Options.Add);
        command.SetAction(parse => CliErrors.Guard(() =>
        {
            var target = parse.GetValue(output)!;
            CheckOutput(target, input: null, labels: null, precision.CalibrationSources(parse));
            var request = precision.Read(parse);
            var steps = new Steps(parse.GetValue(quiet));
            var entry = PretrainedWeights.Named(parse.GetValue(weights)!).WithTestOverrides(Environment.GetEnvironmentVariable);
            var download = new DownloadOptions
            {
                OfflineReason = parse.GetValue(offline) ? "--offline" : DownloadOptions.OfflineFromEnvironment(Environment.GetEnvironmentVariable),
            };
            // The model written over the weights it is made from would lose them (and the next
            // fetch would find a file of the wrong hash): refused before any download.
            var cached = PretrainedFetcher.CachedPath(entry, download);
            if (OutputCheck.SameFile(cached, target.FullName))
            {
                throw new ConversionException($"--output {target.FullName}: that is where the weights are kept ({cached}); the model would replace them, so choose another name");
            }

            IDownloadProgress progress = parse.GetValue(quiet) ? SilentProgress.Instance : new ConsoleDownloadProgress("");
            string source;
            try
            {
                source = PretrainedFetcher.Obtain(entry, download, progress);
            }
            catch (WeightsUnavailableException e)
            {
                throw new ConversionException($"{e.Message}; {PretrainedFetcher.HowToGet(entry, target.FullName, download.CacheDirectory)}", e);
            }

            steps.Info($"weights: {source} (SHA-256 checked)");
            var options = CliErrors.Flags.Build(() => new ModelOptions
            {
                TopK = parse.GetValue(top),
                SourceSha256 = entry.Sha256,
                Weights = WeightsKind.Pretrained,
                PilExactResize = parse.GetValue(exact),
                Dense = precision.Dense(parse, fcOps),
            });
            CheckpointConversion.Run(source, target.FullName, options, forced: null, steps, finish: model => PrecisionConversion.Apply(model, request, steps));
            return 0;
        }));
        return command;
    }

    private static Command Synthetic()
    {
        var output = CommonOptions.Output();
        var arch = new Option<string>("--arch") { Description = "torchvision or paper.", DefaultValueFactory = _ => "torchvision" }
            .AcceptOnlyFromAmong("torchvision", "paper");
        var classes = new Option<int>("--classes") { Description = "Number of classes.", DefaultValueFactory = _ => 1000 };
        var seed = new Option<ulong>("--seed") { Description = "Seed of the deterministic weights.", DefaultValueFactory = _ => 1UL };
        var top = CommonOptions.Top();
        var input = CommonOptions.Input();
        var labels = CommonOptions.Labels();
        var quiet = CommonOptions.Quiet();
        var exact = CommonOptions.ExactResize();
        var fcOps = CommonOptions.FcOps();
        var precision = new PrecisionOptions();
        var command = new Command("synthetic", "Write a full-size AlexNet with deterministic random weights (marked synthetic), for demos, benchmarks and tests.")
        {
            output, arch, classes, seed, top, input, labels, exact, fcOps, quiet,
        };
        precision.All.ToList().ForEach(command.Options.Add);
        command.SetAction(parse => CliErrors.Guard(() =>
        {
            CheckOutput(parse.GetValue(output)!, null, parse.GetValue(labels), precision.CalibrationSources(parse));
            var steps = new Steps(parse.GetValue(quiet));
            var classCount = parse.GetValue(classes);
            if (classCount < 1)
            {
                throw new ConversionException($"--classes must be 1 or more, got {classCount}");
            }

            var archValue = parse.GetValue(arch) == "paper" ? AlexNetArch.Paper : AlexNetArch.Torchvision;
            var seedValue = parse.GetValue(seed);
            var options = CliErrors.Flags.Build(() => new ModelOptions
            {
                Input = CommonOptions.ParseLayout(parse.GetValue(input)),
                TopK = parse.GetValue(top),
                Labels = parse.GetValue(labels) is { } labelFile ? Graph.Labels.ReadFile(labelFile.FullName) : null,
                SourceFile = SyntheticWeights.SourceName(archValue, seedValue),
                SourceSha256 = "",
                Weights = WeightsKind.Synthetic,
                PilExactResize = parse.GetValue(exact),
                Dense = precision.Dense(parse, fcOps),
            });
            var request = precision.Read(parse);
            var spec = SyntheticWeights.FullSize(archValue, classCount);
            var state = steps.Run("generating weights", () => SyntheticWeights.Generate(spec, seedValue));
            var model = PrecisionConversion.Apply(steps.Run("building the graph", () => AlexNetModelBuilder.Build(spec, state, options)), request, steps);
            var target = parse.GetValue(output)!;
            steps.Run($"writing {target.Name}", () => ModelFile.Write(model, target.FullName));
            return 0;
        }));
        return command;
    }

    private static Command ImportOnnx()
    {
        var source = new Argument<FileInfo>("model") { Description = "An AlexNet ONNX file, such as the model zoo's bvlc_alexnet." };
        var output = CommonOptions.Output();
        var labels = CommonOptions.Labels();
        var top = CommonOptions.Top();
        var quiet = CommonOptions.Quiet();
        var exact = CommonOptions.ExactResize();
        var fcOps = CommonOptions.FcOps();
        var command = new Command("import-onnx", "Wrap an existing AlexNet ONNX graph with the frame preprocessing, top-K head and contract.")
        {
            source, output, labels, top, exact, fcOps, quiet,
        };
        command.SetAction(parse => CliErrors.Guard(() =>
        {
            CheckOutput(parse.GetValue(output)!, parse.GetValue(source)!, parse.GetValue(labels));
            var steps = new Steps(parse.GetValue(quiet));
            var file = parse.GetValue(source)!;
            var original = steps.Run($"reading {file.Name}", () => ModelFile.Read(file.FullName));

            // A graph that computes its weights (the zoo's light test graph: ConstantOfShape, all
            // ones) holds nothing trained: marked synthetic, so that alexnet-rt says its labels mean nothing.
            var madeInGraph = ZooImporter.WeightsMadeInGraph(original);
            if (madeInGraph is not null)
            {
                steps.Info($"note: the graph's weights are made by {madeInGraph}, not stored trained values: the model is marked synthetic (its labels mean nothing)");
            }

            var options = CliErrors.Flags.Build(() => new ModelOptions
            {
                TopK = parse.GetValue(top),
                Labels = parse.GetValue(labels) is { } labelFile ? Graph.Labels.ReadFile(labelFile.FullName) : null,
                SourceFile = file.Name,
                SourceSha256 = ModelFile.Sha256(file.FullName),
                Weights = madeInGraph is null ? WeightsKind.Pretrained : WeightsKind.Synthetic,
                PilExactResize = parse.GetValue(exact),
                Dense = CommonOptions.ParseFcOps(parse.GetValue(fcOps)),
            });
            var model = steps.Run("wrapping the graph", () => ZooImporter.Import(original, options));
            var target = parse.GetValue(output)!;
            steps.Run($"writing {target.Name}", () => ModelFile.Write(model, target.FullName));
            return 0;
        }));
        return command;
    }

    private static Command Inspect()
    {
        var model = new Argument<FileInfo>("model") { Description = "An ONNX model." };
        var command = new Command("inspect", "Print a model's contract and input/output signature as JSON.") { model };
        command.SetAction(parse => CliErrors.Guard(() =>
        {
            var file = parse.GetValue(model)!;
            var report = ModelInspector.Inspect(ModelFile.Read(file.FullName), file.Name);
            Console.Out.WriteLine(JsonSerializer.Serialize(report, InspectJsonContext.Default.InspectReport));
            return 0;
        }));
        return command;
    }

    /// <summary>
    /// The model's file can be written, and is not an input (the model would replace the trained
    /// weights, the labels or a calibration picture): said before the weights are read, not after.
    /// Files compare by identity, so a link to an input is refused too (<see cref="RunInputs"/>).
    /// </summary>
    private static void CheckOutput(FileInfo target, FileInfo? input, FileInfo? labels, IReadOnlyList<string>? calibration = null)
    {
        var inputs = new RunInputs().Add("the input", input?.FullName).Add("the --labels file", labels?.FullName);
        foreach (var source in calibration ?? [])
        {
            if (Directory.Exists(source))
            {
                var everyFile = new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true };
                inputs.AddMany(file => $"a --calibrate file {file}", () => Directory.EnumerateFiles(source, "*", everyFile));
            }
            else
            {
                inputs.Add("a --calibrate file", source);
            }
        }

        if (inputs.Problem("--output", target.FullName) is { } clash)
        {
            throw new ConversionException(clash);
        }

        if (OutputCheck.FileProblem("--output", target.FullName) is { } problem)
        {
            throw new ConversionException(problem);
        }
    }
}
