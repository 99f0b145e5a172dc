namespace AlexNet.Realtime.App.Evaluation;

/// <summary>
/// ImageNet-1k's WordNet ids (n01440764 ...) in class-index order, bundled: the order of
/// LOC_synset_mapping.txt, which is the ids sorted, and the same order as torchvision's class
/// indices (n01440764 is class 0, tench; n02123045 is class 281, tabby). ImageNet's validation
/// ground truth and its class folders name classes by these ids.
/// </summary>
internal static class ImageNetIds
{
    private static readonly Lazy<IReadOnlyList<string>> s_ids = new(Load);
    private static readonly Lazy<Dictionary<string, int>> s_index = new(() => s_ids.Value.Select((id, i) => (id, i)).ToDictionary(p => p.id, p => p.i, StringComparer.Ordinal));

    /// <summary>The 1000 ids, class 0 first.</summary>
    public static IReadOnlyList<string> All => s_ids.Value;

    /// <summary>Whether <paramref name="text"/> has a WordNet noun id's form: n and eight digits.</summary>
    public static bool LooksLikeOne(ReadOnlySpan<char> text)
    {
        if (text.Length != 9 || text[0] != 'n')
        {
            return false;
        }

        foreach (var c in text[1..])
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The ImageNet-1k class index of a WordNet id, or -1 when it is none of the 1000.</summary>
    public static int IndexOf(string id) => s_index.Value.TryGetValue(id, out var index) ? index : -1;

    private static List<string> Load()
    {
        using var stream = typeof(ImageNetIds).Assembly.GetManifestResourceStream("imagenet_wnids.txt")
                           ?? throw new InvalidOperationException("the bundled ImageNet WordNet ids are missing from this build");
        using var reader = new StreamReader(stream);
        var ids = new List<string>(1000);
        while (reader.ReadLine() is { } line)
        {
            if (line.Length > 0)
            {
                ids.Add(line);
            }
        }

        return ids;
    }
}
