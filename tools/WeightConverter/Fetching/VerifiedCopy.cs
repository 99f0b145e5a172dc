using AlexNet.Realtime.WeightConverter.Graph;

namespace AlexNet.Realtime.WeightConverter.Fetching;

/// <summary>
/// Checks a weights file already on disk (PyTorch's download, or this tool's): its size first,
/// then its SHA-256. Hashed each time rather than remembered: it is checked only when a model is
/// about to be converted from it, and hashing it costs a fraction of the conversion.
/// </summary>
internal static class VerifiedCopy
{
    public static void Check(string path, PretrainedWeights weights)
    {
        var length = new FileInfo(path).Length;
        if (length != weights.Size)
        {
            throw new ConversionException($"{path}: {length} bytes, but {weights.Name} is {weights.Size} bytes (a damaged or other file): delete it to download it again");
        }

        var sha256 = ModelFile.Sha256(path);
        if (sha256 != weights.Sha256)
        {
            throw new ConversionException($"{path}: SHA-256 {sha256}, expected {weights.Sha256} for {weights.Name} (a damaged or other file): delete it to download it again");
        }
    }
}
