using AlexNet.Realtime.App.Commands;
using AlexNet.Realtime.Inference.Engine;

namespace AlexNet.Realtime.App.Evaluation;

/// <summary>The engines of an evaluation: each model's engine and its lanes. Owns and disposes them all.</summary>
internal sealed class EvalEngines : IDisposable
{
    private readonly List<List<ClassifierEngine>> _byModel = [];

    public IReadOnlyList<IReadOnlyList<ClassifierEngine>> ByModel => _byModel;

    /// <summary>Each model's first engine (the one opened; the others are its lanes).</summary>
    public IEnumerable<ClassifierEngine> First => _byModel.Select(m => m[0]);

    public List<string> Paths { get; } = [];

    /// <summary>How each model is named in the report: its file name, or its path where two share a name.</summary>
    public IReadOnlyList<string> Names =>
        [.. _byModel.Select((m, i) => _byModel.Count(o => o[0].ModelName == m[0].ModelName) > 1 ? Paths[i] : m[0].ModelName)];

    public void Open(string path, EngineOptions options, int lanes, Action<string> say)
    {
        var engines = new List<ClassifierEngine> { ClassifierEngine.Open(path, options, say) };
        _byModel.Add(engines);
        Paths.Add(path);
        if (lanes > 1 && engines[0].DeviceKind != Inference.Devices.DeviceKind.Cpu)
        {
            throw new AppException($"--lanes {lanes}: lanes share a CPU session; {engines[0].ModelName} runs on {engines[0].Device}");
        }

        for (var i = 1; i < lanes; i++)
        {
            engines.Add(engines[0].OpenLane());
        }
    }

    /// <summary>The class names all the models share.</summary>
    /// <exception cref="AppException">Two models have different classes: their answers can't be compared.</exception>
    public IReadOnlyList<string> Labels()
    {
        var labels = _byModel[0][0].Contract.Labels;
        foreach (var model in _byModel.Skip(1))
        {
            if (!model[0].Contract.Labels.SequenceEqual(labels, StringComparer.Ordinal))
            {
                var how = model[0].Contract.NumClasses != labels.Count
                    ? $"{model[0].Contract.NumClasses} classes against {labels.Count}"
                    : "its classes are named or ordered differently";
                throw new AppException($"{model[0].ModelName} has other classes than {_byModel[0][0].ModelName} ({how}): eval compares models of the same classes");
            }
        }

        return labels;
    }

    public void Dispose()
    {
        // Lanes before the engine whose session they share.
        foreach (var model in _byModel)
        {
            for (var i = model.Count - 1; i >= 0; i--)
            {
                model[i].Dispose();
            }
        }
    }
}
