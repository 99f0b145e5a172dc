namespace AlexNet.Realtime.App.Evaluation;

/// <summary>One model of an evaluation and what it scored.</summary>
/// <param name="Precision">The model's arithmetic from its contract (fp32, fp16, int8, int8-fc): eval is how a reduced model is compared with fp32 on labeled images.</param>
/// <param name="ConverterTop1Agreement">A reduced model's top-1 agreement with fp32 as the converter measured it (its contract); null for fp32 or where none was recorded.</param>
/// <param name="Forced">The reduced model was written below the converter's agreement threshold (<c>--force</c>).</param>
internal sealed record EvaluatedModel(string Name, string Path, string Device, AccuracyTally Tally, string Precision = "fp32", double? ConverterTop1Agreement = null, bool Forced = false);

/// <summary>An evaluation's outcome: what was read, what each model scored, how the models agree.</summary>
internal sealed class EvalReport
{
    public required string Dataset { get; init; }

    /// <summary>"folder" or "list".</summary>
    public required string DatasetKind { get; init; }

    /// <summary>The models' class names (all models of a run have the same).</summary>
    public required IReadOnlyList<string> Labels { get; init; }

    /// <summary>Each class's ImageNet WordNet id, when the classes are ImageNet-1k's in its order; else null.</summary>
    public IReadOnlyList<string>? WordNetIds { get; init; }

    public required IReadOnlyList<EvaluatedModel> Models { get; init; }

    public required AgreementTally Agreement { get; init; }

    /// <summary>The dataset's entries read (classified or failed).</summary>
    public required long Entries { get; init; }

    /// <summary>Images every model classified: what the accuracies are over.</summary>
    public required long Classified { get; init; }

    public required FailureLog Failures { get; init; }

    public required TimeSpan Elapsed { get; init; }

    /// <summary>The run was stopped part-way (Ctrl-C): the figures are over the images done.</summary>
    public bool Cancelled { get; init; }

    /// <summary>Images in a folder dataset's top folder, in no class folder: not evaluated.</summary>
    public int ImagesOutsideClasses { get; init; }

    /// <summary>The classes with images in the dataset, by index.</summary>
    public IEnumerable<int> ClassesSeen => Enumerable.Range(0, Labels.Count).Where(c => Models[0].Tally.ImagesOf(c) > 0);
}

/// <summary>Images that could not be evaluated: all counted, the first few named.</summary>
internal sealed class FailureLog(int named)
{
    private readonly List<(string Name, string Why)> _first = [];

    public long Count { get; private set; }

    /// <summary>The first failures, in the order met.</summary>
    public IReadOnlyList<(string Name, string Why)> First => _first;

    /// <summary>Counts a failure; true when it is among the first named.</summary>
    public bool Add(string name, string why)
    {
        Count++;
        if (_first.Count < named)
        {
            _first.Add((name, why));
            return true;
        }

        return false;
    }
}
