using System.CommandLine;
using System.Globalization;
using AlexNet.Realtime.App.Labeling;
using AlexNet.Realtime.Capture;
using AlexNet.Realtime.Inference;
using AlexNet.Realtime.CommandLine;
using Spectre.Console;

namespace AlexNet.Realtime.App.Commands;

/// <summary><c>alexnet-rt label &lt;inputs...&gt;</c>: every frame of videos, images and folders into JSONL or CSV.</summary>
internal static class LabelCommand
{
    public static Command Create()
    {
        var inputs = new Argument<string[]>("inputs") { Description = "Video files, image files, folders (recursive) and globs.", Arity = ArgumentArity.OneOrMore };
        var output = new Option<FileInfo>("--output", "-o") { Description = "results.jsonl or results.csv (rows are appended and flushed as they come).", Required = true };
        var format = new Option<string?>("--format") { Description = "jsonl or csv (default: from the output's extension)." }.AcceptOnlyFromAmong("jsonl", "csv");
        var annotated = new Option<DirectoryInfo?>("--annotated") { Description = "Write each input again with the overlay drawn into this folder (video in, video out)." };
        var every = new Option<int>("--every") { Description = "Label every Nth frame.", DefaultValueFactory = _ => 1 };
        var batch = new Option<int>("--batch", "-b") { Description = "Frames per inference call: larger batches label faster, up to a point that depends on the machine (bench/README.md), and hold more frames in memory; the rows are the same at any batch.", DefaultValueFactory = _ => 8 };
        var resume = new Option<bool>("--resume") { Description = "Continue an interrupted run: frames already in the output are skipped." };
        var shard = new Option<string?>("--shard") { Description = "i/n: label only the i-th of n contiguous slices of the sorted inputs (run the n shards anywhere, concatenate the outputs in order)." };
        var top = new Option<int?>("--top", "-k") { Description = "Classes per row (default: the model's K)." };
        var lanes = new Option<int?>("--lanes")
        {
            Description = "CPU: batches classified side by side, each on its own share of --threads over one shared model (default: one lane a thread when --batch is over 1, else 1; 1 runs one batch at a time on all the threads). The rows are the same either way.",
        };
        var decoder = CaptureOptionsBinder.DecoderOption();

        // Rows are each frame's own answer unless asked: a dataset's labels are per frame.
        var smoothing = SteadyLabelOptions.Smoothing(0, "(default 0: each frame's own answer; over the frames labeled, so with --every N over every Nth)");
        var engineOptions = new EngineOptionsBinder();
        var command = new Command("label", "Label every frame of videos, images and folders into JSONL or CSV, optionally with an annotated copy.")
        {
            inputs, output, format, annotated, every, batch, resume, shard, top, lanes, decoder, smoothing,
        };
        engineOptions.AddTo(command);
        command.SetAction(parse => AppErrors.Guard(() =>
        {
            void Say(string line) => Console.Error.WriteLine($"alexnet-rt: {ErrorText.OneLine(line)}");
            var wall = System.Diagnostics.Stopwatch.StartNew();
            var outputPath = LabelOptions.OutputPath(parse.GetValue(output)!.ToString());
            var options = new LabelOptions
            {
                Inputs = parse.GetValue(inputs)!,
                Output = outputPath,
                Format = LabelOptions.FormatFor(outputPath, parse.GetValue(format)),
                AnnotatedDirectory = parse.GetValue(annotated)?.FullName,
                Every = parse.GetValue(every),
                Batch = parse.GetValue(batch),
                Resume = parse.GetValue(resume),
                Shard = parse.GetValue(shard),
                Top = parse.GetValue(top),
                Smoothing = parse.GetValue(smoothing),
                Decoder = CaptureOptionsBinder.ResolveDecoder(parse, decoder),
                Lanes = LanesFor(parse.GetValue(lanes), parse.GetValue(engineOptions.Threads), parse.GetValue(batch), engineOptions.DeviceOf(parse)),
            };
            if (parse.GetValue(lanes) is > 1 && options.Lanes == 1)
            {
                Say($"--lanes: lanes share a CPU session; --device {parse.GetValue(engineOptions.Device)} may run on a GPU, so one batch runs at a time");
            }

            TopOption.CheckBeforeTheModel(options.Top);
            using var cancel = new Cancellation();
            if (options.Resume && LabelOptions.IsStream(options.Output))
            {
                throw new AppException($"--resume: {options.Output} is a device or a pipe, which can't be read back; give a file name");
            }

            // The inputs are listed (a bad list, or outputs that would land on an input, fail
            // before the model loads), their frames counted for the progress bars and the first
            // one's decoding started while the engine opens: each takes a while, none needs the others.
            using var prepared = Prepare(options);
            var model = new RunInputs().Add("the model being run", OutputPath.ModelPathOf(parse, engineOptions));
            OutputPath.CheckNotAnInput(model, "--output", options.Output);
            OutputPath.CheckNotAnInput(model, "--output", LabelRunInfo.PathFor(options.Output));
            if (options.AnnotatedDirectory is { } annotatedFolder && OutputCheck.SameFile(annotatedFolder, options.Output))
            {
                // Checked before the folder is made, which would leave the rows no file to go to.
                throw new AppException($"--output {options.Output}: that is the --annotated folder; give the rows another name");
            }

            OutputPath.CheckFile("--output", options.Output, writesThrough: true);
            OutputPath.CheckFolder("--annotated", options.AnnotatedDirectory);
            if (prepared.Inputs.Count == 0)
            {
                if (!options.Resume || !File.Exists(options.Output))
                {
                    // No rows, and no CSV header either (its columns depend on the model, not opened).
                    File.WriteAllBytes(options.Output, []);
                }

                Say($"--shard {options.Shard}: no inputs fall in this shard (there are fewer inputs than shards); the output is empty");
                return AppErrors.Ok;
            }

            var threads = parse.GetValue(engineOptions.Threads);
            using var engine = engineOptions.Open(parse, Say, maxBatch: options.Batch, fullBatches: true, threads: Math.Max(1, threads / options.Lanes), cancel: cancel.Token);
            var summary = Run(options, engine, Say, rowsWritten: null, cancel.Token, prepared);
            Say(string.Create(CultureInfo.InvariantCulture,
                $"{summary.Files} files, {summary.Frames} frames, {summary.Rows} rows, {summary.Failed} failed, {summary.FramesPerSecond:0.0} frames/s ({wall.Elapsed.TotalSeconds:0.0} s in all, loading the model included){(summary.Cancelled ? " (stopped: run again with --resume)" : "")}"));
            if (summary.NonFiniteRows > 0)
            {
                Say($"{summary.NonFiniteRows} of the rows have probabilities that are not numbers (null, with an error field): the model's weights may hold NaN or Inf");
            }

            return summary.Cancelled ? AppErrors.Cancelled : summary.Failed > 0 || summary.NonFiniteRows > 0 ? AppErrors.Failed : AppErrors.Ok;
        }));
        return command;
    }

