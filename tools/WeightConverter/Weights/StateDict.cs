namespace AlexNet.Realtime.WeightConverter.Weights;

/// <summary>The tensors of a checkpoint by name, after unwrapping and prefix removal.</summary>
public sealed class StateDict
{
    private readonly Dictionary<string, WeightTensor> _byName = new(StringComparer.Ordinal);

    public StateDict(IEnumerable<WeightTensor> tensors)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        foreach (var t in tensors)
        {
            if (!_byName.TryAdd(t.Name, t))
            {
                throw new ConversionException($"tensor {t.Name} appears twice in the checkpoint");
            }
        }
    }

    public IReadOnlyCollection<string> Names => _byName.Keys;

    public int Count => _byName.Count;

    public bool Contains(string name) => _byName.ContainsKey(name);

    public WeightTensor this[string name] => _byName.TryGetValue(name, out var t)
        ? t
        : throw new ConversionException($"tensor {name} is missing from the checkpoint");
}
