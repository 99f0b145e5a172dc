using AlexNet.Realtime.Capture;
using System.CommandLine;
using AlexNet.Realtime.CommandLine;

namespace AlexNet.Realtime.App.Commands;

/// <summary>alexnet-rt's outputs checked writable, and not one of the run's inputs, before any work (<see cref="OutputCheck"/>, <see cref="RunInputs"/>).</summary>
internal static class OutputPath
{
    /// <exception cref="AppException">The file can't be written there, said in one line naming <paramref name="option"/>.</exception>
    /// <param name="writesThrough">The output is opened and written into, not renamed over (see <see cref="OutputCheck.FileProblem"/>).</param>
    public static void CheckFile(string option, string? path, bool writesThrough = false)
    {
        if (OutputCheck.FileProblem(option, path, writesThrough) is { } problem)
        {
            throw new AppException(problem);
        }
    }

    /// <exception cref="AppException">The folder can't take a new file, said in one line naming <paramref name="option"/>.</exception>
    public static void CheckFolder(string option, string? folder)
    {
        if (OutputCheck.FolderProblem(option, folder) is { } problem)
        {
            throw new AppException(problem);
        }
    }

    /// <summary>
    /// The files a run of live or profile reads: the model (given, else the default one) and the
    /// video or images being played.
    /// </summary>
    public static RunInputs InputsOf(ParseResult parse, EngineOptionsBinder engine, SourceSpec spec) =>
        new RunInputs().Add("the model being run", ModelPathOf(parse, engine)).AddSource(spec);

    /// <summary>The model file a run will open: <c>--model</c>, else the default path (made there on first use).</summary>
    public static string ModelPathOf(ParseResult parse, EngineOptionsBinder engine) =>
        ModelLocator.PathOf(parse.GetValue(engine.Model));

    /// <summary>Adds the files of a video or image source (none for a camera, stream or the synthetic pattern).</summary>
    public static RunInputs AddSource(this RunInputs inputs, SourceSpec spec)
    {
        if (spec.Kind is SourceKind.Camera or SourceKind.Stream or SourceKind.Synthetic)
        {
            return inputs;
        }

        foreach (var file in spec.Files ?? [spec.Text])
        {
            inputs.Add("the source being played", file);
        }

        return inputs;
    }

    /// <summary>An output named as one of the run's inputs would replace it when written.</summary>
    /// <exception cref="AppException">It is an input, said in one line naming <paramref name="option"/> and the input.</exception>
    public static void CheckNotAnInput(RunInputs inputs, string option, string? path)
    {
        if (inputs.Problem(option, path) is { } problem)
        {
            throw new AppException(problem);
        }
    }
}