    /// <summary>
    /// Lanes asked for, else one a thread on the CPU when batches hold more than one frame. Why: the
    /// decoder runs on its own thread, and where one session spans every thread it stalls all of
    /// them in each parallel op; single-threaded lanes over one session go on while one of them is
    /// held up. At batch 1 one lane is better: each frame then reads all the fully connected
    /// weights, which one thread reads more slowly than several (the measurements: bench/README.md,
    /// "Lanes"). A device that may be a GPU gets one lane, asked or not. On machines with more
    /// cores than were measured (up to 4 threads by default, so up to 4 lanes) this is a judgement.
    /// </summary>
    internal static int LanesFor(int? asked, int threads, int batch, Inference.Devices.DeviceRequest device) =>
        !device.CpuOnly ? 1 : asked ?? (batch > 1 ? Math.Clamp(threads, 1, 16) : 1);

    /// <summary>Runs a labeling job (the command's body; tests call it to stop a run part-way).</summary>
    /// <param name="engine">Opened with a batch of at least <see cref="LabelOptions.Batch"/>.</param>
    /// <param name="prepared">The inputs and their frame counts, from <see cref="Prepare"/>; made here when null.</param>
    internal static LabelSummary Run(LabelOptions options, Inference.Engine.ClassifierEngine engine, Action<string> say, Action<long>? rowsWritten, CancellationToken cancel, PreparedInputs? prepared = null)
    {
        using var owned = prepared is null ? Prepare(options) : null;
        prepared ??= owned!;
        var inputs = prepared.Inputs;

        var k = options.Top ?? engine.Contract.TopK;
        if (k < 1 || k > engine.Contract.TopK)
        {
            throw new AppException($"--top {k}: the model returns its top {engine.Contract.TopK}; use 1..{engine.Contract.TopK}");
        }

        var laneCount = options.Lanes;
        if (laneCount > 1 && engine.DeviceKind != Inference.Devices.DeviceKind.Cpu)
        {
            throw new AppException($"--lanes {laneCount}: lanes share a CPU session; this engine runs on {engine.Device}");
        }

        var decoder = CaptureOptions.Resolve(options.Decoder);
        var info = new LabelRunInfo(engine.ModelName, engine.Contract.SourceFile, engine.Contract.SourceSha256, engine.Contract.Weights.ToString().ToLowerInvariant(),
            laneCount > 1 ? $"{engine.Device} x {laneCount} lanes" : engine.Device, decoder.ToString().ToLowerInvariant(), k, options.Every, options.Format.ToString().ToLowerInvariant(), options.Shard, inputs.Count,
            Capture.DecoderVersion.Of(decoder), engine.PreprocessingPlace, options.Smoothing,
            Output.ModelPrecision.Of(engine.Contract), Output.ModelPrecision.Top1Agreement(engine.Contract));
        // The output is opened (created, not truncated) and locked before it is read or emptied:
        // a second run on it is refused here, and one that is refused changes nothing.
        var stream = LabelOptions.IsStream(options.Output);
        if (!stream)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(options.Output)!);
        }

        using var rows = new RowWriter(options.Output, options.Format, k, prepared.InputIdentities);
        var resume = ResumeState.Empty;
        if (options.Resume)
        {
            var previous = LabelRunInfo.Read(options.Output);
            if (previous is not null && !previous.SameJobAs(info))
            {
                throw new AppException($"--resume: {options.Output} was written by another job (model {previous.Model}, {previous.PrecisionOrFp32}, top {previous.TopK}, every {previous.Every}, {previous.Format}, decoder {previous.Decoder ?? "opencv"}, smoothing {previous.Smoothing.ToString(System.Globalization.CultureInfo.InvariantCulture)}); remove it, drop --resume, or ask for the same job");
            }

            resume = ResumeState.Load(rows.Stream, options.Output, options.Format);
            if (previous is null && resume.Rows > 0)
            {
                // Rows don't say which model made them; the side file does. Without it, rows of
                // another model could be continued with this one's.
                throw new AppException($"--resume: {options.Output} has {resume.Rows} rows but no {Path.GetFileName(LabelRunInfo.PathFor(options.Output))}, the side file that says which model and settings wrote them; not resuming it (remove {Path.GetFileName(options.Output)} to start over, or drop --resume)");
            }

            say($"resuming after {resume.Rows} rows");
        }

        // The side file first, then the rows: an output never holds rows without it.
        if (!stream)
        {
            info.Write(options.Output);
        }

        rows.Start(append: options.Resume);

        // Lanes share the engine's CPU session.
        var lanes = new List<Inference.Engine.ClassifierEngine> { engine };
        using var laneOwner = new LaneSet(lanes);
        for (var i = 1; i < laneCount; i++)
        {
            lanes.Add(engine.OpenLane());
        }

        var runner = new LabelRunner(lanes, options, say) { RowsWritten = rowsWritten };
        if (!stream && !Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Interactive)
        {
            LabelSummary? summary = null;
            AnsiConsole.Progress()
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new FramesPerSecondColumn(), new RemainingTimeColumn())
                .Start(context => summary = runner.Run(inputs, prepared.FrameCounts.GetAwaiter().GetResult(), rows, resume, (files, frames) => new SpectreLabelProgress(context, files, frames), cancel, prepared.TakeFirstDecoder()));
            rows.Complete();
            return summary!;
        }

        var done = runner.Run(inputs, prepared.FrameCounts.GetAwaiter().GetResult(), rows, resume, (files, frames) => new PlainLabelProgress(files, frames, Console.Error), cancel, prepared.TakeFirstDecoder());
        rows.Complete();
        return done;
    }

    /// <summary>
    /// Lists the inputs (this shard's), starts counting their frames on the thread pool and, for a
    /// fresh run (not <c>--resume</c>, which first reads the output), starts decoding the first.
    /// </summary>
    internal static PreparedInputs Prepare(LabelOptions options)
    {
        var all = LabelInputs.Expand(options.Inputs);
        if (options.AnnotatedDirectory is { } annotated)
        {
            // An input folder holding the --annotated folder would take last run's copies as inputs.
            static string Folder(string path) => Path.GetFullPath(path).TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar;
            var under = Folder(annotated);
            if (options.Inputs.Any(a => Directory.Exists(a) && under.StartsWith(Folder(a), StringComparison.Ordinal) && under != Folder(a)))
            {
                all = [.. all.Where(i => !Path.GetFullPath(i.Path).StartsWith(under, StringComparison.Ordinal))];
            }
        }

        if (all.Count == 0)
        {
            throw new AppException("no inputs to label");
        }

        // A shard past the inputs (more shards than files) has nothing to do, which is no failure
        // in an array job: its output is empty, and concatenates as nothing.
        var inputs = LabelInputs.Shard(all, options.Shard);
        if (inputs.Count == 0)
        {
            return new PreparedInputs(inputs, Task.FromResult(Array.Empty<long>()), null, new HashSet<FileIdentity>());
        }

        if (inputs.FirstOrDefault(i => OutputCheck.SameFile(i.Path, options.Output) || OutputCheck.SameFile(i.Path, LabelRunInfo.PathFor(options.Output))) is { } clash)
        {
            // A fresh run starts by removing an old output: here that would be the input itself.
            throw new AppException($"--output {options.Output}: that is the input {clash.Name}; choose another name");
        }

        Annotation.CheckTargets(options.AnnotatedDirectory, inputs, options.Output);

        // Each input's identity, read once: the output opened is checked against them (a link
        // made after this check, or a name resolved differently, is still caught there).
        var identities = inputs.Select(i => FileIdentity.Of(i.Path)).OfType<FileIdentity>().ToHashSet();
        var counts = Task.Run(() => LabelRunner.CountFrames(inputs, options.Decoder));
        return new PreparedInputs(inputs, counts, options.Resume ? null : InputDecoder.Start(inputs[0], options.FramesHeld, options.Batch, options.Decoder), identities);
    }
}

/// <summary>
/// The inputs of a labeling job, the frames each holds once counted (for progress and ETA), and
/// possibly the first input's decoder, already started. Owns that decoder until it is taken.
/// </summary>
internal sealed class PreparedInputs(IReadOnlyList<LabelInput> inputs, Task<long[]> frameCounts, InputDecoder? firstDecoder, IReadOnlySet<FileIdentity> inputIdentities) : IDisposable
{
    private InputDecoder? _firstDecoder = firstDecoder;

    public IReadOnlyList<LabelInput> Inputs { get; } = inputs;

    /// <summary>Which files the inputs are (device and inode), for outputs to be checked against.</summary>
    public IReadOnlySet<FileIdentity> InputIdentities { get; } = inputIdentities;

    public Task<long[]> FrameCounts { get; } = frameCounts;

    /// <summary>The first input's decoder, handed over to the caller (null after the first call).</summary>
    public InputDecoder? TakeFirstDecoder() => Interlocked.Exchange(ref _firstDecoder, null);

    public void Dispose() => TakeFirstDecoder()?.Dispose();
}
