namespace AlexNet.Realtime.WeightConverter.Weights;

/// <summary>
/// Weights that hold NaN or infinity: a model made of them answers NaN probabilities, which no
/// output format can rank. The converter refuses them unless asked (<c>--allow-nonfinite</c>).
/// </summary>
public static class NonfiniteValues
{
    /// <summary>The tensors holding NaN or infinity, in the checkpoint's order, and how many such values each holds.</summary>
    public static IReadOnlyList<(string Tensor, long Count)> In(StateDict state)
    {
        ArgumentNullException.ThrowIfNull(state);
        var found = new List<(string, long)>();
        foreach (var name in state.Names)
        {
            long count = 0;
            foreach (var v in state[name].Data)
            {
                if (!float.IsFinite(v))
                {
                    count++;
                }
            }

            if (count > 0)
            {
                found.Add((name, count));
            }
        }

        return found;
    }

    /// <summary>One line for what <see cref="In"/> found: the first tensor, its count, and how many tensors more.</summary>
    public static string Describe(IReadOnlyList<(string Tensor, long Count)> found)
    {
        ArgumentNullException.ThrowIfNull(found);
        var (tensor, count) = found[0];
        var more = found.Count > 1 ? $" (and {found.Count - 1} more tensor{(found.Count == 2 ? "" : "s")}: {found.Sum(f => f.Count)} in all)" : "";
        return $"tensor {tensor} holds {count} non-finite value{(count == 1 ? "" : "s")} (NaN or infinity){more}";
    }
}
